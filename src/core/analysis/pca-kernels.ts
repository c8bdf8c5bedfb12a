/**
 * The PCA's hot loops over the data matrix (row-major float32, `cols` wide), all accumulating in float64.
 * Each works on a range of rows so the caller can cut a pass into chunks and yield between them.
 */

/** Vectors per block the covariance kernel multiplies at once (it is unrolled for exactly this many). */
export const KERNEL_WIDTH = 4;

/**
 * Running sums over the fitted rows for the mean and the total variance, taken about a fixed `shift` (a row of the
 * data): Σ(x − shift) and Σ‖x − shift‖². Shifting by a data point keeps the one-pass variance formula exact to
 * rounding, with no second pass centred on the mean.
 */
export interface RowSums {
  readonly shift: Float64Array;
  readonly sum: Float64Array;
  squares: number;
  /** Rows of the sample whose values are all finite (the others are left out of the fit). */
  finite: number;
}

/** True when every value of the row is finite: a float32 row's float64 sum is finite exactly then (it cannot overflow). */
export function isFiniteRow(matrix: Float32Array, cols: number, row: number): boolean {
  const base = row * cols;
  let total = 0;
  for (let c = 0; c < cols; c++) total += matrix[base + c] as number;
  return Number.isFinite(total);
}

/**
 * Adds rows `sample[from..to)` to `sums`, skipping rows that hold a NaN or ±Infinity, and compacts the finite rows'
 * indices to the front of `sample` (in order) so later passes see only them.
 */
export function accumulateRows(matrix: Float32Array, cols: number, sample: Int32Array, from: number, to: number, sums: RowSums): void {
  const { sum, shift } = sums;
  let squares = 0;
  let finite = sums.finite;
  for (let i = from; i < to; i++) {
    const row = sample[i] as number;
    if (!isFiniteRow(matrix, cols, row)) continue;
    const base = row * cols;
    for (let c = 0; c < cols; c++) {
      const deviation = (matrix[base + c] as number) - (shift[c] as number);
      sum[c] = (sum[c] as number) + deviation;
      squares += deviation * deviation;
    }
    sample[finite++] = row;
  }
  sums.squares += squares;
  sums.finite = finite;
}

/** The mean and Σ‖x − mean‖² of the rows summed into `sums`: mean = shift + Σ(x − shift)/n, and the shifted-sums identity. */
export function meanAndScatter(sums: RowSums): { mean: Float64Array; scatter: number } {
  const n = sums.finite;
  const mean = new Float64Array(sums.sum.length);
  if (n === 0) return { mean, scatter: 0 };
  let offset = 0;
  for (let c = 0; c < mean.length; c++) {
    const delta = (sums.sum[c] as number) / n;
    mean[c] = (sums.shift[c] as number) + delta;
    offset += delta * delta;
  }
  return { mean, scatter: Math.max(0, sums.squares - n * offset) };
}

/**
 * One chunk of Z = Xᵀ·((X − 1·meanᵀ)·V) over rows `sample[from..to)`, for KERNEL_WIDTH vectors V stored one after
 * another (`v[j*cols + c]`). `meanDotV[j]` = mean·v_j. Adds into `z` (same layout) and into `ySum[j]` = Σ_i y_ij;
 * the centred product is then z − mean·ySumᵀ (see `finishCovarianceProduct`). Four rows × four vectors per step:
 * sixteen float64 accumulators, each value of X and V loaded once per step (≈ 2 Gmadd/s in V8 here, 2.5× a plain loop).
 */
