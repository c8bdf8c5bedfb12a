import { inflateSync } from 'fflate';
import { MemorySource, SliceSource, readExact, type ByteSource } from './byte-source';
import { CheckpointError, ensure } from '../errors';

/** One member of a zip archive (.npz, .keras, torch.save's zip format). */
export interface ZipEntry {
  readonly name: string;
  readonly method: number; // 0 stored, 8 deflate
  readonly compressedSize: number;
  readonly size: number;
  readonly localHeaderOffset: number;
}

/** A zip archive read through its central directory: entries are opened on demand, never all at once. */
export interface ZipArchive {
  readonly entries: readonly ZipEntry[];
  find(name: string): ZipEntry | undefined;
  /** A random-access source over an entry: a window for stored entries, inflated bytes for deflated ones. */
  open(entry: ZipEntry): Promise<ByteSource>;
}

const EOCD_SIGNATURE = 0x06054b50;
const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
const ZIP64_EOCD_SIGNATURE = 0x06064b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
/** The end record is 22 bytes plus a comment of at most 65535 bytes. */
const EOCD_SEARCH_BYTES = 22 + 0xffff;
/** Deflate cannot expand data more than ~1032×; a larger claim is a lying header. */
const MAX_DEFLATE_RATIO = 1032;
/** An inflated entry is held in memory; past this, refuse rather than exhaust it. */
const MAX_INFLATED_BYTES = 2 ** 31 - 1;

/** True when the bytes start with a zip local file header ("PK\3\4") or an empty archive's end record. */
export function isZip(head: Uint8Array): boolean {
  return head[0] === 0x50 && head[1] === 0x4b && ((head[2] === 3 && head[3] === 4) || (head[2] === 5 && head[3] === 6));
}

/** Reads the central directory of a zip archive. */
export async function openZip(source: ByteSource): Promise<ZipArchive> {
  const size = await source.size();
  const tailStart = Math.max(0, size - EOCD_SEARCH_BYTES);
  const tail = await source.read(tailStart, size - tailStart);
  const tailView = new DataView(tail.buffer, tail.byteOffset, tail.byteLength);
  let eocd = -1;
  for (let i = tail.byteLength - 22; i >= 0; i--) {
    if (tailView.getUint32(i, true) === EOCD_SIGNATURE) {
      eocd = i;
      break;
    }
  }
  ensure(eocd >= 0, 'truncated', () => `${source.name}: expected a zip end-of-central-directory record, found none (truncated zip?)`);
  let count = tailView.getUint16(eocd + 10, true);
  let directorySize = tailView.getUint32(eocd + 12, true);
  let directoryOffset = tailView.getUint32(eocd + 16, true);
  if (directoryOffset === 0xffffffff || count === 0xffff || directorySize === 0xffffffff) {
    const locatorAt = tailStart + eocd - 20;
    ensure(locatorAt >= 0, 'bad-header', () => `${source.name}: zip64 fields without a zip64 locator`);
    const locator = new DataView((await readExact(source, locatorAt, 20, 'zip64 locator')).buffer);
    ensure(locator.getUint32(0, true) === ZIP64_LOCATOR_SIGNATURE, 'bad-header', () => `${source.name}: expected a zip64 locator`);
    const recordAt = Number(locator.getBigUint64(8, true));
    ensure(recordAt + 56 <= size, 'truncated', () => `${source.name}: zip64 record at ${recordAt}, file has ${size} bytes`);
    const record = new DataView((await readExact(source, recordAt, 56, 'zip64 end record')).slice().buffer);
    ensure(record.getUint32(0, true) === ZIP64_EOCD_SIGNATURE, 'bad-header', () => `${source.name}: expected a zip64 end record`);
    count = Number(record.getBigUint64(32, true));
    directorySize = Number(record.getBigUint64(40, true));
    directoryOffset = Number(record.getBigUint64(48, true));
  }
  ensure(
    directoryOffset + directorySize <= size,
    'truncated',
    () => `${source.name}: zip directory claims bytes ${directoryOffset}..${directoryOffset + directorySize}, file has ${size}`,
  );
  // Each central record is at least 46 bytes: bounds `count` by the directory's real size.
  ensure(
    count * 46 <= directorySize,
    'bad-header',
    () => `${source.name}: zip directory claims ${count} entries in ${directorySize} bytes`,
  );
  const directory = (await readExact(source, directoryOffset, directorySize, 'zip central directory')).slice();
  const entries = parseCentralDirectory(source.name, directory, count, size);
  const byName = new Map(entries.map((entry) => [entry.name, entry]));
  return {
    entries,
    find: (name) => byName.get(name),
    open: (entry) => openEntry(source, entry),
  };
}

