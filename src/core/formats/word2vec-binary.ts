import { eagerMatrix } from '../checkpoint';
import { decodeToFloat32 } from '../dtype';
import { CheckpointError, ensure, throwIfAborted } from '../errors';
import type { CheckpointFormat } from '../format';
import type { ByteSource } from '../io/byte-source';
import { STREAM_CHUNK_BYTES } from '../io/text-lines';
import { MAX_DIM, parseWord2vecHeader } from './word2vec-text';

/** word2vec.c caps words at 100 bytes; other writers go further. Past this we call the file corrupt. */
const MAX_TOKEN_BYTES = 1 << 16;
const utf8 = new TextDecoder('utf-8');

/**
 * A forward reader over a source that keeps at most one chunk (plus a carried remainder) in memory, so a
 * 10 GB file is parsed with constant memory beside the matrix it fills.
 */
class ForwardReader {
  private buffer = new Uint8Array(0);
  private at = 0;
  private fileOffset: number;
  constructor(
    private readonly source: ByteSource,
    start: number,
    private readonly size: number,
  ) {
    this.fileOffset = start;
  }
  /** Position in the file of the next unread byte. */
  get position(): number {
    return this.fileOffset - (this.buffer.length - this.at);
  }
  /** Makes at least `count` bytes available (fewer only at the end of the file); returns how many are. */
  async fill(count: number): Promise<number> {
    if (this.buffer.length - this.at >= count || this.fileOffset >= this.size) return this.buffer.length - this.at;
    const want = Math.max(count, STREAM_CHUNK_BYTES);
    const fresh = await this.source.read(this.fileOffset, Math.min(want, this.size - this.fileOffset));
    this.fileOffset += fresh.byteLength;
    const rest = this.buffer.subarray(this.at);
    const joined = new Uint8Array(rest.length + fresh.length);
    joined.set(rest, 0);
    joined.set(fresh, rest.length);
    this.buffer = joined;
    this.at = 0;
    return this.fill(count);
  }
  peek(): Uint8Array {
    return this.buffer.subarray(this.at);
  }
  skip(count: number): void {
    this.at += count;
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
  async read(context) {
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
    const values = new Float32Array(rows * cols);
    const tokens: string[] = new Array<string>(rows);
    const reader = new ForwardReader(source, header.headerBytes, size);
    for (let row = 0; row < rows; row++) {
      if ((row & 0x3fff) === 0) throwIfAborted(signal, path);
      await reader.fill(MAX_TOKEN_BYTES + vectorBytes + 2);
      let bytes = reader.peek();
      let start = 0;
      while (start < bytes.length && (bytes[start] === 0x0a || bytes[start] === 0x0d)) start++; // the "\n" word2vec.c writes after each vector
      let space = start;
      while (space < bytes.length && bytes[space] !== 0x20) space++;
      if (space >= bytes.length || space - start > MAX_TOKEN_BYTES) {
        throw new CheckpointError(
          space - start > MAX_TOKEN_BYTES ? 'bad-header' : 'truncated',
          `${path}: word ${row + 1} of ${rows} at byte ${reader.position + start}: expected a token and a space, found ${space >= bytes.length ? 'the end of the file' : `more than ${MAX_TOKEN_BYTES} bytes without one`}`,
        );
      }
      tokens[row] = utf8.decode(bytes.subarray(start, space));
      bytes = bytes.subarray(space + 1);
      if (bytes.length < vectorBytes) {
        throw new CheckpointError(
          'truncated',
          `${path}: header says ${rows}×${cols} float32, file ends inside vector ${row + 1} (${bytes.length} of ${vectorBytes} bytes)`,
        );
      }
      decodeToFloat32(bytes, 'float32', true, cols, values, row * cols);
      reader.skip(space + 1 + vectorBytes);
    }
    return {
      format: 'word2vec-binary',
      path,
      vocab: { tokens, source: path },
      matrices: [eagerMatrix({ name: 'vectors', role: 'input', rows, cols, dtype: 'float32', tensorNames: [] }, values)],
      tied: false,
      provenance: { files: [path], notes: ['word2vec binary holds one matrix (the word vectors, U)'] },
      close: () => source.close(),
    };
  },
};
