import type { UvView } from '../src/protocol/analysis';
import { formatCount, formatFixed, tiedMetricCards, type MetricCard } from './analysis/metric-text';

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
  const spectra: MetricCard[] = [
    {
      id: 'effective-rank',
      title: 'effective rank U · V · U+V',
      value: [s.effectiveRankU, s.effectiveRankV, view.effectiveRankSum].map((r) => formatFixed(r ?? Number.NaN, 1)).join(' · '),
      detail: `of ${view.cols} dimensions`,
      explanation: 'How many dimensions each matrix really uses: exp of the entropy of its singular values.',
      status: 'neutral',
    },
    {
      id: 'anisotropy',
      title: 'anisotropy U · V',
      value: `${formatFixed(s.anisotropyU ?? Number.NaN, 3)} · ${formatFixed(s.anisotropyV ?? Number.NaN, 3)}`,
      detail: 'mean cosine of random pairs',
      explanation: 'Near 0: directions spread evenly; near 1: all vectors in one narrow cone.',
      status: (s.anisotropyU ?? 0) > 0.5 || (s.anisotropyV ?? 0) > 0.5 ? 'warn' : 'neutral',
    },
  ];
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
    {
      id: 'cka',
      title: 'linear CKA(U, V)',
      value: formatFixed(s.linearCKA ?? Number.NaN, 3),
      detail: 'column-centred',
      explanation: 'Similarity of the two spaces as wholes, blind to rotation and scale (1 = the same up to rotation).',
      status: 'neutral',
    },
    {
      id: 'procrustes',
      title: 'Procrustes residual',
      value: formatFixed(s.procrustesResidual ?? Number.NaN, 3),
      detail: 'after the best rotation',
      explanation: 'What is left after rotating U onto V, both centred and scaled (0 = same up to rotation, 2 = unrelated).',
      status: 'neutral',
    },
    ...spectra,
  ];
}
