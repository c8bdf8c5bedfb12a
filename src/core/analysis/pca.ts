import { topEigenpairs, type KrylovResult, type SymmetricOperator } from './block-krylov';
import {
  accumulateRows,
  covarianceProductChunk,
  finishCovarianceProduct,
  isFiniteRow,
  KERNEL_WIDTH,
  meanAndScatter,
  projectRows,
  type RowSums,
} from './pca-kernels';
import { Pacer } from './pacer';
import { seededRandom, sortedSample } from './seeded-random';

/** How to run a PCA. */
export interface PcaOptions {
  /** Axes wanted: 2 for the scatter, 3 for a 3-D view. */
  components: 2 | 3;
  /** Seed of the row sample and of the solver's starting vectors (default 1): the same seed, the same picture. */
  seed?: number;
  /** The basis is fitted on a seeded sample of this many rows when there are more (default 20000); all rows are projected. */
  maxFitRows?: number;
  /** Checked between chunks of work (the function yields to the event loop so an abort can arrive). */
  signal?: AbortSignal;
  /** Share of the work done, 0..1, non-decreasing; 1 at the end. */
  onProgress?(fraction: number): void;
}

/** A PCA fit and the projection of every row. */
export interface PcaResult {
  /** Coordinates, rows × components, row-major: (x − mean)·component. Rows holding NaN/±Infinity get 0s. */
  coords: Float32Array;
  /** Components × cols, row-major unit vectors (zero vectors beyond `cols` axes); each one's largest-|value| entry is positive. */
  components: Float32Array;
  /** Mean of the fitted rows (cols values). */
  mean: Float32Array;
  /** Share of the fitted rows' total variance along each component, descending; 0 for an axis the data does not span. */
  explainedVarianceRatio: number[];
  /** Rows the basis was fitted on: the sample, less rows holding NaN/±Infinity. */
  fittedRows: number;
  /** Rows holding NaN or ±Infinity: left out of the fit and placed at the origin. */
  nonFiniteRows: number;
  /** Passes of the Krylov solver over the fitted rows (0 when nothing needed solving). */
  passes: number;
  /** False only when the solver stopped at its basis-size limit before reaching its tolerance (the axes are then
   *  still a near-optimal plane, just not numpy's to every digit). */
  converged: boolean;
}

/** Rows the basis is fitted on by default: enough for a stable top-3 subspace, bounded cost on any vocabulary. */
export const DEFAULT_MAX_FIT_ROWS = 20_000;
const DEFAULT_SEED = 1;
/**
 * Stop when each Ritz pair's residual is below this share of the top eigenvalue. The eigenvalues are then exact to
 * ~1e-10 (error ≤ residual² / gap) and each axis to about 1e-5 / (relative gap to the next eigenvalue): a tilt of
 * 1e-4 for a 10 % gap, far below a pixel of the scatter. 1e-6 costs one more pass and changes no shown digit.
 */
const TOLERANCE = 1e-5;
/**
 * Largest Krylov basis: 16 passes of 4 vectors. Embedding spectra converge in 3–8 passes; the cap bounds the time of
 * a flat (isotropic) spectrum, where any plane shows the data as well as the exact one.
 */
const MAX_KRYLOV_DIMENSION = 64;
/** An eigenvalue below this share of the total variance is rounding: that axis is not spanned by the data. */
const ZERO_VARIANCE_SHARE = 1e-10;
/** Matrix values per chunk between yields (~10–20 ms of kernel time here). */
const CHUNK_VALUES = 4_000_000;

/**
 * Centred PCA of a row-major float32 matrix: the top `components` axes of the (sampled) rows by block Krylov
 * iteration on the implicit covariance (never a d×d matrix), then every row projected. Accumulates in float64.
 */