export function covarianceProductChunk(
  matrix: Float32Array,
  cols: number,
  sample: Int32Array,
  from: number,
  to: number,
  v: Float64Array,
  meanDotV: Float64Array,
  z: Float64Array,
  ySum: Float64Array,
): void {
  const o1 = cols;
  const o2 = 2 * cols;
  const o3 = 3 * cols;
  const m0n = -(meanDotV[0] as number);
  const m1n = -(meanDotV[1] as number);
  const m2n = -(meanDotV[2] as number);
  const m3n = -(meanDotV[3] as number);
  let i = from;
  for (; i + 3 < to; i += 4) {
    const b0 = (sample[i] as number) * cols;
    const b1 = (sample[i + 1] as number) * cols;
    const b2 = (sample[i + 2] as number) * cols;
    const b3 = (sample[i + 3] as number) * cols;
    // Each sum starts at −mean·v_j, so it ends as y = (x − mean)·v_j.
    let a0 = m0n,
      a1 = m1n,
      a2 = m2n,
      a3 = m3n,
      e0 = m0n,
      e1 = m1n,
      e2 = m2n,
      e3 = m3n;
    let f0 = m0n,
      f1 = m1n,
      f2 = m2n,
      f3 = m3n,
      g0 = m0n,
      g1 = m1n,
      g2 = m2n,
      g3 = m3n;
    for (let c = 0; c < cols; c++) {
      const v0 = v[c] as number;
      const v1 = v[o1 + c] as number;
      const v2 = v[o2 + c] as number;
      const v3 = v[o3 + c] as number;
      const x0 = matrix[b0 + c] as number;
      const x1 = matrix[b1 + c] as number;
      const x2 = matrix[b2 + c] as number;
      const x3 = matrix[b3 + c] as number;
      a0 += x0 * v0;
      a1 += x0 * v1;
      a2 += x0 * v2;
      a3 += x0 * v3;
      e0 += x1 * v0;
      e1 += x1 * v1;
      e2 += x1 * v2;
      e3 += x1 * v3;
      f0 += x2 * v0;
      f1 += x2 * v1;
      f2 += x2 * v2;
      f3 += x2 * v3;
      g0 += x3 * v0;
      g1 += x3 * v1;
      g2 += x3 * v2;
      g3 += x3 * v3;
    }
    ySum[0] = (ySum[0] as number) + a0 + e0 + f0 + g0;
    ySum[1] = (ySum[1] as number) + a1 + e1 + f1 + g1;
    ySum[2] = (ySum[2] as number) + a2 + e2 + f2 + g2;
    ySum[3] = (ySum[3] as number) + a3 + e3 + f3 + g3;
    for (let c = 0; c < cols; c++) {
      const x0 = matrix[b0 + c] as number;
      const x1 = matrix[b1 + c] as number;
      const x2 = matrix[b2 + c] as number;
      const x3 = matrix[b3 + c] as number;
      z[c] = (z[c] as number) + x0 * a0 + x1 * e0 + x2 * f0 + x3 * g0;
      z[o1 + c] = (z[o1 + c] as number) + x0 * a1 + x1 * e1 + x2 * f1 + x3 * g1;
      z[o2 + c] = (z[o2 + c] as number) + x0 * a2 + x1 * e2 + x2 * f2 + x3 * g2;
      z[o3 + c] = (z[o3 + c] as number) + x0 * a3 + x1 * e3 + x2 * f3 + x3 * g3;
    }
  }
  for (; i < to; i++) {
    const b0 = (sample[i] as number) * cols;
    let a0 = m0n,
      a1 = m1n,
      a2 = m2n,
      a3 = m3n;
    for (let c = 0; c < cols; c++) {
      const x0 = matrix[b0 + c] as number;
      a0 += x0 * (v[c] as number);
      a1 += x0 * (v[o1 + c] as number);
      a2 += x0 * (v[o2 + c] as number);
      a3 += x0 * (v[o3 + c] as number);
    }
    ySum[0] = (ySum[0] as number) + a0;
    ySum[1] = (ySum[1] as number) + a1;
    ySum[2] = (ySum[2] as number) + a2;
    ySum[3] = (ySum[3] as number) + a3;
    for (let c = 0; c < cols; c++) {
      const x0 = matrix[b0 + c] as number;
      z[c] = (z[c] as number) + x0 * a0;
      z[o1 + c] = (z[o1 + c] as number) + x0 * a1;
      z[o2 + c] = (z[o2 + c] as number) + x0 * a2;
      z[o3 + c] = (z[o3 + c] as number) + x0 * a3;
    }
  }
}

/** z ← z − mean·ySumᵀ: turns Σ x_i y_iᵀ into Σ (x_i − mean) y_iᵀ, the centred covariance product. */
export function finishCovarianceProduct(z: Float64Array, cols: number, mean: Float64Array, ySum: Float64Array): void {
  for (let j = 0; j < KERNEL_WIDTH; j++) {
    const s = ySum[j] as number;
    for (let c = 0; c < cols; c++) z[j * cols + c] = (z[j * cols + c] as number) - (mean[c] as number) * s;
  }
}

/**
 * Coordinates of rows [from, to) on `components` (2 or 3) axes w (`w[j*cols + c]`), written to `coords` row-major.
 * A row holding NaN or ±Infinity gets coordinates 0 (the mean) and is counted in the return value: NaN·w and ∞·w
 * (NaN when w is 0) keep every sum non-finite, so the first axis's sum alone tells. `meanDotW[j]` = mean·w_j.
 */
export function projectRows(
  matrix: Float32Array,
  cols: number,
  from: number,
  to: number,
  w: Float64Array,
  meanDotW: Float64Array,
  components: number,
  coords: Float32Array,
): number {
  return components === 3 ? project3(matrix, cols, from, to, w, meanDotW, coords) : project2(matrix, cols, from, to, w, meanDotW, coords);
}

