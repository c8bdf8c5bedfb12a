import { eagerMatrix, type Checkpoint } from '../checkpoint';
import { decodeToFloat32 } from '../dtype';
import { CheckpointError, ensure, throwIfAborted } from '../errors';
import type { CheckpointFormat, ReadContext } from '../format';
import type { ByteSource } from '../io/byte-source';
import { ChunkStream } from '../io/chunk-stream';
import { STREAM_CHUNK_BYTES } from '../io/text-lines';
import { TokenList } from '../text/token-list';
import { MAX_DIM, parseWord2vecHeader } from './word2vec-text';

/** word2vec.c caps words at 100 bytes; other writers go further. Past this we call the file corrupt. */
const MAX_TOKEN_BYTES = 1 << 16;
const SPACE = 0x20;
/** Every platform we ship on; a big-endian host takes decodeToFloat32's byte-swapping path. */
const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const EMPTY: Uint8Array = new Uint8Array(0);

/** Where the rows go, and what the error messages need to say. */
interface RowTarget {
  readonly path: string;
  readonly rows: number;
  readonly cols: number;
  readonly values: Float32Array;
  /** The matrix's bytes, for a straight copy of each little-endian vector on a little-endian host. */
  readonly valueBytes: Uint8Array | undefined;
  readonly tokens: TokenList;
  /** Rows parsed so far. */
  row: number;
}

/**
 * Parses whole "token vector" rows from `bytes[from..]` (the bytes start at file offset `base`) until the rows
 * are all read or the next row is incomplete; returns the index of the first byte not consumed. At the end of the
 * file (`last`) an incomplete row is an error, as is a token longer than MAX_TOKEN_BYTES anywhere.
 */
function parseRows(target: RowTarget, bytes: Uint8Array, from: number, base: number, last: boolean): number {
  const { cols, values, valueBytes, tokens } = target;
  const vectorBytes = cols * 4;
  const end = bytes.length;
  let at = from;
  while (target.row < target.rows) {
    let start = at;
    while (start < end && (bytes[start] === 0x0a || bytes[start] === 0x0d)) start++; // the "\n" word2vec.c writes after each vector
    const scanEnd = Math.min(end, start + MAX_TOKEN_BYTES + 1);
    let space = start;
    while (space < scanEnd && bytes[space] !== SPACE) space++;
    if (space >= scanEnd) {
      const tooLong = end - start > MAX_TOKEN_BYTES;
      if (!tooLong && !last) return at;
      throw new CheckpointError(
        tooLong ? 'bad-header' : 'truncated',
        `${target.path}: word ${target.row + 1} of ${target.rows} at byte ${base + start}: expected a token and a space, found ${tooLong ? `more than ${MAX_TOKEN_BYTES} bytes without one` : 'the end of the file'}`,
      );
    }
    const vectorStart = space + 1;
    if (end - vectorStart < vectorBytes) {
      if (!last) return at;
      throw new CheckpointError(
        'truncated',
        `${target.path}: header says ${target.rows}×${cols} float32, file ends inside vector ${target.row + 1} (${end - vectorStart} of ${vectorBytes} bytes)`,
      );
    }
    tokens.add(bytes, start, space);
    if (valueBytes) valueBytes.set(bytes.subarray(vectorStart, vectorStart + vectorBytes), target.row * vectorBytes);
    else decodeToFloat32(bytes.subarray(vectorStart), 'float32', true, cols, values, target.row * cols);
    target.row++;
    at = vectorStart + vectorBytes;
  }
  return at;
}

/**
 * The bytes of the row cut by the previous read plus as much of `chunk` as completes it (exactly that row when
 * its length is known, else the whole chunk), so only one row is ever copied across a read boundary.
 */
function bridge(pending: Uint8Array, chunk: Uint8Array, vectorBytes: number): Uint8Array {
  let start = 0;
  while (start < pending.length && (pending[start] === 0x0a || pending[start] === 0x0d)) start++;
  const space = pending.indexOf(SPACE, start);
  let need: number;
  if (space >= 0) need = space + 1 + vectorBytes - pending.length;
  else {
    const next = chunk.indexOf(SPACE);
    need = next < 0 ? chunk.length : next + 1 + vectorBytes;
  }
  const take = chunk.subarray(0, Math.max(0, Math.min(need, chunk.length)));
  const out = new Uint8Array(pending.length + take.length);
  out.set(pending, 0);
  out.set(take, pending.length);
  return out;
}

