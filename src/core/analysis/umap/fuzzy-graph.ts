import type { Metric } from '../../neighbors';
import type { KnnGraph } from '../knn';
import type { Pacer } from '../pacer';

/** A symmetric sparse matrix in CSR form over typed arrays: row i's entries are `indptr[i]..indptr[i+1]`, columns ascending. */
export interface SparseGraph {
  readonly rows: number;
  readonly indptr: Int32Array;
  readonly indices: Int32Array;
  readonly weights: Float64Array;
}

/** The per-row kernel of UMAP's local fuzzy sets. */
export interface SmoothKnn {
  /** Distance to the nearest neighbour at a non-zero distance (ρ). */
  readonly rhos: Float64Array;
  /** Bandwidth σ making the row's memberships sum to log₂(k + 1). */
  readonly sigmas: Float64Array;
}

/** umap-learn's SMOOTH_K_TOLERANCE: the binary search stops when the membership sum is this close to its target. */
const SMOOTH_K_TOLERANCE = 1e-5;
/** umap-learn's MIN_K_DIST_SCALE: σ never falls below this share of the mean neighbour distance. */
const MIN_K_DIST_SCALE = 1e-3;
/** Binary search steps (umap-learn's n_iter): far more than float precision needs. */
const SEARCH_STEPS = 64;
/** Rows handled between pacer checks. */
const ROWS_PER_CHUNK = 4096;

/**
 * Distances of a kNN graph for UMAP: cosine similarity s becomes 1 − s (umap-learn's cosine distance), euclidean
 * scores already are distances. Dot-product scores are not distances, so they are refused. NaN where the index is −1.
 */
export function knnDistances(graph: KnnGraph, metric: Metric): Float64Array {
  if (metric === 'dot') {
    throw new RangeError("umap: metric must be 'cosine' or 'euclidean' (dot-product scores are not distances), got 'dot'");
  }
  const distances = new Float64Array(graph.scores.length);
  for (let i = 0; i < distances.length; i++) {
    const score = graph.scores[i] as number;
    // Clamped at 0: float32 rounding can put a duplicate's cosine a hair above 1.
    distances[i] = (graph.indices[i] as number) < 0 ? NaN : metric === 'cosine' ? Math.max(0, 1 - score) : Math.max(0, score);
  }
  return distances;
}

/**
 * σ and ρ of every row, as umap-learn's smooth_knn_dist with local_connectivity 1 and bandwidth 1. The graph holds
 * each row's k neighbours without the row itself; umap-learn's lists start with the row itself at distance 0, so
 * this is its `n_neighbors = k + 1`: the target sum is log₂(k + 1) and the means count the row's own 0.
 */
export async function smoothKnn(graph: KnnGraph, distances: Float64Array, pacer: Pacer): Promise<SmoothKnn> {
  const { queries: rows, k } = graph;
  const rhos = new Float64Array(rows);
  const sigmas = new Float64Array(rows);
  const target = Math.log2(k + 1);
  let total = 0;
  let counted = 0;
  for (let i = 0; i < distances.length; i++) {
    if (!Number.isNaN(distances[i] as number) && (graph.indices[i] as number) !== Math.floor(i / k)) {
      total += distances[i] as number;
      counted++;
    }
  }
  // umap-learn's mean over the whole (rows × n_neighbors) matrix, own zeros included.
  const meanDistance = counted + rows > 0 ? total / (counted + rows) : 0;
  for (let from = 0; from < rows; from += ROWS_PER_CHUNK) {
    const to = Math.min(rows, from + ROWS_PER_CHUNK);
    for (let row = from; row < to; row++) {
      const base = row * k;
      let rho = 0;
      let rowSum = 0;
      let rowCount = 1;
      for (let j = 0; j < k; j++) {
        const d = distances[base + j] as number;
        if (Number.isNaN(d) || graph.indices[base + j] === row) continue;
        rowSum += d;
        rowCount++;
        // Lists are sorted: the first positive distance is the smallest (local_connectivity = 1).
        if (rho === 0 && d > 0) rho = d;
      }
      let lo = 0;
      let hi = Infinity;
      let mid = 1;
      for (let step = 0; step < SEARCH_STEPS; step++) {
        let sum = 0;
        for (let j = 0; j < k; j++) {
          const d = distances[base + j] as number;
          if (Number.isNaN(d) || graph.indices[base + j] === row) continue;
          const excess = d - rho;
          sum += excess > 0 ? Math.exp(-excess / mid) : 1;
        }
        if (Math.abs(sum - target) < SMOOTH_K_TOLERANCE) break;
        if (sum > target) {
          hi = mid;
          mid = (lo + hi) / 2;
        } else {
          lo = mid;
          mid = hi === Infinity ? mid * 2 : (lo + hi) / 2;
        }
      }
      const floor = MIN_K_DIST_SCALE * (rho > 0 ? rowSum / rowCount : meanDistance);
      rhos[row] = rho;
      sigmas[row] = Math.max(mid, floor);
    }
    await pacer.step(to - from);
  }
  return { rhos, sigmas };
}

