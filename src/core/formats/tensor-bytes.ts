import type { SourceDType } from '../checkpoint';
import { DTYPE_BYTES, decodeToFloat32 } from '../dtype';
import { ensure, throwIfAborted } from '../errors';
import { readExact, type ByteSource } from '../io/byte-source';

/**
 * Bytes read per step when converting a stored tensor: large enough to amortise I/O, small next to a matrix, so
 * peak memory stays ≈ the float32 result instead of the result plus the whole raw tensor. A multiple of 8, so an
 * element never straddles two chunks.
 */
const CHUNK_BYTES = 8 << 20;
/** V8's limit on a Float32Array's length (2^32 − 1 on 64-bit hosts); past it, refuse instead of a RangeError. */
const MAX_FLOAT32_ELEMENTS = 2 ** 32 - 1;

/** Where a stored tensor lies and how its elements are encoded. */
export interface StoredTensor {
  /** Byte offset of the first element in the source. */
  readonly offset: number;
  /** Number of elements to read. */
  readonly count: number;
  readonly dtype: SourceDType;
  readonly littleEndian: boolean;
  /**
   * Set for a 2-D array stored column-major (NumPy's Fortran order) with this many rows: the result is still
   * row-major rows × (count / rows), the transpose done chunk by chunk.
   */
  readonly columnMajorRows?: number;
  /** What the tensor is, for error messages ("tensor lm_head.weight"). */
  readonly what: string;
}

/** Reads a stored tensor into a new row-major Float32Array, converting f16/bf16/f64/byte order on the way. */
export async function readTensorAsFloat32(source: ByteSource, tensor: StoredTensor, signal?: AbortSignal): Promise<Float32Array> {
  const { offset, count, dtype, littleEndian, columnMajorRows, what } = tensor;
  ensure(
    count <= MAX_FLOAT32_ELEMENTS,
    'too-large',
    () => `${source.name}: ${what} has ${count} elements, more than one float32 array holds (${MAX_FLOAT32_ELEMENTS})`,
  );
  const width = DTYPE_BYTES[dtype];
  const out = new Float32Array(count);
  const perChunk = CHUNK_BYTES / width;
  const scratch = columnMajorRows === undefined ? undefined : new Float32Array(Math.min(perChunk, count));
  const rows = columnMajorRows ?? 1;
  const cols = rows > 0 ? count / rows : 0;
  for (let first = 0; first < count; first += perChunk) {
    throwIfAborted(signal, source.name);
    const n = Math.min(perChunk, count - first);
    const bytes = await readExact(source, offset + first * width, n * width, what);
    if (scratch === undefined) {
      decodeToFloat32(bytes, dtype, littleEndian, n, out, first);
      continue;
    }
    // Column-major: flat element k is (row k % rows, column ⌊k / rows⌋); scatter it to its row-major place.
    decodeToFloat32(bytes, dtype, littleEndian, n, scratch, 0);
    let row = first % rows;
    let col = (first - row) / rows;
    for (let i = 0; i < n; i++) {
      out[row * cols + col] = scratch[i] as number;
      if (++row === rows) {
        row = 0;
        col++;
      }
    }
  }
  return out;
}