export async function pca(matrix: Float32Array, rows: number, cols: number, options: PcaOptions): Promise<PcaResult> {
  const k = options.components;
  checkArguments(matrix, rows, cols, options);
  const maxFitRows = options.maxFitRows ?? DEFAULT_MAX_FIT_ROWS;
  const random = seededRandom(options.seed ?? DEFAULT_SEED);
  const sample = sortedSample(rows, maxFitRows, random);
  const chunkRows = Math.max(1, Math.floor(CHUNK_VALUES / Math.max(cols, 1)));
  // Work in multiply-adds: the statistics pass, the solver's passes (2·KERNEL_WIDTH per value), the projection.
  const passWork = 2 * KERNEL_WIDTH * sample.length * cols;
  const maxPasses = Math.ceil(Math.min(cols, MAX_KRYLOV_DIMENSION) / KERNEL_WIDTH);
  const projectWork = 3 * rows * cols;
  const pacer = new Pacer(sample.length * cols + maxPasses * passWork + projectWork, options.signal, options.onProgress);

  const firstFinite = sample.find((row) => isFiniteRow(matrix, cols, row));
  const shift =
    firstFinite === undefined ? new Float64Array(cols) : Float64Array.from(matrix.subarray(firstFinite * cols, (firstFinite + 1) * cols));
  const sums: RowSums = { shift, sum: new Float64Array(cols), squares: 0, finite: 0 };
  for (let from = 0; from < sample.length; from += chunkRows) {
    const to = Math.min(sample.length, from + chunkRows);
    accumulateRows(matrix, cols, sample, from, to, sums);
    await pacer.step((to - from) * cols);
  }
  const fitted = sample.subarray(0, sums.finite);
  const { mean, scatter: totalVariance } = meanAndScatter(sums);

  let solved: KrylovResult | undefined;
  if (totalVariance > 0) {
    const operator = sampleCovariance(matrix, cols, fitted, mean, chunkRows, pacer);
    solved = await topEigenpairs(operator, {
      count: k,
      blockSize: KERNEL_WIDTH,
      maxDimension: MAX_KRYLOV_DIMENSION,
      tolerance: TOLERANCE,
      random,
    });
  }
  const axes = finishAxes(solved, k, cols, totalVariance);
  pacer.jumpTo(pacer.total - projectWork);

  const coords = new Float32Array(rows * k);
  const w = new Float64Array(3 * cols);
  w.set(axes.basis);
  const meanDotW = Float64Array.from({ length: 3 }, (_, j) => dotRange(mean, w, j * cols, cols));
  let nonFiniteRows = 0;
  for (let from = 0; from < rows; from += chunkRows) {
    const to = Math.min(rows, from + chunkRows);
    nonFiniteRows += projectRows(matrix, cols, from, to, w, meanDotW, k, coords);
    await pacer.step(3 * (to - from) * cols);
  }
  pacer.finish();
  return {
    coords,
    components: Float32Array.from(axes.basis),
    mean: Float32Array.from(mean),
    explainedVarianceRatio: axes.ratios,
    fittedRows: fitted.length,
    nonFiniteRows,
    passes: solved?.passes ?? 0,
    converged: solved?.converged ?? true,
  };
}

function checkArguments(matrix: Float32Array, rows: number, cols: number, options: PcaOptions): void {
  if (!Number.isSafeInteger(rows) || rows < 0) throw new RangeError(`pca: rows must be a whole number ≥ 0, got ${rows}`);
  if (!Number.isSafeInteger(cols) || cols < 0) throw new RangeError(`pca: cols must be a whole number ≥ 0, got ${cols}`);
  if (matrix.length < rows * cols) {
    throw new RangeError(`pca: matrix must hold rows × cols = ${rows * cols} values, got ${matrix.length}`);
  }
  if (options.components !== 2 && options.components !== 3) {
    throw new RangeError(`pca: components must be 2 or 3, got ${String(options.components)}`);
  }
  const maxFitRows = options.maxFitRows;
  if (maxFitRows !== undefined && (!Number.isSafeInteger(maxFitRows) || maxFitRows < 2)) {
    throw new RangeError(`pca: maxFitRows must be a whole number ≥ 2, got ${maxFitRows}`);
  }
}