/**
 * UMAP's fuzzy simplicial set: directed memberships exp(−(d − ρᵢ)/σᵢ) (1 within ρ), then the fuzzy union
 * A + Aᵀ − A∘Aᵀ, as a symmetric CSR matrix without zeros or self-loops. Built with two counting sorts (no maps).
 */
export async function fuzzyGraph(graph: KnnGraph, distances: Float64Array, smooth: SmoothKnn, pacer: Pacer): Promise<SparseGraph> {
  const { queries: rows, k } = graph;
  // Directed entries, each stored both ways: (i → j, w) and (j → i, w) marked as transposed.
  const capacity = 2 * rows * k;
  const entryRow = new Int32Array(capacity);
  const entryCol = new Int32Array(capacity);
  const entryWeight = new Float64Array(capacity);
  let count = 0;
  for (let from = 0; from < rows; from += ROWS_PER_CHUNK) {
    const to = Math.min(rows, from + ROWS_PER_CHUNK);
    for (let row = from; row < to; row++) {
      const rho = smooth.rhos[row] as number;
      const sigma = smooth.sigmas[row] as number;
      for (let j = 0; j < k; j++) {
        const col = graph.indices[row * k + j] as number;
        if (col < 0 || col === row || col >= rows) continue;
        const excess = (distances[row * k + j] as number) - rho;
        const weight = excess <= 0 || sigma === 0 ? 1 : Math.exp(-excess / sigma);
        if (!(weight > 0)) continue;
        entryRow[count] = row;
        entryCol[count] = col;
        entryWeight[count] = weight;
        count++;
        entryRow[count] = col;
        entryCol[count] = row;
        entryWeight[count] = weight;
        count++;
      }
    }
    await pacer.step(to - from);
  }
  // Order by (row, col): a stable counting sort by column, then one by row.
  const byCol = countingOrder(entryCol, count, rows, null);
  const order = countingOrder(entryRow, count, rows, byCol);
  await pacer.step(rows);

  const indptr = new Int32Array(rows + 1);
  const indices = new Int32Array(count);
  const weights = new Float64Array(count);
  let nnz = 0;
  let at = 0;
  for (let row = 0; row < rows; row++) {
    indptr[row] = nnz;
    while (at < count && entryRow[order[at] as number] === row) {
      const first = order[at] as number;
      const col = entryCol[first] as number;
      let value = entryWeight[first] as number;
      at++;
      // A pair present both ways (i in j's list and j in i's): the fuzzy union of the two memberships.
      while (at < count && entryRow[order[at] as number] === row && entryCol[order[at] as number] === col) {
        const other = entryWeight[order[at] as number] as number;
        value = value + other - value * other;
        at++;
      }
      indices[nnz] = col;
      weights[nnz] = value;
      nnz++;
    }
  }
  indptr[rows] = nnz;
  await pacer.step(rows);
  return { rows, indptr, indices: indices.slice(0, nnz), weights: weights.slice(0, nnz) };
}

/** A stable counting-sort permutation of the first `count` entries by `keys` (0..buckets-1), applied to `within` when given. */
function countingOrder(keys: Int32Array, count: number, buckets: number, within: Int32Array | null): Int32Array {
  const starts = new Int32Array(buckets + 1);
  for (let i = 0; i < count; i++) {
    const slot = (keys[i] as number) + 1;
    starts[slot] = (starts[slot] as number) + 1;
  }
  for (let b = 0; b < buckets; b++) starts[b + 1] = (starts[b + 1] as number) + (starts[b] as number);
  const order = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const entry = within ? (within[i] as number) : i;
    const key = keys[entry] as number;
    order[starts[key] as number] = entry;
    starts[key] = (starts[key] as number) + 1;
  }
  return order;
}

/** Drops entries below `threshold` (umap-learn prunes weights under max / n_epochs before the layout). */
export function pruneGraph(graph: SparseGraph, threshold: number): SparseGraph {
  const indptr = new Int32Array(graph.rows + 1);
  let kept = 0;
  for (let i = 0; i < graph.weights.length; i++) if ((graph.weights[i] as number) >= threshold) kept++;
  const indices = new Int32Array(kept);
  const weights = new Float64Array(kept);
  let nnz = 0;
  for (let row = 0; row < graph.rows; row++) {
    indptr[row] = nnz;
    for (let e = graph.indptr[row] as number; e < (graph.indptr[row + 1] as number); e++) {
      const weight = graph.weights[e] as number;
      if (weight < threshold) continue;
      indices[nnz] = graph.indices[e] as number;
      weights[nnz] = weight;
      nnz++;
    }
  }
  indptr[graph.rows] = nnz;
  return { rows: graph.rows, indptr, indices, weights };
}

/** Largest weight of a graph (0 when it has no entries). */
export function maxWeight(graph: SparseGraph): number {
  let max = 0;
  for (let i = 0; i < graph.weights.length; i++) if ((graph.weights[i] as number) > max) max = graph.weights[i] as number;
  return max;
}
