/** Similarity measures for neighbour queries. */
export type Metric = 'cosine' | 'dot' | 'euclidean';

/** One neighbour: its row and score (cosine/dot: higher is nearer; euclidean: the distance, lower is nearer). */
export interface Neighbor {
  readonly row: number;
  readonly score: number;
}

/**
 * Exact top-k rows of `matrix` (rows×cols) nearest to row `query` of `queryMatrix`, excluding `exclude`
 * (the query token itself). Scores accumulate in float64.
 */
export function exactNeighbors(
  matrix: Float32Array,
  cols: number,
  query: Float32Array,
  k: number,
  metric: Metric,
  exclude: number,
): Neighbor[] {
  const rows = Math.floor(matrix.length / cols);
  let queryNorm = 0;
  for (let c = 0; c < cols; c++) queryNorm += (query[c] as number) ** 2;
  queryNorm = Math.sqrt(queryNorm);
  const best: Neighbor[] = [];
  const better = metric === 'euclidean' ? (a: number, b: number) => a < b : (a: number, b: number) => a > b;
  for (let row = 0; row < rows; row++) {
    if (row === exclude) continue;
    const base = row * cols;
    let dot = 0;
    let norm = 0;
    let distance = 0;
    for (let c = 0; c < cols; c++) {
      const x = matrix[base + c] as number;
      const q = query[c] as number;
      dot += x * q;
      norm += x * x;
      distance += (x - q) * (x - q);
    }
    const score =
      metric === 'dot'
        ? dot
        : metric === 'euclidean'
          ? Math.sqrt(distance)
          : norm === 0 || queryNorm === 0
            ? 0
            : dot / (Math.sqrt(norm) * queryNorm);
    if (best.length < k || better(score, (best[best.length - 1] as Neighbor).score)) {
      let at = best.length < k ? best.length : k - 1;
      while (at > 0 && better(score, (best[at - 1] as Neighbor).score)) at--;
      best.splice(at, 0, { row, score });
      if (best.length > k) best.pop();
    }
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
