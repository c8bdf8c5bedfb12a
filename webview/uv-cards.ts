import type { UvView } from '../src/protocol/analysis';
import { formatCount, formatFixed, tiedMetricCards, type MetricCard } from './analysis/metric-text';
import { pairCards, spreadCards } from './analysis/pair-cards';

/** The U-vs-V metric cards: the figure, what it was computed over, and one line saying what it means. */
export function uvCards(view: UvView): MetricCard[] {
  const s = view.summary;
  const tokens = `${formatCount(s.rows)} tokens`;
  const over = s.sampled === null ? `all ${tokens}` : `${formatCount(s.sampled)} sampled of ${tokens}`;
  const selfRank: MetricCard = {
    id: 'self-rank',
    title: 'median self rank of vᵢ',
    value: formatCount(view.medianSelfRank),
    detail: `of ${formatCount(s.rows)} · ${over}`,
    explanation: 'Where vᵢ ranks among all of V when scored by uᵢ·v, the score the model trains (1 = first).',
    status: 'neutral',
  };
  const names = { a: 'U', b: 'V', cka: 'U, V', onto: 'U onto V' };
  const ranks = [s.effectiveRankU, s.effectiveRankV, view.effectiveRankSum];
  const spectra = spreadCards(s, names, view.cols, ranks, 'U · V · U+V');
  if (s.tied) return [...tiedMetricCards(s.rows, s.k).filter((card) => card.id !== 'self-rank'), selfRank, ...spectra];
  return [
    {
      id: 'cos-uv',
      title: 'mean cos(uᵢ, vᵢ)',
      value: formatFixed(s.meanCosUV ?? Number.NaN, 3),
      detail: `median ${formatFixed(s.medianCosUV ?? Number.NaN, 3)} · all ${tokens}`,
      explanation: "How alike a token's input and output vectors are (1 = same direction, −1 = opposite).",
      status: 'neutral',
    },
    selfRank,
    {
      id: 'jaccard',
      title: `Jaccard@${s.k}`,
      value: formatFixed(s.jaccardAtK ?? Number.NaN, 3),
      detail: `mean over ${over}`,
      explanation: `Overlap of a token's ${s.k} nearest neighbours in U and in V (1 = the same lists).`,
      status: 'neutral',
    },
    ...pairCards(s, names, view.cols, ranks, 'U · V · U+V'),
  ];
}