/** Streams the rows after the header into `target`, one read at a time, with no await per row. */
async function readRows(
  source: ByteSource,
  target: RowTarget,
  start: number,
  size: number,
  chunkBytes: number,
  signal?: AbortSignal,
): Promise<void> {
  const vectorBytes = target.cols * 4;
  let pending: Uint8Array = EMPTY; // an incomplete row cut by the end of the previous read
  let pendingOffset = start;
  const stream = new ChunkStream(source, chunkBytes);
  for (let offset = start; target.row < target.rows;) {
    throwIfAborted(signal, target.path);
    const chunk = offset < size ? await stream.read(offset, size - offset) : EMPTY;
    const chunkOffset = offset;
    offset += chunk.length;
    const last = offset >= size || chunk.length === 0;
    let from = 0;
    if (pending.length > 0) {
      const joined = bridge(pending, chunk, vectorBytes);
      const used = parseRows(target, joined, 0, pendingOffset, last && joined.length - pending.length === chunk.length);
      if (used === 0) {
        pending = joined; // still incomplete: a token or vector longer than this read
        continue;
      }
      from = used - pending.length;
      pending = EMPTY;
    }
    const stop = parseRows(target, chunk, from, chunkOffset, last);
    if (target.row < target.rows) {
      // Copy the short tail: the read buffer is reused (or, if fresh, can then be freed).
      pending = stop === 0 && !stream.reused ? chunk : chunk.slice(stop);
      pendingOffset = chunkOffset + stop;
    }
  }
}

/** word2vec binary: a "rows cols" text header, then per word the token, a space, and cols little-endian float32. */
export const word2vecBinary: CheckpointFormat = {
  id: 'word2vec-binary',
  description: 'word2vec binary (header line "rows cols", then "token " and cols float32 per word)',
  sniff(probe) {
    const header = parseWord2vecHeader(probe.head);
    if (!header || header.rows === 0) return false;
    // The first token ends at a space, followed by raw bytes: at least one non-text byte within the first vector.
    const body = probe.head.subarray(header.headerBytes, header.headerBytes + 256 + header.cols * 4);
    const space = body.indexOf(0x20);
    if (space <= 0) return false;
    const vector = body.subarray(space + 1, space + 1 + header.cols * 4);
    return vector.some((byte) => byte < 0x09 || (byte > 0x0d && byte < 0x20) || byte === 0x7f);
  },
  read: (context) => readWord2vecBinary(context),
};

/**
 * Reads a word2vec binary file. `chunkBytes` is the size of each read; tests make it tiny so that tokens, vectors
 * and line breaks fall across read boundaries.
 */
export async function readWord2vecBinary(context: ReadContext, chunkBytes = STREAM_CHUNK_BYTES): Promise<Checkpoint> {
  const { source, path, signal } = context;
  const size = await source.size();
  const header = parseWord2vecHeader(await source.read(0, 64));
  ensure(header, 'bad-header', () => `${path}: expected a "rows cols" header line`);
  const { rows, cols } = header;
  ensure(cols >= 1 && cols <= MAX_DIM, 'bad-header', () => `${path}: header says ${cols} columns, expected 1..${MAX_DIM}`);
  const vectorBytes = cols * 4;
  // Each word takes its vector plus at least a one-byte token and the space: checked before allocating.
  const need = rows * (vectorBytes + 2);
  ensure(
    need <= size - header.headerBytes,
    'truncated',
    () => `${path}: header says ${rows}×${cols} float32 = ${rows * vectorBytes} bytes plus tokens, file has ${size - header.headerBytes}`,
  );
  const tokens = new TokenList(rows);
  const values = new Float32Array(rows * cols);
  const valueBytes = LITTLE_ENDIAN_HOST ? new Uint8Array(values.buffer) : undefined;
  const target: RowTarget = { path, rows, cols, values, valueBytes, tokens, row: 0 };
  await readRows(source, target, header.headerBytes, size, chunkBytes, signal);
  return {
    format: 'word2vec-binary',
    path,
    vocab: { tokens: tokens.finish(), source: path },
    matrices: [eagerMatrix({ name: 'vectors', role: 'input', rows, cols, dtype: 'float32', tensorNames: [] }, target.values)],
    tied: false,
    provenance: { files: [path], notes: ['word2vec binary holds one matrix (the word vectors, U)'] },
    close: () => source.close(),
  };
}
