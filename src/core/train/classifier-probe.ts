import type { LabelledCorpus } from './classifier-corpus';

/**
 * What an embedding's neighbourhoods encode, measured against a labelled corpus: if a word's nearest neighbours
 * share its label far more often than chance, the space is organised by the label (a task embedding), whatever
 * the words mean. Used to show that a classifier's Embedding clusters by part of speech, not by meaning.
 */

/**
 * Each row's label: the one whose documents use the word most often relative to the label's total tokens (so a
 * large label does not claim every word); -1 for rows seen fewer than `minOccurrences` times and for `skipRow`.
 */
export function wordLabels(corpus: LabelledCorpus, minOccurrences: number, skipRow = -1): Int32Array {
  const rows = corpus.vocab.tokens.length;
  const classes = corpus.labels.length;
  const counts = new Float64Array(rows * classes);
  const labelTokens = new Float64Array(classes);
  let start = 0;
  corpus.documentEnds.forEach((end, doc) => {
    const label = corpus.documentLabels[doc] as number;
    for (let i = start; i < end; i++) {
      const at = (corpus.ids[i] as number) * classes + label;
      counts[at] = (counts[at] as number) + 1;
    }
    labelTokens[label] = (labelTokens[label] as number) + (end - start);
    start = end;
  });
  const out = new Int32Array(rows).fill(-1);
  for (let row = 0; row < rows; row++) {
    if (row === skipRow) continue;
    let total = 0;
    let best = -1;
    let bestRate = -1;
    for (let label = 0; label < classes; label++) {
      const count = counts[row * classes + label] as number;
      total += count;
      const rate = count / Math.max(labelTokens[label] as number, 1);
      if (rate > bestRate) {
        bestRate = rate;
        best = label;
      }
    }
    if (total >= minOccurrences) out[row] = best;
  }
  return out;
}

/** How often neighbours share a label, next to what random neighbours would give. */
export interface LabelAgreement {
  /** Mean over words of the fraction of their k nearest neighbours (cosine) with the same label. */
  readonly agreement: number;
  /** The same for neighbours drawn at random: Σ n_l(n_l − 1) / (n(n − 1)). */
  readonly chance: number;
  /** Words measured. */
  readonly words: number;
}

/**
 * Label agreement of the k nearest neighbours (cosine) among the first `maxWords` labelled rows of `vectors`
 * (rows × dim, row-major; rows are frequency-ordered, so these are the most frequent words). Exact, O(n²·dim).
 */
export function neighbourLabelAgreement(
  vectors: Float32Array,
  dim: number,
  labels: Int32Array,
  k: number,
  maxWords = 2000,
): LabelAgreement {
  const rows: number[] = [];
  for (let row = 0; row < labels.length && rows.length < maxWords; row++) if ((labels[row] as number) >= 0) rows.push(row);
  const n = rows.length;
  const unit = new Float32Array(n * dim);
  rows.forEach((row, i) => {
    let norm = 0;
    for (let j = 0; j < dim; j++) norm += (vectors[row * dim + j] as number) ** 2;
    const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let j = 0; j < dim; j++) unit[i * dim + j] = (vectors[row * dim + j] as number) * scale;
  });
  const sims = new Float64Array(n);
  let agreementSum = 0;
  const take = Math.min(k, n - 1);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let dot = 0;
      for (let c = 0; c < dim; c++) dot += (unit[i * dim + c] as number) * (unit[j * dim + c] as number);
      sims[j] = j === i ? -Infinity : dot;
    }
    const nearest = Array.from({ length: n }, (_, j) => j)
      .sort((a, b) => (sims[b] as number) - (sims[a] as number) || a - b)
      .slice(0, take);
    const own = labels[rows[i] as number];
    agreementSum += nearest.filter((j) => labels[rows[j] as number] === own).length / Math.max(take, 1);
  }
  const perLabel = new Map<number, number>();
  for (const row of rows) perLabel.set(labels[row] as number, (perLabel.get(labels[row] as number) ?? 0) + 1);
  let pairs = 0;
  for (const count of perLabel.values()) pairs += count * (count - 1);
  return { agreement: n > 0 ? agreementSum / n : 0, chance: n > 1 ? pairs / (n * (n - 1)) : 0, words: n };
}
