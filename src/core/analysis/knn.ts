import type { Metric } from '../neighbors';
import { knnIndexFor } from './knn-index';
import { rowNorms } from './knn-scorers';
import { Pacer } from './pacer';

export { rowNorms };

/**
 * A k-nearest-neighbour graph: for each query, its k best rows of the searched matrix, best first.
 * Scores follow `Metric`: cosine and dot are similarities (higher is nearer), euclidean a distance (lower is nearer).
 */
export interface KnnGraph {
  /** Number of queries (rows of the graph). */
  readonly queries: number;
  readonly k: number;
  /** queries × k row indices into the searched matrix, best first; -1 where fewer than k rows were eligible. */
  readonly indices: Int32Array;
  /** queries × k scores matching `indices` (NaN where the index is -1). */
  readonly scores: Float32Array;
}

/** A top-k search of `queries` against the rows of `data`. */
export interface TopKRequest {
  /** The searched matrix, row-major rows × cols. */
  readonly data: Float32Array;
  readonly cols: number;
  /** Query vectors, row-major, cols each. */
  readonly queries: Float32Array;
  /** Per query, a data row left out of its list (the query's own row), or -1. Omitted: nothing is left out. */
  readonly exclude?: Int32Array;
  readonly k: number;
  readonly metric: Metric;
  readonly signal?: AbortSignal;
  /** Share of the queries answered, 0..1. */
  onProgress?(fraction: number): void;
}

/**
 * Exact top-k by brute force, one query at a time with float64 accumulation. The reference every faster engine is
 * tested against; slow (no blocking, no SIMD).
 */
export async function referenceTopK(request: TopKRequest): Promise<KnnGraph> {
  const { data, cols, queries, k, metric } = request;
  const rows = Math.floor(data.length / cols);
  const count = Math.floor(queries.length / cols);
  const indices = new Int32Array(count * k).fill(-1);
  const scores = new Float32Array(count * k).fill(NaN);
  const norms = rowNorms(data, cols);
  const pacer = new Pacer(count, request.signal, request.onProgress, 'nearest neighbours');
  const lower = metric === 'euclidean';
  const bestRows = new Int32Array(k);
  const bestScores = new Float64Array(k);
  for (let q = 0; q < count; q++) {
    const base = q * cols;
    let queryNorm = 0;
    for (let c = 0; c < cols; c++) queryNorm += (queries[base + c] as number) ** 2;
    queryNorm = Math.sqrt(queryNorm);
    const skip = request.exclude ? (request.exclude[q] as number) : -1;
    let filled = 0;
    for (let row = 0; row < rows; row++) {
      if (row === skip) continue;
      let dot = 0;
      let distance = 0;
      const at = row * cols;
      for (let c = 0; c < cols; c++) {
        const x = data[at + c] as number;
        const y = queries[base + c] as number;
        dot += x * y;
        distance += (x - y) * (x - y);
      }
      const score =
        metric === 'dot'
          ? dot
          : lower
            ? Math.sqrt(distance)
            : queryNorm === 0 || norms[row] === 0
              ? 0
              : dot / (queryNorm * (norms[row] as number));
      // Insertion into a sorted list of at most k; ties keep the lower row first.
      if (filled === k && !(lower ? score < (bestScores[k - 1] as number) : score > (bestScores[k - 1] as number))) continue;
      let slot = filled < k ? filled++ : k - 1;
      while (slot > 0 && (lower ? score < (bestScores[slot - 1] as number) : score > (bestScores[slot - 1] as number))) {
        bestScores[slot] = bestScores[slot - 1] as number;
        bestRows[slot] = bestRows[slot - 1] as number;
        slot--;
      }
      bestScores[slot] = score;
      bestRows[slot] = row;
    }
    for (let j = 0; j < filled; j++) {
      indices[q * k + j] = bestRows[j] as number;
      scores[q * k + j] = bestScores[j] as number;
    }
    await pacer.step(1);
  }
  pacer.jumpTo(count);
  return { queries: count, k, indices, scores };
}

/**
 * Exact top-k: the engine every caller uses. Blocked matrix products (WebAssembly SIMD, or plain JS where that is
 * missing) over the cached `KnnIndex` of `request.data`, so repeated requests on one matrix pay its preparation once;
 * the same lists and scores as `referenceTopK`, ties aside.
 */
export async function topK(request: TopKRequest): Promise<KnnGraph> {
  const { data, cols, queries, k, metric } = request;
  return knnIndexFor(data, cols).search(queries, k, metric, {
    ...(request.exclude ? { exclude: request.exclude } : {}),
    ...(request.signal ? { signal: request.signal } : {}),
    ...(request.onProgress ? { onProgress: request.onProgress } : {}),
  });
}

/** Options of `allPairsKnn`. */
export interface AllPairsOptions {
  readonly metric?: Metric;
  readonly signal?: AbortSignal;
  /** Share of the work done, 0..1. */
  onProgress?(fraction: number): void;
}

/**
 * Exact k nearest rows of every row of `data` (rows × cols) among the others (each row itself left out), cosine
 * unless `metric` says otherwise: the graph UMAP and Jaccard@k start from.
 */
export async function allPairsKnn(data: Float32Array, cols: number, k: number, options: AllPairsOptions = {}): Promise<KnnGraph> {
  const rows = Math.floor(data.length / cols);
  return topK({
    data,
    cols,
    queries: data.subarray(0, rows * cols),
    exclude: Int32Array.from({ length: rows }, (_, i) => i),
    k,
    metric: options.metric ?? 'cosine',
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
}
