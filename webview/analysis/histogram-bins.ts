// Histogram binning for the analysis views: equal-width bins over finite values, with NaN, ±Infinity and values
// outside a requested range counted apart (never silently dropped or folded into an edge bin). Pure: no DOM.
import { formatTick } from './metric-text';

/** Equal-width bins over [lo, hi]; the last bin includes hi. */
export interface Histogram {
  readonly lo: number;
  readonly hi: number;
  /** Number of bins: 0 when there is no finite value to bin, 1 when every binned value is the same. */
  readonly bins: number;
  readonly counts: Uint32Array;
  /** Largest bin count (0 when empty). */
  readonly maxCount: number;
  /** Values counted in a bin. */
  readonly binned: number;
  readonly nan: number;
  readonly posInf: number;
  readonly negInf: number;
  /** Finite values below lo / above hi (only with an explicit range). */
  readonly below: number;
  readonly above: number;
  /** All binned values are equal (lo === hi): one bin holding them all. */
  readonly degenerate: boolean;
}

/** One bin as a value range: [lo, hi), or [lo, hi] for the last bin (`closed`). */
export interface BinRange {
  readonly index: number;
  readonly lo: number;
  readonly hi: number;
  readonly closed: boolean;
  readonly count: number;
}

/**
 * Bins `values` into `bins` equal-width bins over `range` (default: the finite values' min..max). A range whose ends
 * are equal, or data whose finite values are all equal, gives one degenerate bin. Throws on bins < 1 or a range
 * that is not finite and ordered.
 */
export function histogram(values: ArrayLike<number>, options: { bins: number; range?: readonly [number, number] }): Histogram {
  if (!Number.isInteger(options.bins) || options.bins < 1)
    throw new RangeError(`histogram: bins must be an integer ≥ 1; got ${options.bins}`);
  let nan = 0;
  let posInf = 0;
  let negInf = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (Number.isNaN(v)) nan++;
    else if (v === Infinity) posInf++;
    else if (v === -Infinity) negInf++;
    else {
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  const range = options.range;
  if (range && !(Number.isFinite(range[0]) && Number.isFinite(range[1]) && range[0] <= range[1])) {
    throw new RangeError(`histogram: range must be finite with lo ≤ hi; got [${range[0]}, ${range[1]}]`);
  }
  const lo = range ? range[0] : min;
  const hi = range ? range[1] : max;
  const empty = !range && min > max;
  const degenerate = !empty && lo === hi;
  const bins = empty ? 0 : degenerate ? 1 : options.bins;
  const counts = new Uint32Array(bins);
  const shell = { lo: empty ? NaN : lo, hi: empty ? NaN : hi, bins, counts, degenerate };
  let below = 0;
  let above = 0;
  let binned = 0;
  for (let i = 0; i < values.length && bins > 0; i++) {
    const v = values[i] as number;
    if (!Number.isFinite(v)) continue;
    if (v < lo) below++;
    else if (v > hi) above++;
    else {
      counts[binOf(shell, v)]!++;
      binned++;
    }
  }
  let maxCount = 0;
  for (let b = 0; b < bins; b++) maxCount = Math.max(maxCount, counts[b] as number);
  return { ...shell, maxCount, binned, nan, posInf, negInf, below, above };
}

/** The bin of `value`, or -1 when it is not binned (non-finite or outside [lo, hi]). The one rule counts and filters share. */
export function binIndex(h: Pick<Histogram, 'lo' | 'hi' | 'bins'>, value: number): number {
  if (h.bins === 0 || !Number.isFinite(value) || value < h.lo || value > h.hi) return -1;
  return binOf(h, value);
}

function binOf(h: Pick<Histogram, 'lo' | 'hi' | 'bins'>, value: number): number {
  if (h.bins === 1) return 0;
  const index = Math.floor(((value - h.lo) / (h.hi - h.lo)) * h.bins);
  // value === hi lands on `bins`, and rounding can push a value just below hi there too: both belong to the last bin.
  return Math.min(h.bins - 1, Math.max(0, index));
}

/** Bin `index` as a value range with its count. */
export function binRange(h: Histogram, index: number): BinRange {
  if (!(index >= 0 && index < h.bins)) throw new RangeError(`binRange: bin ${index} is outside 0..${h.bins - 1}`);
  const width = (h.hi - h.lo) / h.bins;
  const last = index === h.bins - 1;
  return {
    index,
    lo: h.lo + index * width,
    hi: last ? h.hi : h.lo + (index + 1) * width,
    closed: last,
    count: h.counts[index] as number,
  };
}

/** A test that accepts exactly the values counted in bin `index` (same arithmetic as the counting). */
export function inBin(h: Pick<Histogram, 'lo' | 'hi' | 'bins'>, index: number): (value: number) => boolean {
  return (value) => binIndex(h, value) === index;
}

/** About `target` round tick values (1, 2 or 5 × 10ⁿ apart) inside [lo, hi]; [lo] when lo === hi. */
export function niceTicks(lo: number, hi: number, target: number): number[] {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [];
  if (lo === hi) return [lo];
  const raw = (hi - lo) / Math.max(1, target);
  const power = 10 ** Math.floor(Math.log10(raw));
  const ratio = raw / power;
  // Round the raw step to 1, 2, 5 or 10 × 10ⁿ, to the nearer on a log scale (√2, √10, √50 are the midpoints).
  const step = (ratio >= Math.sqrt(50) ? 10 : ratio >= Math.sqrt(10) ? 5 : ratio >= Math.sqrt(2) ? 2 : 1) * power;
  const ticks: number[] = [];
  // Multiples of step by integer index (no accumulated rounding), trimmed to 12 digits to drop float noise.
  for (let k = Math.ceil(lo / step - 1e-9); k * step <= hi + step * 1e-9; k++) ticks.push(Number((k * step).toPrecision(12)) || 0);
  return ticks;
}

/** "[lo, hi)", or "[lo, hi]" for the last bin; "= v" for a degenerate bin. */
export function rangeText(range: BinRange, degenerate: boolean): string {
  if (degenerate) return `= ${formatTick(range.lo)}`;
  return `[${formatTick(range.lo)}, ${formatTick(range.hi)}${range.closed ? ']' : ')'}`;
}
