import { gatherRows } from '../row-selection';
import { topK, type KnnGraph } from '../knn';
import type { WorkMeter } from './work-meter';

/**
 * The blocked SIMD top-k engine does about this many times the multiply-adds per second of the scalar float64 loops
 * the other work units count (measured: ~15 vs ~2 G/s on 30k×100), so its share of the progress bar matches its time.
 */
const TOP_K_SPEEDUP = 8;

/** Work units `cosineNeighbours` reports for these sizes (each query scored against every row). */
export function neighbourWork(queries: number, rows: number, cols: number): number {
  return (queries * rows * cols) / TOP_K_SPEEDUP;
}

/**
 * N_X(i) for each query row i: the exact cosine top-k of row i among the rows of X, excluding i itself, by `topK`
 * (ties keep the lower row first). `queries` lists the rows (all rows when null); graph row q belongs to query q.
 */
export async function cosineNeighbours(
  data: Float32Array,
  rows: number,
  cols: number,
  queries: Int32Array | null,
  k: number,
  meter: WorkMeter,
  signal: AbortSignal | undefined,
): Promise<KnnGraph> {
  // The whole array when it is exactly the matrix, so an index `topK` already cached for it is reused.
  const matrix = data.length === rows * cols ? data : data.subarray(0, rows * cols);
  const chosen = queries ?? Int32Array.from({ length: rows }, (_, i) => i);
  const vectors = queries === null ? matrix : gatherRows(matrix, cols, queries);
  const size = neighbourWork(chosen.length, rows, cols);
  const graph = await topK({
    data: matrix,
    cols,
    queries: vectors,
    exclude: chosen,
    k,
    metric: 'cosine',
    ...(signal === undefined ? {} : { signal }),
    onProgress: meter.slice(size),
  });
  meter.end(size);
  return graph;
}

/**
 * Jaccard@k per query: |N_A(i) ∩ N_B(i)| / |N_A(i) ∪ N_B(i)| of the two graphs' lists (index −1 = no neighbour, not
 * counted). Symmetric in A and B; 1 for equal lists; NaN when both lists are empty.
 */
export function jaccardPerRow(a: KnnGraph, b: KnnGraph): Float64Array {
  const k = a.k;
  if (b.k !== k || b.queries !== a.queries) throw new RangeError(`jaccardPerRow: graphs of ${a.queries}×${a.k} and ${b.queries}×${b.k}`);
  const out = new Float64Array(a.queries);
  for (let q = 0; q < a.queries; q++) {
    const listA = validSet(a.indices, q * k, k);
    const listB = validSet(b.indices, q * k, k);
    let shared = 0;
    for (const row of listA) if (listB.has(row)) shared++;
    const union = listA.size + listB.size - shared;
    out[q] = union === 0 ? NaN : shared / union;
  }
  return out;
}

function validSet(indices: Int32Array, at: number, k: number): Set<number> {
  const set = new Set<number>();
  for (let j = 0; j < k; j++) {
    const row = indices[at + j] as number;
    if (row >= 0) set.add(row);
  }
  return set;
}
