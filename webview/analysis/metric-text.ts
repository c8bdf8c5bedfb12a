// Text for the analysis views: number formats, the metric card shape, and what a tied checkpoint implies. Pure.

/** How a metric reads: good (as expected for a healthy model), warn (worth a look), neutral (just a fact). */
export type MetricStatus = 'good' | 'warn' | 'neutral';

/** One metric card. */
export interface MetricCard {
  readonly id: string;
  readonly title: string;
  /** The value as shown, already formatted (e.g. "0.12"). */
  readonly value: string;
  /** A second line under the value (e.g. "median 0.10 · 30,000 tokens"). */
  readonly detail?: string;
  /** One line saying what the number means. */
  readonly explanation: string;
  readonly status?: MetricStatus;
}

/** A number with `digits` decimals, a true minus sign, and "—" for NaN; ±∞ spelled out. */
export function formatFixed(value: number, digits: number): string {
  if (Number.isNaN(value)) return '—';
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '−∞';
  const text = value.toFixed(digits);
  // toFixed rounds -0.0001 to "-0.000": that is zero, shown without a sign.
  if (Number(text) === 0) return text.replace('-', '');
  return text.replace('-', '−');
}

/** A count with thousands separators ("—" for NaN). */
export function formatCount(value: number): string {
  return Number.isNaN(value) ? '—' : Math.round(value).toLocaleString('en-US');
}

/** A value for an axis tick or tooltip: about 3 significant digits, no trailing zeros. */
export function formatTick(value: number): string {
  if (!Number.isFinite(value)) return formatFixed(value, 0);
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  const text = magnitude >= 1e5 || magnitude < 1e-3 ? value.toExponential(2) : String(Number(value.toPrecision(3)));
  return text.replace('-', '−');
}

/** Cards for a tied checkpoint: what tying implies, stated, instead of charts that would all be one spike. */
export function tiedMetricCards(rows: number, k: number): MetricCard[] {
  const all = `all ${formatCount(rows)} tokens`;
  return [
    {
      id: 'cos-uv',
      title: 'cos(uᵢ, vᵢ)',
      value: '1',
      detail: all,
      explanation: 'Tied: each token has one vector, used for input and output, so it is identical to itself.',
      status: 'neutral',
    },
    {
      id: 'self-rank',
      title: 'Self rank of vᵢ',
      value: '1',
      detail: 'for cosine scoring',
      explanation: 'Scored by uᵢ among all of V, vᵢ = uᵢ always ranks first (under dot products it usually does too).',
      status: 'neutral',
    },
    {
      id: 'jaccard',
      title: `Jaccard@${k}`,
      value: '1',
      detail: 'U and V neighbour lists coincide',
      explanation: 'The nearest neighbours in U and in V are the same list, since U and V are the same matrix.',
      status: 'neutral',
    },
    {
      id: 'cka-procrustes',
      title: 'CKA · Procrustes',
      value: '1 · 0',
      detail: 'no rotation needed',
      explanation: 'Linear CKA is 1 and the Procrustes residual 0: the two spaces are one space.',
      status: 'neutral',
    },
  ];
}

/** What a tied checkpoint means, in one sentence for the banner above the cards. */
export const TIED_EXPLANATION =
  'U and V are tied: the model reads and predicts tokens with one shared matrix, so the U-vs-V comparisons are identities. ' +
  'Compare with another checkpoint to see how the space changed.';

/**
 * Bar lengths in [0, 1] for a neighbour list: cosine scores as they are (clamped at 0), other scores (dot products,
 * distances) relative to the list's largest magnitude, so the bars compare items within the list.
 */
export function scoreBars(scores: readonly number[], scale: 'cosine' | 'relative'): number[] {
  if (scale === 'cosine') return scores.map((s) => (Number.isFinite(s) ? Math.min(1, Math.max(0, s)) : 0));
  let max = 0;
  for (const s of scores) if (Number.isFinite(s)) max = Math.max(max, Math.abs(s));
  return scores.map((s) => (Number.isFinite(s) && max > 0 ? Math.abs(s) / max : 0));
}