/** The fitted rows' centred XᵀX as an operator: each application is one chunked pass over them. */
function sampleCovariance(
  matrix: Float32Array,
  cols: number,
  fitted: Int32Array,
  mean: Float64Array,
  chunkRows: number,
  pacer: Pacer,
): SymmetricOperator {
  return {
    dim: cols,
    async apply(block, count) {
      const v = new Float64Array(KERNEL_WIDTH * cols);
      v.set(block.subarray(0, count * cols));
      const meanDotV = Float64Array.from({ length: KERNEL_WIDTH }, (_, j) => dotRange(mean, v, j * cols, cols));
      const z = new Float64Array(KERNEL_WIDTH * cols);
      const ySum = new Float64Array(KERNEL_WIDTH);
      for (let from = 0; from < fitted.length; from += chunkRows) {
        const to = Math.min(fitted.length, from + chunkRows);
        covarianceProductChunk(matrix, cols, fitted, from, to, v, meanDotV, z, ySum);
        await pacer.step(2 * KERNEL_WIDTH * (to - from) * cols);
      }
      finishCovarianceProduct(z, cols, mean, ySum);
      return z;
    },
  };
}

/**
 * The axes as published: the solver's eigenvectors with a fixed sign (largest-|value| entry positive, so pictures
 * do not flip between runs), axes the data does not span replaced by the standard basis vector least covered by
 * the axes before them (deterministic, independent of the seed), and zero vectors beyond `cols`.
 */
function finishAxes(
  solved: KrylovResult | undefined,
  k: number,
  cols: number,
  totalVariance: number,
): { basis: Float64Array; ratios: number[] } {
  const basis = new Float64Array(k * cols);
  const ratios: number[] = [];
  for (let r = 0; r < k; r++) {
    const axis = basis.subarray(r * cols, (r + 1) * cols);
    const value = solved && r < solved.found ? (solved.values[r] as number) : 0;
    if (value > ZERO_VARIANCE_SHARE * totalVariance) {
      axis.set((solved as KrylovResult).vectors.subarray(r * cols, (r + 1) * cols));
      normalise(axis);
      ratios.push(Math.min(1, value / totalVariance));
    } else {
      if (r < cols) complementAxis(basis, r, cols);
      ratios.push(0);
    }
    fixSign(axis);
  }
  return { basis, ratios };
}

/** Sets axis r to the unit vector, orthogonal to axes 0..r-1, made from the standard basis vector they cover least. */
function complementAxis(basis: Float64Array, r: number, cols: number): void {
  let best = 0;
  let bestCovered = Infinity;
  for (let c = 0; c < cols; c++) {
    let covered = 0;
    for (let i = 0; i < r; i++) covered += (basis[i * cols + c] as number) ** 2;
    if (covered < bestCovered - 1e-12) {
      best = c;
      bestCovered = covered;
    }
  }
  const axis = basis.subarray(r * cols, (r + 1) * cols);
  axis.fill(0);
  axis[best] = 1;
  for (let round = 0; round < 2; round++) {
    for (let i = 0; i < r; i++) {
      const projection = dotRange(axis, basis, i * cols, cols);
      for (let c = 0; c < cols; c++) axis[c] = (axis[c] as number) - projection * (basis[i * cols + c] as number);
    }
  }
  normalise(axis);
}

/** Flips a vector so that its largest-magnitude entry (the first, on a tie) is positive. */
function fixSign(axis: Float64Array): void {
  let largest = 0;
  for (let c = 0; c < axis.length; c++) if (Math.abs(axis[c] as number) > Math.abs(axis[largest] as number)) largest = c;
  if ((axis[largest] ?? 0) < 0) for (let c = 0; c < axis.length; c++) axis[c] = -(axis[c] as number);
}

function normalise(axis: Float64Array): void {
  const norm = Math.sqrt(dotRange(axis, axis, 0, axis.length));
  if (norm > 0) for (let c = 0; c < axis.length; c++) axis[c] = (axis[c] as number) / norm;
}

/** a[0..length) · b[offset..offset+length). */
function dotRange(a: Float64Array, b: Float64Array, offset: number, length: number): number {
  let total = 0;
  for (let c = 0; c < length; c++) total += (a[c] as number) * (b[offset + c] as number);
  return total;
}
