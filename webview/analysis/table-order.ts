// Row order for the per-token table: stable sorts with NaN last, filtering, and the inverse permutation. Pure: no DOM.

/** A numeric column, one value per vocabulary row. */
export type ColumnValues = Float32Array | Float64Array | Int32Array | Uint32Array;

/** Sort direction. */
export type SortDirection = 'asc' | 'desc';

/** Rows 0..count-1 in order. */
export function identityOrder(count: number): Uint32Array {
  const order = new Uint32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  return order;
}

/**
 * `order` sorted by `values[row]`. Stable: rows with equal values keep their relative order in `order`, in both
 * directions. NaN sorts last in both directions (it is "no value", not a very large or small one), also stable.
 */
export function sortByValues(order: Uint32Array, values: ColumnValues, direction: SortDirection): Uint32Array {
  const keys = new Float64Array(order.length);
  const finite: number[] = [];
  const missing: number[] = [];
  for (let p = 0; p < order.length; p++) {
    const v = values[order[p] as number] as number;
    keys[p] = v;
    (Number.isNaN(v) ? missing : finite).push(p);
  }
  const sign = direction === 'asc' ? 1 : -1;
  const positions = Uint32Array.from(finite);
  // Positions break ties, which makes the sort stable whatever the engine's algorithm.
  positions.sort((a, b) => sign * ((keys[a] as number) - (keys[b] as number)) || a - b);
  return gather(order, positions, missing);
}

/**
 * `order` sorted by token text, case-insensitively (lower-cased, then exact text, in UTF-16 code-unit order: fast and
 * the same everywhere, unlike locale collation). Stable.
 */
export function sortByText(order: Uint32Array, textAt: (row: number) => string, direction: SortDirection): Uint32Array {
  const folded = new Array<string>(order.length);
  const exact = new Array<string>(order.length);
  for (let p = 0; p < order.length; p++) {
    const text = textAt(order[p] as number);
    exact[p] = text;
    folded[p] = text.toLowerCase();
  }
  const sign = direction === 'asc' ? 1 : -1;
  const compare = (x: string, y: string): number => (x < y ? -1 : x > y ? 1 : 0);
  const positions = identityOrder(order.length);
  positions.sort(
    (a, b) => sign * (compare(folded[a] as string, folded[b] as string) || compare(exact[a] as string, exact[b] as string)) || a - b,
  );
  return gather(order, positions, []);
}

function gather(order: Uint32Array, positions: Uint32Array, tail: readonly number[]): Uint32Array {
  const out = new Uint32Array(order.length);
  let k = 0;
  for (let i = 0; i < positions.length; i++) out[k++] = order[positions[i] as number] as number;
  for (const p of tail) out[k++] = order[p] as number;
  return out;
}

/** The rows of `order` that pass `keep`, in the same order. */
export function filterOrder(order: Uint32Array, keep: (row: number) => boolean): Uint32Array {
  const kept: number[] = [];
  for (let p = 0; p < order.length; p++) if (keep(order[p] as number)) kept.push(order[p] as number);
  return Uint32Array.from(kept);
}

/** For each row 0..rowCount-1, its position in `order`, or -1 when it is not there. */
export function positionsOf(order: Uint32Array, rowCount: number): Int32Array {
  const positions = new Int32Array(rowCount).fill(-1);
  for (let p = 0; p < order.length; p++) {
    const row = order[p] as number;
    if (row < rowCount) positions[row] = p;
  }
  return positions;
}
