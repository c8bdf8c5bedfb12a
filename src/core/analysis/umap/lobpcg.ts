import type { Pacer } from '../pacer';
import { fillGaussian, type Random } from '../seeded-random';
import { symmetricEigen } from '../symmetric-eigen';

/** A symmetric n×n operator applied to several vectors stored interleaved (vector c of row i at `x[i*stride + c]`). */
export interface BlockOperator {
  readonly n: number;
  /** y[:, from..to) = A · x[:, from..to), both with `stride` values per row. */
  apply(x: Float64Array, y: Float64Array, stride: number, from: number, to: number): void;
}

/** How far to iterate. */
export interface LobpcgOptions {
  /** Eigenpairs wanted (the largest). */
  readonly wanted: number;
  /** Vectors iterated (≥ wanted); the extra ones speed up convergence when eigenvalues cluster. */
  readonly blockSize: number;
  /** A unit eigenvector already known (the trivial one), kept out of the search. */
  readonly deflate?: Float64Array;
  /** Stop when every wanted pair has ‖A·x − θ·x‖ ≤ tolerance (unit x). */
  readonly tolerance: number;
  readonly maxIterations: number;
  readonly random: Random;
  readonly pacer: Pacer;
}

/** The largest eigenpairs found. */
export interface LobpcgResult {
  /** Eigenvalues, largest first (`wanted` of them). */
  readonly values: Float64Array;
  /** n × wanted, interleaved: component c of row i at `vectors[i*wanted + c]`; unit columns. */
  readonly vectors: Float64Array;
  readonly iterations: number;
  /** Largest residual norm among the wanted pairs at the end. */
  readonly residual: number;
}

/** A Gram direction whose eigenvalue falls below this share of the largest is numerically dependent and dropped. */
const DEPENDENT_SHARE = 1e-12;

/**
 * Largest eigenpairs of a symmetric operator on a large space by LOBPCG (Knyazev): the search space is
 * [X, residuals, previous step]; Rayleigh–Ritz on it uses its Gram matrices (columns scaled to unit length, then
 * whitened by the Gram matrix's eigenvectors, dropping dependent directions) so nothing n-sized is orthogonalised
 * explicitly. Memory: 6 · n · blockSize float64. Each iteration applies the operator to blockSize vectors.
 */
export async function lobpcg(operator: BlockOperator, options: LobpcgOptions): Promise<LobpcgResult> {
  const n = operator.n;
  const b = options.blockSize;
  const m = 3 * b;
  // S = [X | R | P] and AS = A·S, interleaved with m values per row.
  const s = new Float64Array(n * m);
  const as = new Float64Array(n * m);
  const start = new Float64Array(n * b);
  fillGaussian(start, options.random);
  for (let i = 0; i < n; i++) for (let c = 0; c < b; c++) s[i * m + c] = start[i * b + c] as number;
  deflate(s, n, m, 0, b, options.deflate);
  operator.apply(s, as, m, 0, b);
  let theta = rayleighRitz(s, as, n, m, b, b, null);
  let width = b;
  let iterations = 0;
  let residual = Infinity;
  for (; iterations < options.maxIterations; iterations++) {
    // R = A·X − X·θ.
    for (let i = 0; i < n; i++) {
      const row = i * m;
      for (let c = 0; c < b; c++) s[row + b + c] = (as[row + c] as number) - (theta[c] as number) * (s[row + c] as number);
    }
    deflate(s, n, m, b, 2 * b, options.deflate);
    residual = 0;
    for (let c = 0; c < options.wanted; c++) residual = Math.max(residual, Math.sqrt(columnDot(s, s, n, m, b + c, b + c)));
    await options.pacer.step(n);
    if (residual <= options.tolerance) break;
    operator.apply(s, as, m, b, 2 * b);
    width = iterations === 0 ? 2 * b : 3 * b;
    theta = rayleighRitz(s, as, n, m, width, b, theta);
  }
  const values = theta.slice(0, options.wanted);
  const vectors = new Float64Array(n * options.wanted);
  for (let i = 0; i < n; i++) for (let c = 0; c < options.wanted; c++) vectors[i * options.wanted + c] = s[i * m + c] as number;
  return { values, vectors, iterations, residual };
}

