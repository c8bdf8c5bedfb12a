import type { WordPairSet } from './eval-files';
import { caseKey } from './eval-vocab';
import { spearman } from './spearman';

/** How well a matrix's cosines rank a word-similarity set's pairs. */
export interface WordPairScore {
  /** Spearman's ρ between the human scores and the cosines of the covered pairs; null when fewer than 2 are covered. */
  readonly spearman: number | null;
  /** Pairs in the file. */
  readonly pairs: number;
  /** Pairs whose two words are both in the vocabulary (the ones ranked). */
  readonly covered: number;
}

/** Cosine of rows i and j of a row-major matrix, accumulated in float64; 0 when either row is all zeros. */
export function rowCosine(data: Float32Array, cols: number, i: number, j: number): number {
  let dot = 0;
  let ii = 0;
  let jj = 0;
  const a = i * cols;
  const b = j * cols;
  for (let c = 0; c < cols; c++) {
    const x = data[a + c] as number;
    const y = data[b + c] as number;
    dot += x * y;
    ii += x * x;
    jj += y * y;
  }
  return ii === 0 || jj === 0 ? 0 : dot / Math.sqrt(ii * jj);
}

/**
 * Scores a word-similarity set the way gensim's `evaluate_word_pairs` does (case_insensitive=True,
 * dummy4unknown=False): each pair whose two words `lookup` knows (upper-cased, see `caseInsensitiveLookup`) gets the
 * cosine of their rows; pairs with a missing word are skipped and not ranked; ρ is Spearman's with average ranks
 * for ties. `data` is row-major, `cols` wide.
 */
export function evaluateWordPairs(data: Float32Array, cols: number, lookup: ReadonlyMap<string, number>, set: WordPairSet): WordPairScore {
  const human: number[] = [];
  const model: number[] = [];
  for (const pair of set.pairs) {
    const i = lookup.get(caseKey(pair.a));
    const j = lookup.get(caseKey(pair.b));
    if (i === undefined || j === undefined) continue;
    human.push(pair.score);
    model.push(rowCosine(data, cols, i, j));
  }
  return { spearman: spearman(human, model), pairs: set.pairs.length, covered: human.length };
}
