import type { Metric } from '../neighbors';
import { Pacer } from './pacer';

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

/** Euclidean norm of each row (float64 accumulation). */
export function rowNorms(data: Float32Array, cols: number): Float64Array {
  const rows = Math.floor(data.length / cols);
  const norms = new Float64Array(rows);
  for (let row = 0; row < rows; row++) {
    let sum = 0;
    const at = row * cols;
    for (let c = 0; c < cols; c++) sum += (data[at + c] as number) ** 2;
    norms[row] = Math.sqrt(sum);
  }
  return norms;
}

/** Exact top-k: the engine every caller uses (the reference until the blocked engine replaces it). */
export const topK: (request: TopKRequest) => Promise<KnnGraph> = referenceTopK;
