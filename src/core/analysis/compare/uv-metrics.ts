import { CheckpointError } from '../../errors';

/**
 * cos(aᵢ, bᵢ) for every row i of two row-major matrices with the same shape, float64: aᵢ·bᵢ / (‖aᵢ‖‖bᵢ‖), and 0
 * when either row is all zeros.
 */
export function rowCosines(a: Float32Array, b: Float32Array, rows: number, cols: number): Float64Array {
  const out = new Float64Array(rows);
  for (let row = 0; row < rows; row++) {
    let dot = 0;
    let na = 0;
    let nb = 0;
    const at = row * cols;
    for (let c = 0; c < cols; c++) {
      const x = a[at + c] as number;
      const y = b[at + c] as number;
      dot += x * y;
      na += x * x;
      nb += y * y;
    }
    out[row] = na === 0 || nb === 0 ? 0 : dot / (Math.sqrt(na) * Math.sqrt(nb));
  }
  return out;
}

/** Mean of the finite values, float64; NaN when there are none. */
export function finiteMean(values: ArrayLike<number>): number {
  let sum = 0;
  let count = 0;
  for (let i = 0; i < values.length; i++) {
    const value = values[i] as number;
    if (Number.isFinite(value)) {
      sum += value;
      count++;
    }
  }
  return count > 0 ? sum / count : NaN;
}

/** Median of the finite values (mean of the two middle ones for an even count); NaN when there are none. */
export function finiteMedian(values: ArrayLike<number>): number {
  const kept: number[] = [];
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i] as number)) kept.push(values[i] as number);
  if (kept.length === 0) return NaN;
  const finite = Float64Array.from(kept).sort();
  const half = finite.length >> 1;
  return finite.length % 2 === 1 ? (finite[half] as number) : ((finite[half - 1] as number) + (finite[half] as number)) / 2;
}

/**
 * Indices of the `count` largest (`highest` true) or smallest finite values, best first; equal values keep the lower
 * index first.
 */
export function extremes(values: ArrayLike<number>, count: number, highest: boolean): Int32Array {
  const order: number[] = [];
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i] as number)) order.push(i);
  const sign = highest ? -1 : 1;
  order.sort((i, j) => sign * ((values[i] as number) - (values[j] as number)) || i - j);
  return Int32Array.from(order.slice(0, count));
}

/** True when the two matrices hold the same numbers (the same array, or equal element by element). */
export function sameData(a: Float32Array, b: Float32Array): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Throws unless the matrix holds rows×cols values, all finite; `name` says which matrix in the message. */
export function ensureFiniteMatrix(data: Float32Array, rows: number, cols: number, name: string): void {
  if (data.length < rows * cols) throw new RangeError(`${name}: expected ${rows}×${cols} = ${rows * cols} values, got ${data.length}`);
  let badRows = 0;
  let first = -1;
  for (let row = 0; row < rows; row++) {
    const at = row * cols;
    for (let c = 0; c < cols; c++) {
      if (!Number.isFinite(data[at + c] as number)) {
        if (first < 0) first = row;
        badRows++;
        break;
      }
    }
  }
  if (badRows > 0)
    throw new CheckpointError(
      'unsupported',
      `${name} has ${badRows} row${badRows === 1 ? '' : 's'} with NaN or infinite values (first: row ${first}); comparison needs finite matrices`,
    );
}

/** Per-query values placed at their rows of a `rows`-long float32 array (NaN elsewhere); all rows when sample is null. */
export function atRows(values: Float64Array, sample: Int32Array | null, rows: number): Float32Array {
  if (sample === null) return Float32Array.from(values);
  const out = new Float32Array(rows).fill(NaN);
  sample.forEach((row, q) => (out[row] = values[q] as number));
  return out;
}
