/** Tokens by row: an unpacked array, or a lookup (e.g. over a packed table) that never materialises them all. */
export type TokenSource = readonly string[] | ((row: number) => string);

/** A lookup for `source`; rows the vocabulary does not cover are named `#row`, as packTokens names them. */
export function tokenLookup(source: TokenSource): (row: number) => string {
  if (typeof source === 'function') return source;
  return (row) => source[row] ?? `#${row}`;
}

/** The rows an export covers: `rows` when given (a subset, in that order), else 0..count-1. */
export function exportRows(count: number, rows?: ArrayLike<number>): ArrayLike<number> {
  if (rows) return rows;
  const all = new Uint32Array(count);
  for (let i = 0; i < count; i++) all[i] = i;
  return all;
}