/**
 * Rayleigh–Ritz on the first `width` columns of S: finds the top `b` Ritz pairs, writes X = S·C and (when the
 * space holds more than X) P = S[:, b:]·C[b:] with their images, and returns the Ritz values.
 */
function rayleighRitz(
  s: Float64Array,
  as: Float64Array,
  n: number,
  m: number,
  width: number,
  b: number,
  previous: Float64Array | null,
): Float64Array {
  // Gram matrices G = SᵀS and H = Sᵀ·(A·S) (upper triangles; H is symmetric up to rounding).
  const g = new Float64Array(width * width);
  const h = new Float64Array(width * width);
  upperProducts(s, s, n, m, width, g);
  upperProducts(s, as, n, m, width, h);
  // Scale columns to unit length (D), then whiten over the independent directions: D·G·D = V·Λ·Vᵀ.
  const scale = new Float64Array(width);
  for (let p = 0; p < width; p++) scale[p] = (g[p * width + p] as number) > 0 ? 1 / Math.sqrt(g[p * width + p] as number) : 0;
  for (let p = 0; p < width; p++) {
    for (let q = p; q < width; q++) g[p * width + q] = (g[p * width + q] as number) * (scale[p] as number) * (scale[q] as number);
  }
  const gram = symmetricEigen(g, width);
  const top = Math.max(gram.values[0] as number, 0);
  let rank = 0;
  while (rank < width && (gram.values[rank] as number) > DEPENDENT_SHARE * top) rank++;
  // W = D^-½·V·Λ^-½ in S's own coordinates, so WᵀGW = I and WᵀHW is the reduced problem.
  const w = new Float64Array(width * rank);
  for (let r = 0; r < rank; r++) {
    const factor = 1 / Math.sqrt(gram.values[r] as number);
    for (let p = 0; p < width; p++) w[p * rank + r] = (gram.vectors[r * width + p] as number) * factor * (scale[p] as number);
  }
  const hFull = new Float64Array(width * width);
  for (let p = 0; p < width; p++) {
    for (let q = p; q < width; q++) {
      hFull[p * width + q] = h[p * width + q] as number;
      hFull[q * width + p] = h[p * width + q] as number;
    }
  }
  const reduced = new Float64Array(rank * rank);
  for (let r = 0; r < rank; r++) {
    for (let t = r; t < rank; t++) {
      let total = 0;
      for (let p = 0; p < width; p++) {
        const wp = w[p * rank + r] as number;
        if (wp === 0) continue;
        for (let q = 0; q < width; q++) total += wp * (hFull[p * width + q] as number) * (w[q * rank + t] as number);
      }
      reduced[r * rank + t] = total;
      reduced[t * rank + r] = total;
    }
  }
  const ritz = symmetricEigen(reduced, rank);
  const kept = Math.min(b, rank);
  // C = W·Y: width × b coefficients of the new X in terms of S's columns.
  const coefficients = new Float64Array(width * b);
  for (let c = 0; c < kept; c++) {
    for (let p = 0; p < width; p++) {
      let total = 0;
      for (let r = 0; r < rank; r++) total += (w[p * rank + r] as number) * (ritz.vectors[c * rank + r] as number);
      coefficients[p * b + c] = total;
    }
  }
  const theta = new Float64Array(b);
  for (let c = 0; c < b; c++) theta[c] = c < kept ? (ritz.values[c] as number) : (previous?.[c] ?? 0);
  combineColumns(s, n, m, width, b, kept, coefficients);
  combineColumns(as, n, m, width, b, kept, coefficients);
  return theta;
}

