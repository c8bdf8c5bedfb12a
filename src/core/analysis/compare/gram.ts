import type { WorkMeter } from './work-meter';

/** Column means and centred cross-products of two matrices over the same rows, accumulated in float64. */
export interface CentredGram {
  readonly rows: number;
  readonly colsA: number;
  readonly colsB: number;
  readonly meanA: Float64Array;
  readonly meanB: Float64Array;
  /** A_cᵀA_c where A_c = A − 1·meanAᵀ: colsA×colsA, row-major. */
  readonly aa: Float64Array;
  /** A_cᵀB_c: colsA×colsB, row-major. */
  readonly ab: Float64Array;
  /** B_cᵀB_c: colsB×colsB, row-major. */
  readonly bb: Float64Array;
}

/** Rows accumulated per pass of the kernel: each Gram entry is loaded and stored once per ROW_BLOCK rows. */
const ROW_BLOCK = 4;
/** Rows between progress steps (a few ms of work at 200 columns). */
const ROWS_PER_STEP = 256;
/** Each Gram multiply-add also loads and stores its entry: about twice the time of one in a dot-product loop. */
const GRAM_COST = 2;

/** Work units `centredGram` reports for these sizes (multiply-adds weighted by GRAM_COST). */
export function gramWork(rows: number, colsA: number, colsB: number): number {
  const n = colsA + colsB;
  return rows * n + (GRAM_COST * rows * n * (n + 1)) / 2;
}

/**
 * The centred Gram blocks of [A | B] (both row-major with `rows` rows): column means in a first pass, then the upper
 * triangle of the joint Gram from rows centred on the fly (never a centred copy of the data, and never rows×rows).
 * Centring before multiplying keeps the precision that `XᵀX − n·μμᵀ` would lose when means are large.
 */
export async function centredGram(
  a: Float32Array,
  colsA: number,
  b: Float32Array,
  colsB: number,
  rows: number,
  meter: WorkMeter,
): Promise<CentredGram> {
  const n = colsA + colsB;
  const meanA = columnMeans(a, colsA, rows);
  const meanB = columnMeans(b, colsB, rows);
  await meter.step(rows * n);
  const joint = new Float64Array(n * n);
  const block = new Float64Array(ROW_BLOCK * n);
  let pending = 0;
  for (let start = 0; start < rows; start += ROW_BLOCK) {
    const count = Math.min(ROW_BLOCK, rows - start);
    block.fill(0);
    for (let r = 0; r < count; r++) {
      const row = start + r;
      const out = r * n;
      for (let c = 0; c < colsA; c++) block[out + c] = (a[row * colsA + c] as number) - (meanA[c] as number);
      for (let c = 0; c < colsB; c++) block[out + colsA + c] = (b[row * colsB + c] as number) - (meanB[c] as number);
    }
    accumulateUpper(joint, block, n);
    pending += count;
    if (pending >= ROWS_PER_STEP || start + count >= rows) {
      await meter.step((GRAM_COST * pending * n * (n + 1)) / 2);
      pending = 0;
    }
  }
  return splitBlocks(joint, n, colsA, colsB, rows, meanA, meanB);
}

/** Column means in float64. */
export function columnMeans(data: Float32Array, cols: number, rows: number): Float64Array {
  const mean = new Float64Array(cols);
  for (let row = 0; row < rows; row++) {
    const at = row * cols;
    for (let c = 0; c < cols; c++) mean[c] = (mean[c] as number) + (data[at + c] as number);
  }
  for (let c = 0; c < cols; c++) mean[c] = rows > 0 ? (mean[c] as number) / rows : 0;
  return mean;
}

/** joint[p][q] += Σ_r block[r][p]·block[r][q] for q ≥ p, over the ROW_BLOCK rows of `block`. */
function accumulateUpper(joint: Float64Array, block: Float64Array, n: number): void {
  const n2 = 2 * n;
  const n3 = 3 * n;
  for (let p = 0; p < n; p++) {
    const x0 = block[p] as number;
    const x1 = block[n + p] as number;
    const x2 = block[n2 + p] as number;
    const x3 = block[n3 + p] as number;
    if (x0 === 0 && x1 === 0 && x2 === 0 && x3 === 0) continue;
    const base = p * n;
    for (let q = p; q < n; q++) {
      joint[base + q] =
        (joint[base + q] as number) +
        x0 * (block[q] as number) +
        x1 * (block[n + q] as number) +
        x2 * (block[n2 + q] as number) +
        x3 * (block[n3 + q] as number);
    }
  }
}

function splitBlocks(
  joint: Float64Array,
  n: number,
  colsA: number,
  colsB: number,
  rows: number,
  meanA: Float64Array,
  meanB: Float64Array,
): CentredGram {
  const upper = (p: number, q: number): number => (p <= q ? (joint[p * n + q] as number) : (joint[q * n + p] as number));
  const aa = new Float64Array(colsA * colsA);
  const ab = new Float64Array(colsA * colsB);
  const bb = new Float64Array(colsB * colsB);
  for (let p = 0; p < colsA; p++) {
    for (let q = 0; q < colsA; q++) aa[p * colsA + q] = upper(p, q);
    for (let q = 0; q < colsB; q++) ab[p * colsB + q] = upper(p, colsA + q);
  }
  for (let p = 0; p < colsB; p++) for (let q = 0; q < colsB; q++) bb[p * colsB + q] = upper(colsA + p, colsA + q);
  return { rows, colsA, colsB, meanA, meanB, aa, ab, bb };
}

/** XᵀX of the uncentred matrix from its centred Gram and means: `centred + rows·μμᵀ`. */
export function uncentred(centred: Float64Array, mean: Float64Array, rows: number): Float64Array {
  const n = mean.length;
  const out = new Float64Array(n * n);
  for (let p = 0; p < n; p++) {
    for (let q = 0; q < n; q++) out[p * n + q] = (centred[p * n + q] as number) + rows * (mean[p] as number) * (mean[q] as number);
  }
  return out;
}