function project2(
  matrix: Float32Array,
  cols: number,
  from: number,
  to: number,
  w: Float64Array,
  meanDotW: Float64Array,
  coords: Float32Array,
): number {
  const m0 = meanDotW[0] as number;
  const m1 = meanDotW[1] as number;
  let nonFinite = 0;
  let row = from;
  // Four rows per step: each axis value loaded once for all four, eight independent sums.
  for (; row + 3 < to; row += 4) {
    const b0 = row * cols;
    const b1 = b0 + cols;
    const b2 = b1 + cols;
    const b3 = b2 + cols;
    let p0 = 0;
    let p1 = 0;
    let q0 = 0;
    let q1 = 0;
    let r0 = 0;
    let r1 = 0;
    let s0 = 0;
    let s1 = 0;
    for (let c = 0; c < cols; c++) {
      const w0 = w[c] as number;
      const w1 = w[cols + c] as number;
      const x0 = matrix[b0 + c] as number;
      const x1 = matrix[b1 + c] as number;
      const x2 = matrix[b2 + c] as number;
      const x3 = matrix[b3 + c] as number;
      p0 += x0 * w0;
      p1 += x0 * w1;
      q0 += x1 * w0;
      q1 += x1 * w1;
      r0 += x2 * w0;
      r1 += x2 * w1;
      s0 += x3 * w0;
      s1 += x3 * w1;
    }
    nonFinite += store(coords, row * 2, 2, p0 - m0, p1 - m1, 0);
    nonFinite += store(coords, row * 2 + 2, 2, q0 - m0, q1 - m1, 0);
    nonFinite += store(coords, row * 2 + 4, 2, r0 - m0, r1 - m1, 0);
    nonFinite += store(coords, row * 2 + 6, 2, s0 - m0, s1 - m1, 0);
  }
  for (; row < to; row++) {
    const b0 = row * cols;
    let p0 = 0;
    let p1 = 0;
    for (let c = 0; c < cols; c++) {
      const x = matrix[b0 + c] as number;
      p0 += x * (w[c] as number);
      p1 += x * (w[cols + c] as number);
    }
    nonFinite += store(coords, row * 2, 2, p0 - m0, p1 - m1, 0);
  }
  return nonFinite;
}

function project3(
  matrix: Float32Array,
  cols: number,
  from: number,
  to: number,
  w: Float64Array,
  meanDotW: Float64Array,
  coords: Float32Array,
): number {
  const m0 = meanDotW[0] as number;
  const m1 = meanDotW[1] as number;
  const m2 = meanDotW[2] as number;
  const o2 = 2 * cols;
  let nonFinite = 0;
  let row = from;
  for (; row + 1 < to; row += 2) {
    const b0 = row * cols;
    const b1 = b0 + cols;
    let p0 = 0;
    let p1 = 0;
    let p2 = 0;
    let q0 = 0;
    let q1 = 0;
    let q2 = 0;
    for (let c = 0; c < cols; c++) {
      const w0 = w[c] as number;
      const w1 = w[cols + c] as number;
      const w2 = w[o2 + c] as number;
      const x = matrix[b0 + c] as number;
      const y = matrix[b1 + c] as number;
      p0 += x * w0;
      p1 += x * w1;
      p2 += x * w2;
      q0 += y * w0;
      q1 += y * w1;
      q2 += y * w2;
    }
    nonFinite += store(coords, row * 3, 3, p0 - m0, p1 - m1, p2 - m2);
    nonFinite += store(coords, row * 3 + 3, 3, q0 - m0, q1 - m1, q2 - m2);
  }
  for (; row < to; row++) {
    const b0 = row * cols;
    let p0 = 0;
    let p1 = 0;
    let p2 = 0;
    for (let c = 0; c < cols; c++) {
      const x = matrix[b0 + c] as number;
      p0 += x * (w[c] as number);
      p1 += x * (w[cols + c] as number);
      p2 += x * (w[o2 + c] as number);
    }
    nonFinite += store(coords, row * 3, 3, p0 - m0, p1 - m1, p2 - m2);
  }
  return nonFinite;
}

/** Writes one row's coordinates, or zeros when they are not finite; returns 1 for a non-finite row. */
function store(coords: Float32Array, at: number, components: number, a: number, b: number, c: number): number {
  const finite = Number.isFinite(a);
  coords[at] = finite ? a : 0;
  coords[at + 1] = finite ? b : 0;
  if (components === 3) coords[at + 2] = finite ? c : 0;
  return finite ? 0 : 1;
}
