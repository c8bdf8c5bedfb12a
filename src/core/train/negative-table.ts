/** word2vec's exponent on unigram counts for drawing negatives: flattens the distribution towards rare words. */
export const NEGATIVE_POWER = 0.75;

/**
 * Fills `table` (two uint32 per vocabulary row: [threshold, alias]) with Walker's alias table for drawing row i with
 * probability proportional to counts[i]^power: O(1) per draw from 8 bytes per row, small enough to stay in cache
 * (word2vec.c's 10^8-slot table and fastText's 10^7 miss the cache on every draw). Vose's construction in float64;
 * a bucket that keeps its own row always gets itself as alias.
 */
export function fillAliasTable(table: Uint32Array, counts: Float64Array, power = NEGATIVE_POWER): void {
  const rows = counts.length;
  let total = 0;
  for (const count of counts) total += count ** power;
  const scaled = Float64Array.from(counts, (count) => (count ** power / total) * rows);
  const small: number[] = [];
  const large: number[] = [];
  scaled.forEach((value, row) => (value < 1 ? small : large).push(row));
  while (small.length > 0 && large.length > 0) {
    const low = small.pop() as number;
    const high = large[large.length - 1] as number;
    table[2 * low] = Math.min(0xffffffff, Math.floor((scaled[low] ?? 0) * 2 ** 32));
    table[2 * low + 1] = high;
    scaled[high] = (scaled[high] ?? 0) + (scaled[low] ?? 0) - 1;
    if ((scaled[high] ?? 0) < 1) small.push(large.pop() as number);
  }
  // What is left is 1 up to rounding: those buckets keep their own row.
  for (const row of [...small, ...large]) {
    table[2 * row] = 0xffffffff;
    table[2 * row + 1] = row;
  }
}

/**
 * The row a uniform uint32 draw picks from an alias table of `rows` rows: the bucket is the high 32 bits of
 * draw × rows, and its low 32 bits (uniform within the bucket) decide between the bucket's row and its alias. The
 * wasm kernel does the same with one 64-bit multiply; this splits it so float64 stays exact.
 */
export function drawAlias(table: Uint32Array, tableAt: number, rows: number, draw: number): number {
  const high = (draw >>> 16) * rows;
  const bucket = Math.floor((high + Math.floor(((draw & 0xffff) * rows) / 65536)) / 65536);
  const within = Math.imul(draw, rows) >>> 0;
  return within < (table[tableAt + 2 * bucket] ?? 0) ? bucket : (table[tableAt + 2 * bucket + 1] ?? 0);
}
