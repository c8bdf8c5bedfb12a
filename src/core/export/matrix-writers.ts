// Byte and text layouts of the matrices a training run saves: NumPy .npy, word2vec text and binary. Pure: the caller
// streams the pieces to disk.
import { float32Text } from './number-text';

/** NumPy format 1.0 header for a little-endian float32 C-order array of `shape`, padded so data starts on 64 bytes. */
export function npyHeader(shape: readonly number[]): Uint8Array {
  const dims = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  const dict = `{'descr': '<f4', 'fortran_order': False, 'shape': ${dims}, }`;
  // magic (6) + version (2) + header length (2) + dict + padding + '\n' ≡ 0 mod 64, as NumPy aligns it.
  const unpadded = 10 + dict.length + 1;
  const padded = Math.ceil(unpadded / 64) * 64;
  const text = `${dict}${' '.repeat(padded - unpadded)}\n`;
  const bytes = new Uint8Array(padded);
  bytes.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  new DataView(bytes.buffer).setUint16(8, text.length, true);
  bytes.set(new TextEncoder().encode(text), 10);
  return bytes;
}

/** The data of a float32 matrix as little-endian bytes (a view when the platform is little-endian, which is everywhere we run). */
export function float32Bytes(data: Float32Array): Uint8Array {
  const view = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (new Uint8Array(new Float32Array([1]).buffer)[3] === 0x3f) return view;
  const swapped = new Uint8Array(data.byteLength);
  const dv = new DataView(swapped.buffer);
  data.forEach((value, i) => dv.setFloat32(i * 4, value, true));
  return swapped;
}

/** Rows of word2vec text per chunk: big enough to amortise a write, small enough to stream. */
const TEXT_ROWS_PER_CHUNK = 1024;

/** word2vec text format (`rows cols`, then `token v1 … vd` per row, shortest float32 text), in chunks. */
export function* word2vecTextChunks(tokens: readonly string[], data: Float32Array, rows: number, cols: number): Generator<string> {
  yield `${rows} ${cols}\n`;
  for (let start = 0; start < rows; start += TEXT_ROWS_PER_CHUNK) {
    const lines: string[] = [];
    for (let row = start; row < Math.min(rows, start + TEXT_ROWS_PER_CHUNK); row++) {
      const values = new Array<string>(cols);
      for (let c = 0; c < cols; c++) values[c] = float32Text(data[row * cols + c] as number);
      lines.push(`${tokens[row] ?? ''} ${values.join(' ')}\n`);
    }
    yield lines.join('');
  }
}

/** word2vec binary format (`rows cols\n`, then per row `token `, d little-endian float32s, `\n`, as word2vec.c writes), in chunks. */
export function* word2vecBinaryChunks(tokens: readonly string[], data: Float32Array, rows: number, cols: number): Generator<Uint8Array> {
  const encoder = new TextEncoder();
  yield encoder.encode(`${rows} ${cols}\n`);
  const bytes = float32Bytes(data);
  const rowBytes = cols * 4;
  for (let start = 0; start < rows; start += TEXT_ROWS_PER_CHUNK) {
    const parts: Uint8Array[] = [];
    let size = 0;
    for (let row = start; row < Math.min(rows, start + TEXT_ROWS_PER_CHUNK); row++) {
      const name = encoder.encode(`${tokens[row] ?? ''} `);
      parts.push(name, bytes.subarray(row * rowBytes, (row + 1) * rowBytes), NEWLINE);
      size += name.length + rowBytes + 1;
    }
    const chunk = new Uint8Array(size);
    let at = 0;
    for (const part of parts) {
      chunk.set(part, at);
      at += part.length;
    }
    yield chunk;
  }
}

const NEWLINE = Uint8Array.of(0x0a);

/** vocab.txt as our vocabulary reader and gensim's `fname_vocab` read it: `token count` per line. */
export function vocabText(tokens: readonly string[], counts: ArrayLike<number>): string {
  return tokens.map((token, row) => `${token} ${counts[row] ?? 0}\n`).join('');
}
