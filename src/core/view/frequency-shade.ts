/**
 * Frequency rank of each of the first `rows` tokens scaled to [0, 1] (0 = most frequent), for colouring points.
 * Ties keep row order. Rows without a count get NaN (drawn unshaded).
 */
export function frequencyShade(counts: readonly number[], rows: number): Float32Array {
  const shade = new Float32Array(rows).fill(Number.NaN);
  const order: number[] = [];
  for (let row = 0; row < rows; row++) if (Number.isFinite(counts[row])) order.push(row);
  order.sort((a, b) => (counts[b] as number) - (counts[a] as number) || a - b);
  const last = Math.max(order.length - 1, 1);
  order.forEach((row, rank) => (shade[row] = rank / last));
  return shade;
}
