/**
 * The rows a view works on: the `limit` most frequent tokens when the file has counts (ties keep row order), else
 * the first `limit` rows (vocabularies are stored most frequent first by word2vec, GloVe, fastText and tokenizers
 * alike). Returned in increasing row order, so a limited layout lists rows as the full one does.
 */
export function topRows(rows: number, limit: number | undefined, counts: readonly number[] | undefined): Int32Array {
  const wanted = limit === undefined ? rows : Math.max(0, Math.min(rows, Math.floor(limit)));
  if (wanted === rows || !counts) return Int32Array.from({ length: wanted }, (_, row) => row);
  const order = Array.from({ length: rows }, (_, row) => row);
  const countOf = (row: number): number => {
    const count = counts[row];
    return count !== undefined && Number.isFinite(count) ? count : -Infinity;
  };
  order.sort((a, b) => countOf(b) - countOf(a) || a - b);
  return Int32Array.from(order.slice(0, wanted)).sort();
}

/** The listed rows of a row-major matrix, copied into one new matrix; `normalise` scales each row to unit length. */
export function gatherRows(data: Float32Array, cols: number, rows: Int32Array, normalise = false): Float32Array {
  const out = new Float32Array(rows.length * cols);
  for (let i = 0; i < rows.length; i++) {
    const from = (rows[i] as number) * cols;
    const to = i * cols;
    let sum = 0;
    for (let c = 0; c < cols; c++) {
      const value = data[from + c] as number;
      out[to + c] = value;
      sum += value * value;
    }
    if (normalise && sum > 0) {
      const scale = 1 / Math.sqrt(sum);
      for (let c = 0; c < cols; c++) out[to + c] = (out[to + c] as number) * scale;
    }
  }
  return out;
}
