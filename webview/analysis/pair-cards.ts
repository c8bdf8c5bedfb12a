import type { UvSummary } from '../../src/core/analysis/compare/compare-report';
import { formatFixed, type MetricCard } from './metric-text';

/** The cards every comparison of two matrices shows, U with V or U with U′: CKA, Procrustes, effective rank, anisotropy. */
export function pairCards(
  s: UvSummary,
  /** How the two matrices are named in titles ("U", "V" or "here", "there") and what CKA compares ("U, V"). */
  names: { readonly a: string; readonly b: string; readonly cka: string; readonly onto: string },
  cols: number,
  /** Effective ranks shown (U · V, or U · V · U+V). */
  ranks: readonly (number | null)[],
  rankTitle: string,
): MetricCard[] {
  return [
    {
      id: 'cka',
      title: `linear CKA(${names.cka})`,
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
      explanation: `What is left after rotating ${names.onto}, both centred and scaled (0 = same up to rotation, 2 = unrelated).`,
      status: 'neutral',
    },
    ...spreadCards(s, names, cols, ranks, rankTitle),
  ];
}

/** Effective rank and anisotropy of the two matrices (shown for tied checkpoints too, where the pair cards are not). */
export function spreadCards(
  s: UvSummary,
  names: { readonly a: string; readonly b: string },
  cols: number,
  ranks: readonly (number | null)[],
  rankTitle: string,
): MetricCard[] {
  return [
    {
      id: 'effective-rank',
      title: `effective rank ${rankTitle}`,
      value: ranks.map((r) => formatFixed(r ?? Number.NaN, 1)).join(' · '),
      detail: `of ${cols} dimensions`,
      explanation: 'How many dimensions each matrix really uses: exp of the entropy of its singular values.',
      status: 'neutral',
    },
    {
      id: 'anisotropy',
      title: `anisotropy ${names.a} · ${names.b}`,
      value: `${formatFixed(s.anisotropyU ?? Number.NaN, 3)} · ${formatFixed(s.anisotropyV ?? Number.NaN, 3)}`,
      detail: 'mean cosine of random pairs',
      explanation: 'Near 0: directions spread evenly; near 1: all vectors in one narrow cone.',
      status: (s.anisotropyU ?? 0) > 0.5 || (s.anisotropyV ?? 0) > 0.5 ? 'warn' : 'neutral',
    },
  ];
}
