import { decodeToFloat32 } from '../dtype';
import { CheckpointError, ensure, throwIfAborted } from '../errors';
import { readExact, type ByteSource } from '../io/byte-source';

/** Bytes of matrix data read per request on load: large enough to amortise I/O, small next to the matrix. */
const STREAM_ROWS_BYTES = 16 << 20;
/** m (int64) + n (int64) before a DenseMatrix's float32 data (DenseMatrix::save). */
const DENSE_HEADER_BYTES = 16;

/** fastText's product quantizer always has 2^8 centroids per subquantizer (productquantizer.h, nbits = 8). */
const CENTROIDS_PER_SUBQUANTIZER = 256;
/** qnorm flag (1 byte) + m (int64) + n (int64) + codesize (int32), as QuantMatrix::save writes them. */
const QUANT_HEADER_BYTES = 1 + 8 + 8 + 4;
/** dim, nsubq, dsub, lastdsub: four int32 before a quantizer's centroids. */
const PQ_HEADER_BYTES = 16;

/** Where a plain float32 matrix (DenseMatrix) sits in the file. */
export interface DenseLayout {
  readonly kind: 'dense';
  readonly rows: number;
  readonly cols: number;
  readonly dataOffset: number;
  /** First byte after the matrix. */
  readonly end: number;
}

/** Where a product-quantized matrix (a `.ftz` model's QuantMatrix) sits in the file. */
export interface QuantLayout {
  readonly kind: 'quantized';
  readonly rows: number;
  readonly cols: number;
  /** uint8 codes, `subquantizers` per row. */
  readonly codesOffset: number;
  readonly subquantizers: number;
  /** Width of each subquantizer but the last, and of the last one (dim = (subquantizers − 1)·dsub + lastDsub). */
  readonly dsub: number;
  readonly lastDsub: number;
  readonly centroidsOffset: number;
  /** With `-qnorm`, each row is a unit vector times a norm quantized by a one-dimensional quantizer. */
  readonly norms?: { readonly codesOffset: number; readonly centroidsOffset: number };
  /** First byte after the matrix. */
  readonly end: number;
}

interface Quantizer {
  readonly dim: number;
  readonly subquantizers: number;
  readonly dsub: number;
  readonly lastDsub: number;
  readonly centroidsOffset: number;
  readonly end: number;
}

/** Reads a ProductQuantizer header at `offset` and checks it describes `dim`-wide vectors within the file. */
async function readQuantizer(source: ByteSource, offset: number, size: number, dim: number, what: string): Promise<Quantizer> {
  const path = source.name;
  const view = new DataView((await readExact(source, offset, PQ_HEADER_BYTES, `${what} quantizer header`)).slice().buffer);
  const [stored, subquantizers, dsub, lastDsub] = [0, 4, 8, 12].map((at) => view.getInt32(at, true)) as [number, number, number, number];
  ensure(
    stored === dim && dsub >= 1 && subquantizers === Math.ceil(dim / dsub) && lastDsub === dim - (subquantizers - 1) * dsub,
    'bad-header',
    () =>
      `${path}: expected a ${what} quantizer for ${dim}-wide vectors, found dim ${stored}, ${subquantizers} subquantizers ` +
      `of width ${dsub} (last ${lastDsub})`,
  );
  const centroidsOffset = offset + PQ_HEADER_BYTES;
  const end = centroidsOffset + dim * CENTROIDS_PER_SUBQUANTIZER * 4;
  ensure(end <= size, 'truncated', () => `${path}: ${what} quantizer centroids end at byte ${end}, file has ${size} bytes`);
  return { dim, subquantizers, dsub, lastDsub, centroidsOffset, end };
}

