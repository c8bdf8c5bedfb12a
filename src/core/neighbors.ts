import { knnIndexFor } from './analysis/knn-index';

/** Similarity measures for neighbour queries. */
export type Metric = 'cosine' | 'dot' | 'euclidean';

/** One neighbour: its row and score (cosine/dot: higher is nearer; euclidean: the distance, lower is nearer). */
export interface Neighbor {
  readonly row: number;
  readonly score: number;
}

/**
 * Exact top-k rows of `matrix` (rows×cols) nearest to row `query` of `queryMatrix`, excluding `exclude`
 * (the query token itself). Scores accumulate in float64. Runs on the matrix's cached `KnnIndex` (one float32 SIMD
 * pass, the best candidates rescored in float64), so repeated queries on one matrix pay its preparation once.
 */
export function exactNeighbors(
  matrix: Float32Array,
  cols: number,
  query: Float32Array,
  k: number,
  metric: Metric,
  exclude: number,
): Neighbor[] {
  const graph = knnIndexFor(matrix, cols).searchOne(query, k, metric, exclude);
  const best: Neighbor[] = [];
  for (let i = 0; i < graph.k && (graph.indices[i] as number) >= 0; i++) {
    best.push({ row: graph.indices[i] as number, score: graph.scores[i] as number });
  }
  return best;
}

/** Levenshtein distance, for suggesting the nearest spellings of an unknown token. */
export function editDistance(a: string, b: string): number {
  const previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = previous[0] as number;
    previous[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const saved = previous[j] as number;
      previous[j] = Math.min((previous[j] as number) + 1, (previous[j - 1] as number) + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = saved;
    }
  }
  return previous[b.length] as number;
}

/** The `count` tokens closest in spelling to `token` (case-insensitive first, then edit distance). */
export function nearestSpellings(tokens: readonly string[], token: string, count: number): string[] {
  const lower = token.toLowerCase();
  const scored: { token: string; distance: number }[] = [];
  for (const candidate of tokens) {
    if (Math.abs(candidate.length - token.length) > 3) continue;
    const distance = candidate.toLowerCase() === lower ? 0 : editDistance(lower, candidate.toLowerCase());
    if (distance <= 3) scored.push({ token: candidate, distance });
  }
  return scored
    .sort((a, b) => a.distance - b.distance)
    .slice(0, count)
    .map((entry) => entry.token);
}