function parseCentralDirectory(name: string, directory: Uint8Array, count: number, fileSize: number): ZipEntry[] {
  const view = new DataView(directory.buffer, directory.byteOffset, directory.byteLength);
  const decoder = new TextDecoder('utf-8');
  const entries: ZipEntry[] = [];
  let at = 0;
  for (let i = 0; i < count; i++) {
    ensure(at + 46 <= directory.byteLength, 'truncated', () => `${name}: zip directory ends inside entry ${i}`);
    ensure(view.getUint32(at, true) === CENTRAL_SIGNATURE, 'bad-header', () => `${name}: expected zip directory entry ${i} at ${at}`);
    const method = view.getUint16(at + 10, true);
    let compressedSize = view.getUint32(at + 20, true);
    let size = view.getUint32(at + 24, true);
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    let localHeaderOffset = view.getUint32(at + 42, true);
    const end = at + 46 + nameLength + extraLength + commentLength;
    ensure(end <= directory.byteLength, 'truncated', () => `${name}: zip directory ends inside entry ${i}`);
    const entryName = decoder.decode(directory.subarray(at + 46, at + 46 + nameLength));
    // zip64 extended information: the 0xffffffff fields, in order, follow in extra field 0x0001.
    for (let x = at + 46 + nameLength; x + 4 <= at + 46 + nameLength + extraLength;) {
      const id = view.getUint16(x, true);
      const length = view.getUint16(x + 2, true);
      if (id === 1) {
        let y = x + 4;
        const next = (): number => {
          ensure(y + 8 <= x + 4 + length, 'bad-header', () => `${name}: short zip64 field in ${entryName}`);
          const value = Number(view.getBigUint64(y, true));
          y += 8;
          return value;
        };
        if (size === 0xffffffff) size = next();
        if (compressedSize === 0xffffffff) compressedSize = next();
        if (localHeaderOffset === 0xffffffff) localHeaderOffset = next();
      }
      x += 4 + length;
    }
    ensure(
      localHeaderOffset + 30 + compressedSize <= fileSize,
      'truncated',
      () => `${name}: zip entry ${entryName} needs bytes up to ${localHeaderOffset + 30 + compressedSize}, file has ${fileSize}`,
    );
    entries.push({ name: entryName, method, compressedSize, size, localHeaderOffset });
    at = end;
  }
  return entries;
}

async function openEntry(source: ByteSource, entry: ZipEntry): Promise<ByteSource> {
  const label = `${source.name}#${entry.name}`;
  const local = await readExact(source, entry.localHeaderOffset, 30, `zip local header of ${entry.name}`);
  const view = new DataView(local.buffer, local.byteOffset, 30);
  ensure(view.getUint32(0, true) === LOCAL_SIGNATURE, 'bad-header', () => `${label}: expected a zip local header`);
  const dataStart = entry.localHeaderOffset + 30 + view.getUint16(26, true) + view.getUint16(28, true);
  if (entry.method === 0) {
    ensure(entry.compressedSize === entry.size, 'bad-header', () => `${label}: stored entry sizes differ`);
    const total = await source.size();
    ensure(
      dataStart + entry.size <= total,
      'truncated',
      () => `${label}: entry needs bytes up to ${dataStart + entry.size}, file has ${total}`,
    );
    return new SliceSource(label, source, dataStart, entry.size);
  }
  if (entry.method !== 8)
    throw new CheckpointError('unsupported', `${label}: zip compression method ${entry.method}, expected stored or deflate`);
  ensure(
    entry.size <= Math.min(MAX_INFLATED_BYTES, (entry.compressedSize + 1) * MAX_DEFLATE_RATIO),
    'too-large',
    () => `${label}: claims ${entry.size} bytes inflated from ${entry.compressedSize}`,
  );
  const compressed = await readExact(source, dataStart, entry.compressedSize, `compressed ${entry.name}`);
  const out = new Uint8Array(entry.size);
  let inflated: Uint8Array;
  try {
    inflated = inflateSync(compressed, { out });
  } catch (error) {
    throw new CheckpointError('bad-header', `${label}: deflate data is corrupt (${(error as Error).message})`);
  }
  ensure(
    inflated.byteLength === entry.size,
    'bad-header',
    () => `${label}: inflated to ${inflated.byteLength} bytes, header says ${entry.size}`,
  );
  return new MemorySource(label, inflated);
}
