import type { Vocabulary } from '../checkpoint';

/**
 * The rows an evaluation may use, most frequent first, at most `limit` of them. With training counts (one per
 * token) the rows are ordered by count, descending, ties in row order (a stable sort); without counts, row order
 * is taken as frequency order (word2vec, GloVe, fastText and gensim all write their rows most frequent first).
 * When the rows are already frequency-sorted both give the first `limit` rows, exactly gensim's `restrict_vocab`.
 */
export function frequentRows(vocab: Vocabulary, rows: number, limit: number): Int32Array {
  const counts = vocab.counts;
  const take = Math.max(0, Math.min(limit, rows));
  if (counts === undefined || counts.length < rows || isNonIncreasing(counts, rows)) return Int32Array.from({ length: take }, (_, i) => i);
  const order = Int32Array.from({ length: rows }, (_, i) => i);
  order.sort((i, j) => (counts[j] as number) - (counts[i] as number) || i - j);
  return order.slice(0, take);
}

/** True when the first `rows` counts never increase (the usual case: no sort needed). */
function isNonIncreasing(counts: readonly number[], rows: number): boolean {
  for (let i = 1; i < rows; i++) if ((counts[i] as number) > (counts[i - 1] as number)) return false;
  return true;
}

/**
 * Case-insensitive word → row lookup over `rows` (most frequent first), as gensim's evaluate_word_pairs and
 * evaluate_word_analogies build it with case_insensitive=True: every token is upper-cased, and when several
 * tokens upper-case alike ('us', 'US', 'Us') the first of them in `rows`, i.e. the most frequent, answers for all.
 * Words of the evaluation sets are looked up upper-cased too, see `caseKey`.
 */
export function caseInsensitiveLookup(tokens: readonly string[], rows: Int32Array): Map<string, number> {
  const lookup = new Map<string, number>();
  for (const row of rows) {
    const key = caseKey(tokens[row] ?? '');
    if (!lookup.has(key)) lookup.set(key, row);
  }
  return lookup;
}

/** The form words are compared in: upper case (Unicode full case mapping, like Python's str.upper). */
export function caseKey(word: string): string {
  return word.toUpperCase();
}
