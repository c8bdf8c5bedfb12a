import { CheckpointError, ensure } from '../errors';
import { UNDEFINED_ADDRESS, type Cursor } from './bytes';
import type { Hdf5Context } from './context';

/** One header message of an object: its type number, flags and undecoded body. */
export interface HeaderMessage {
  readonly type: number;
  readonly flags: number;
  readonly data: Uint8Array;
}

/** Header message types this reader decodes (HDF5 spec IV.A.2). */
export const MSG = {
  dataspace: 0x0001,
  linkInfo: 0x0002,
  datatype: 0x0003,
  link: 0x0006,
  layout: 0x0008,
  filterPipeline: 0x000b,
  attribute: 0x000c,
  continuation: 0x0010,
  symbolTable: 0x0011,
  attributeInfo: 0x0015,
} as const;

/** Message flag bit 1: the body is a reference to a shared message stored elsewhere. */
export const MSG_FLAG_SHARED = 0x02;

/** A header is split over at most this many continuation blocks; more means a cycle or a corrupt file. */
const MAX_CONTINUATIONS = 4096;
/** v1 header prefix: version, reserved, message count, reference count, header size, padded to 8 bytes. */
const V1_PREFIX_BYTES = 16;
/** The largest v2 prefix: signature, version, flags, 4 timestamps, 2 attribute limits, an 8-byte chunk size. */
const V2_MAX_PREFIX_BYTES = 4 + 1 + 1 + 16 + 4 + 8;

/** Reads every message of the object header at `address`, following continuation blocks. */
export async function readObjectHeader(context: Hdf5Context, address: number): Promise<HeaderMessage[]> {
  const what = `object header at ${address}`;
  const head = await context.readUpTo(address, V2_MAX_PREFIX_BYTES, what);
  const isV2 = head[0] === 0x4f && head[1] === 0x48 && head[2] === 0x44 && head[3] === 0x52; // "OHDR"
  if (!isV2 && head[0] !== 1) {
    throw new CheckpointError('bad-header', `${context.name}: expected an object header at ${address}, found version byte ${head[0]}`);
  }
  const messages: HeaderMessage[] = [];
  const pending: Array<{ address: number; length: number }> = [];
  let flags = 0;
  if (isV2) {
    const cursor = context.wrap(head, what);
    cursor.signature('OHDR');
    const version = cursor.u8();
    ensure(version === 2, 'unsupported', () => `${context.name}: ${what} has version ${version}, expected 2`);
    flags = cursor.u8();
    if (flags & 0x20) cursor.skip(16); // access, modification, change and birth times
    if (flags & 0x10) cursor.skip(4); // attribute phase-change limits
    const chunkSize = cursor.uint(1 << (flags & 0x03));
    const prefix = cursor.pos;
    const whole = await context.read(address, prefix + chunkSize + 4, what);
    context.verify(whole, prefix + chunkSize, what);
    parseV2Messages(context, context.wrap(whole.subarray(prefix, prefix + chunkSize), what), flags, messages, pending);
  } else {
    const prefix = context.wrap(head, what);
    prefix.skip(2);
    prefix.u16(); // message count: bounded by the bytes below, so not trusted for allocation
    prefix.u32(); // reference count
    const headerSize = prefix.u32();
    const chunk = await context.read(address + V1_PREFIX_BYTES, headerSize, what);
    parseV1Messages(context, context.wrap(chunk, what), messages, pending);
  }
  const seen = new Set<number>([address]);
  while (pending.length > 0) {
    const next = pending.shift() as { address: number; length: number };
    ensure(!seen.has(next.address), 'bad-header', () => `${context.name}: ${what} continues at ${next.address} twice (a cycle)`);
    seen.add(next.address);
    ensure(seen.size <= MAX_CONTINUATIONS, 'bad-header', () => `${context.name}: ${what} has more than ${MAX_CONTINUATIONS} blocks`);
    const block = await context.read(next.address, next.length, `continuation of ${what}`);
    const cursor = context.wrap(block, `continuation of ${what} at ${next.address}`);
    if (isV2) {
      cursor.signature('OCHK');
      context.verify(block, block.byteLength - 4, `continuation block of ${what} at ${next.address}`);
      // The block ends with a 4-byte checksum.
      parseV2Messages(context, context.wrap(block.subarray(4, Math.max(4, block.byteLength - 4)), what), flags, messages, pending);
    } else {
      parseV1Messages(context, cursor, messages, pending);
    }
  }
  return messages;
}

function parseV1Messages(
  context: Hdf5Context,
  cursor: Cursor,
  messages: HeaderMessage[],
  pending: Array<{ address: number; length: number }>,
): void {
  // Each v1 message: type (2), size (2), flags (1), reserved (3), then `size` bytes padded to 8.
  while (cursor.remaining >= 8) {
    const type = cursor.u16();
    const size = cursor.u16();
    const flags = cursor.u8();
    cursor.skip(3);
    const data = cursor.take(size);
    cursor.align(8);
    collect(context, type, flags, data, messages, pending);
  }
}

function parseV2Messages(
  context: Hdf5Context,
  cursor: Cursor,
  headerFlags: number,
  messages: HeaderMessage[],
  pending: Array<{ address: number; length: number }>,
): void {
  // Each v2 message: type (1), size (2), flags (1), creation order (2, when header flag bit 2), then the body.
  const messageHead = headerFlags & 0x04 ? 6 : 4;
  while (cursor.remaining >= messageHead) {
    const type = cursor.u8();
    const size = cursor.u16();
    const flags = cursor.u8();
    if (headerFlags & 0x04) cursor.skip(2);
    const data = cursor.take(size);
    collect(context, type, flags, data, messages, pending);
  }
}

function collect(
  context: Hdf5Context,
  type: number,
  flags: number,
  data: Uint8Array,
  messages: HeaderMessage[],
  pending: Array<{ address: number; length: number }>,
): void {
  if (type === MSG.continuation) {
    const reader = context.wrap(data, 'a continuation message');
    const address = reader.address();
    const length = reader.length();
    if (address !== UNDEFINED_ADDRESS && length > 0) pending.push({ address, length });
    return;
  }
  if (type !== 0) messages.push({ type, flags, data });
}
