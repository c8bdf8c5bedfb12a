import type { CheckpointView } from '../src/protocol/analysis';
import { formatCount, formatFixed, type MetricCard } from './analysis/metric-text';
import { pairCards } from './analysis/pair-cards';

/** The checkpoint-comparison cards: U of this checkpoint against U′ of the other, on the shared tokens. */
export function compareCards(view: CheckpointView): MetricCard[] {
  const s = view.summary;
  const shared = `${formatCount(s.sharedRows)} shared tokens`;
  const over = s.sampled === null ? `all ${shared}` : `${formatCount(s.sampled)} sampled of ${shared}`;
  return [
    {
      id: 'shared',
      title: 'shared vocabulary',
      value: formatCount(s.sharedRows),
      detail: `of ${formatCount(s.rows)} tokens here`,
      explanation: 'Tokens present in both checkpoints: every figure below is computed over these.',
      status: s.sharedRows < s.rows / 2 ? 'warn' : 'neutral',
    },
    {
      id: 'aligned-cos',
      title: 'mean cos after alignment',
      value: formatFixed(s.meanCosUV ?? Number.NaN, 3),
      detail: `median ${formatFixed(s.medianCosUV ?? Number.NaN, 3)} · ${shared}`,
      explanation: 'cos(uᵢ, u′ᵢ) once U′ is rotated onto U (orthogonal Procrustes); drift = 1 − this cosine.',
      status: 'neutral',
    },
    {
      id: 'jaccard',
      title: `Jaccard@${s.k}`,
      value: formatFixed(s.jaccardAtK ?? Number.NaN, 3),
      detail: `mean over ${over}`,
      explanation: `Overlap of a token's ${s.k} nearest neighbours here and there (1 = the same lists).`,
      status: 'neutral',
    },
    ...pairCards(
      s,
      { a: 'here', b: 'there', cka: 'U, U′', onto: 'one onto the other' },
      view.cols,
      [s.effectiveRankU, s.effectiveRankV],
      'here · there',
    ),
  ];
}
