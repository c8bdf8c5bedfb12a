/**
 * Frequency subsampling as word2vec.c and gensim do it: with t = sample × (total count of the vocabulary), a word
 * seen c times is kept with probability (√(c/t) + 1) · t/c, capped at 1. sample = 0 keeps everything.
 */
export function keepProbability(count: number, totalCount: number, sample: number): number {
  if (sample <= 0 || count <= 0) return 1;
  const threshold = sample * totalCount;
  return Math.min(1, (Math.sqrt(count / threshold) + 1) * (threshold / count));
}

/** A threshold of this value keeps the word without drawing a random number. */
export const ALWAYS_KEEP = 0xffffffff;

/**
 * Per vocabulary row, the uint32 threshold the kernels compare a uniform uint32 draw with (kept when draw ≤
 * threshold): floor(p · 2^32), or ALWAYS_KEEP when p = 1.
 */
export function keepThresholds(counts: Float64Array, sample: number): Uint32Array {
  const total = counts.reduce((sum, count) => sum + count, 0);
  return Uint32Array.from(counts, (count) => {
    const p = keepProbability(count, total, sample);
    return p >= 1 ? ALWAYS_KEEP : Math.min(ALWAYS_KEEP, Math.floor(p * 2 ** 32));
  });
}