/**
 * out[p·width + q] = Σᵢ x[i, p]·y[i, q] for every q ≥ p (a few entries below the diagonal are written too), columns
 * of row-interleaved blocks. Two rows of `out` by four columns at a time in registers: a pass over the rows per block.
 */
function upperProducts(x: Float64Array, y: Float64Array, n: number, stride: number, width: number, out: Float64Array): void {
  const last = width - 1;
  for (let p0 = 0; p0 < width; p0 += 2) {
    // Indices past the block are clamped to a real column (and their sums dropped): no read leaves the matrix.
    const p1 = Math.min(p0 + 1, last);
    for (let q0 = p0; q0 < width; q0 += 4) {
      const q1 = Math.min(q0 + 1, last);
      const q2 = Math.min(q0 + 2, last);
      const q3 = Math.min(q0 + 3, last);
      let s00 = 0;
      let s01 = 0;
      let s02 = 0;
      let s03 = 0;
      let s10 = 0;
      let s11 = 0;
      let s12 = 0;
      let s13 = 0;
      for (let row = 0, end = n * stride; row < end; row += stride) {
        const x0 = x[row + p0] as number;
        const x1 = x[row + p1] as number;
        const y0 = y[row + q0] as number;
        const y1 = y[row + q1] as number;
        const y2 = y[row + q2] as number;
        const y3 = y[row + q3] as number;
        s00 += x0 * y0;
        s01 += x0 * y1;
        s02 += x0 * y2;
        s03 += x0 * y3;
        s10 += x1 * y0;
        s11 += x1 * y1;
        s12 += x1 * y2;
        s13 += x1 * y3;
      }
      const sums = [s00, s01, s02, s03, s10, s11, s12, s13];
      for (let dp = 0; dp < 2 && p0 + dp < width; dp++) {
        for (let dq = 0; dq < 4 && q0 + dq < width; dq++) out[(p0 + dp) * width + q0 + dq] = sums[dp * 4 + dq] as number;
      }
    }
  }
}

/**
 * In place, row by row: columns 0..kept of X ← S·C and, when the space holds more than X, columns 2b.. of P ←
 * S[:, b:]·C[b:] (C is width × b, row-major). Each output is one register sum over the row's columns.
 */
function combineColumns(s: Float64Array, n: number, m: number, width: number, b: number, kept: number, coefficients: Float64Array): void {
  const x = new Float64Array(b);
  const p = new Float64Array(b);
  for (let row = 0, end = n * m; row < end; row += m) {
    for (let c = 0; c < kept; c++) {
      let head = 0;
      for (let q = 0; q < b; q++) head += (coefficients[q * b + c] as number) * (s[row + q] as number);
      let rest = 0;
      for (let q = b; q < width; q++) rest += (coefficients[q * b + c] as number) * (s[row + q] as number);
      x[c] = head + rest;
      p[c] = rest;
    }
    for (let c = 0; c < kept; c++) {
      s[row + c] = x[c] as number;
      if (width > b) s[row + 2 * b + c] = p[c] as number;
    }
  }
}

/** Removes the component along the unit vector `u` from columns from..to of S. */
function deflate(s: Float64Array, n: number, m: number, from: number, to: number, u: Float64Array | undefined): void {
  if (u === undefined) return;
  for (let c = from; c < to; c++) {
    let along = 0;
    for (let i = 0; i < n; i++) along += (u[i] as number) * (s[i * m + c] as number);
    for (let i = 0; i < n; i++) s[i * m + c] = (s[i * m + c] as number) - along * (u[i] as number);
  }
}

/** Σᵢ s[i, p]·t[i, q] for interleaved columns. */
function columnDot(s: Float64Array, t: Float64Array, n: number, m: number, p: number, q: number): number {
  let total = 0;
  for (let i = 0; i < n; i++) total += (s[i * m + p] as number) * (t[i * m + q] as number);
  return total;
}