/** Parses a QuantMatrix (QuantMatrix::save) at `offset`, checking every extent against the file size. */
async function readQuantLayout(source: ByteSource, offset: number, size: number, cols: number, what: string): Promise<QuantLayout> {
  const path = source.name;
  const head = (await readExact(source, offset, QUANT_HEADER_BYTES, `${what} header`)).slice();
  const view = new DataView(head.buffer);
  const qnorm = head[0];
  ensure(qnorm === 0 || qnorm === 1, 'bad-header', () => `${path}: expected the ${what} qnorm flag 0 or 1, found ${qnorm}`);
  const rows = readInt64(view, 1, path, `${what} rows`);
  const stored = readInt64(view, 9, path, `${what} columns`);
  const codeBytes = view.getInt32(17, true);
  ensure(stored === cols, 'bad-header', () => `${path}: expected ${what} with ${cols} columns (args dim), found ${stored}`);
  ensure(
    rows >= 0 && codeBytes >= 0,
    'bad-header',
    () => `${path}: expected non-negative ${what} sizes, found ${rows} rows, ${codeBytes} code bytes`,
  );
  const codesOffset = offset + QUANT_HEADER_BYTES;
  ensure(
    codesOffset + codeBytes <= size,
    'truncated',
    () => `${path}: ${what} says ${codeBytes} bytes of codes from byte ${codesOffset}, file has ${size} bytes`,
  );
  const pq = await readQuantizer(source, codesOffset + codeBytes, size, cols, what);
  ensure(
    codeBytes === rows * pq.subquantizers,
    'bad-header',
    () => `${path}: expected ${rows}×${pq.subquantizers} = ${rows * pq.subquantizers} ${what} code bytes, found ${codeBytes}`,
  );
  const layout = {
    kind: 'quantized',
    rows,
    cols,
    codesOffset,
    subquantizers: pq.subquantizers,
    dsub: pq.dsub,
    lastDsub: pq.lastDsub,
  } as const;
  if (qnorm === 0) return { ...layout, centroidsOffset: pq.centroidsOffset, end: pq.end };
  const normCodes = pq.end;
  ensure(
    normCodes + rows <= size,
    'truncated',
    () => `${path}: ${what} norm codes end at byte ${normCodes + rows}, file has ${size} bytes`,
  );
  const normQuantizer = await readQuantizer(source, normCodes + rows, size, 1, `${what} norm`);
  return {
    ...layout,
    centroidsOffset: pq.centroidsOffset,
    norms: { codesOffset: normCodes, centroidsOffset: normQuantizer.centroidsOffset },
    end: normQuantizer.end,
  };
}

async function readFloats(source: ByteSource, offset: number, count: number, what: string): Promise<Float32Array> {
  const bytes = await readExact(source, offset, count * 4, what);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Float32Array.from({ length: count }, (_, i) => view.getFloat32(i * 4, true));
}

/**
 * Decodes the first `count` rows of a quantized matrix into float32, as fastText's addcode does: each
 * subquantizer's code picks a centroid slice, and with norms the unit vector is scaled by its decoded norm.
 */
async function loadQuantRows(source: ByteSource, layout: QuantLayout, count: number, signal?: AbortSignal): Promise<Float32Array> {
  const { cols, subquantizers: nsubq, dsub, lastDsub } = layout;
  const what = `quantized matrix of ${source.name}`;
  const centroids = await readFloats(source, layout.centroidsOffset, cols * CENTROIDS_PER_SUBQUANTIZER, `${what}: centroids`);
  const normCentroids = layout.norms
    ? await readFloats(source, layout.norms.centroidsOffset, CENTROIDS_PER_SUBQUANTIZER, `${what}: norm centroids`)
    : undefined;
  const out = allocateRows(count, cols, source.name);
  const rowsPerChunk = Math.max(1, Math.floor(STREAM_ROWS_BYTES / nsubq));
  for (let first = 0; first < count; first += rowsPerChunk) {
    throwIfAborted(signal, source.name);
    const rows = Math.min(rowsPerChunk, count - first);
    const codes = await readExact(source, layout.codesOffset + first * nsubq, rows * nsubq, `${what}: codes`);
    const norms = layout.norms ? await readExact(source, layout.norms.codesOffset + first, rows, `${what}: norm codes`) : undefined;
    for (let r = 0; r < rows; r++) {
      const base = (first + r) * cols;
      const scale = normCentroids && norms ? (normCentroids[norms[r] as number] as number) : 1;
      for (let m = 0; m < nsubq; m++) {
        const code = codes[r * nsubq + m] as number;
        const last = m === nsubq - 1;
        const width = last ? lastDsub : dsub;
        // productquantizer.cc get_centroids: the last subquantizer's centroids are packed at its own width.
        const at = last ? m * CENTROIDS_PER_SUBQUANTIZER * dsub + code * lastDsub : (m * CENTROIDS_PER_SUBQUANTIZER + code) * dsub;
        for (let j = 0; j < width; j++) out[base + m * dsub + j] = scale * (centroids[at + j] as number);
      }
    }
  }
  return out;
}

/** A fastText matrix as stored: dense float32, or product-quantized in a `.ftz` model. */
export type MatrixLayout = DenseLayout | QuantLayout;

/** Reads a little-endian int64 that must fit a JavaScript number exactly. */
export function readInt64(view: DataView, at: number, path: string, what: string): number {
  const value = view.getBigInt64(at, true);
  ensure(
    value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER),
    'bad-header',
    () => `${path}: expected ${what} below 2^53, found ${value}`,
  );
  return Number(value);
}

/** A rows×cols float32 array, or `too-large` when the platform cannot hold it. */
export function allocateRows(rows: number, cols: number, path: string): Float32Array {
  try {
    return new Float32Array(rows * cols);
  } catch {
    throw new CheckpointError('too-large', `${path}: ${rows}×${cols} float32 (${rows * cols * 4} bytes) does not fit in memory here`);
  }
}

/** Parses a DenseMatrix header at `offset` and checks its data against the file size. */
async function readDenseLayout(source: ByteSource, offset: number, size: number, cols: number, what: string): Promise<DenseLayout> {
  const path = source.name;
  const view = new DataView((await readExact(source, offset, DENSE_HEADER_BYTES, `${what} header`)).slice().buffer);
  const rows = readInt64(view, 0, path, `${what} rows`);
  const stored = readInt64(view, 8, path, `${what} columns`);
  ensure(stored === cols, 'bad-header', () => `${path}: expected ${what} with ${cols} columns (args dim), found ${stored}`);
  ensure(rows >= 0, 'bad-header', () => `${path}: expected a non-negative ${what} row count, found ${rows}`);
  const dataOffset = offset + DENSE_HEADER_BYTES;
  const bytes = rows * cols * 4;
  ensure(
    dataOffset + bytes <= size,
    'truncated',
    () =>
      `${path}: ${what} header says ${rows}×${cols} float32 = ${bytes} bytes at byte ${dataOffset}, file has ${size - dataOffset} bytes left`,
  );
  return { kind: 'dense', rows, cols, dataOffset, end: dataOffset + bytes };
}

/**
 * Reads the one-byte "quantized" flag at `offset` and the matrix after it. `quantizable` is false where
 * fastText itself would read a dense matrix whatever the flag says (the output of a model whose input is dense).
 */
export async function readMatrixLayout(
  source: ByteSource,
  offset: number,
  size: number,
  cols: number,
  quantizable: boolean,
  what: string,
): Promise<{ layout: MatrixLayout; flag: boolean }> {
  const flag = (await readExact(source, offset, 1, `${what} quantization flag`))[0];
  ensure(
    flag === 0 || flag === 1,
    'bad-header',
    () => `${source.name}: expected the ${what} quantization flag 0 or 1 at byte ${offset}, found ${flag}`,
  );
  const layout =
    flag === 1 && quantizable
      ? await readQuantLayout(source, offset + 1, size, cols, what)
      : await readDenseLayout(source, offset + 1, size, cols, what);
  return { layout, flag: flag === 1 };
}

/** The first `count` rows of a stored matrix as float32, read in chunks so memory stays near the result's size. */
export async function loadMatrixRows(source: ByteSource, layout: MatrixLayout, count: number, signal?: AbortSignal): Promise<Float32Array> {
  if (layout.kind === 'quantized') return loadQuantRows(source, layout, count, signal);
  const { cols } = layout;
  const out = allocateRows(count, cols, source.name);
  const rowsPerChunk = Math.max(1, Math.floor(STREAM_ROWS_BYTES / (cols * 4)));
  for (let first = 0; first < count; first += rowsPerChunk) {
    throwIfAborted(signal, source.name);
    const rows = Math.min(rowsPerChunk, count - first);
    const bytes = await readExact(source, layout.dataOffset + first * cols * 4, rows * cols * 4, `matrix rows of ${source.name}`);
    decodeToFloat32(bytes, 'float32', true, rows * cols, out, first * cols);
  }
  return out;
}
