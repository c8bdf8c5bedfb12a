/**
 * x^p by table for the layout's hot loop. Math.pow costs ~50 ns in V8 here (~80 ns as a link of a dependency
 * chain, which is how the layout uses it); this costs ~4–9 ns (~15 ns in a chain) with a relative error below
 * 2e-8 for the exponents UMAP uses (0.5 < p < 2) — umap-learn computes the same quantity in float32 (6e-8).
 *
 * The float32 bits of x give its exponent and top SLICE_BITS mantissa bits: a slice [x_k, x_k·(1 + 2^−5)) whose
 * start x_k has x_k^p and 1/x_k in the table. With δ = x/x_k − 1 < 1/32 (computed from the exact double),
 * x^p = x_k^p·(1 + δ)^p and three binomial terms leave an error below |p(p−1)(p−2)(p−3)|/24·δ⁴ < 2e-8.
 */
export interface PowerTable {
  readonly p: number;
  /** Interleaved per slice k: [x_k^p, 1 / x_k]. */
  readonly values: Float64Array;
  /** Binomial coefficients of (1 + δ)^p: p, p(p−1)/2, p(p−1)(p−2)/6. */
  readonly c1: number;
  readonly c2: number;
  readonly c3: number;
}

/** Mantissa bits per slice: 32 slices per octave keep δ < 1/32. */
const SLICE_BITS = 5;
/** Octaves tabled: 2^−64 … 2^64 covers every squared distance a layout produces; outside, Math.pow answers. */
const MIN_EXPONENT = -64;
const MAX_EXPONENT = 63;
const SLICES = (MAX_EXPONENT - MIN_EXPONENT + 1) << SLICE_BITS;
/** Float32 bits shifted right by this give (biased exponent << SLICE_BITS) | slice. */
const SHIFT = 23 - SLICE_BITS;
const FIRST_KEY = (127 + MIN_EXPONENT) << SLICE_BITS;

const FLOAT_VIEW = new Float32Array(1);
const INT_VIEW = new Int32Array(FLOAT_VIEW.buffer);

/** The table for exponent p (128 KiB; built in well under a millisecond). */
export function powerTable(p: number): PowerTable {
  const values = new Float64Array(2 * SLICES);
  for (let k = 0; k < SLICES; k++) {
    const start = Math.pow(2, MIN_EXPONENT + (k >> SLICE_BITS)) * (1 + (k & ((1 << SLICE_BITS) - 1)) / (1 << SLICE_BITS));
    values[2 * k] = Math.pow(start, p);
    values[2 * k + 1] = 1 / start;
  }
  return { p, values, c1: p, c2: (p * (p - 1)) / 2, c3: (p * (p - 1) * (p - 2)) / 6 };
}

/** x^p for x > 0 from `values`, the table of `p` (its fields passed apart so the hot loop keeps them in registers). */
export function tablePow(x: number, p: number, values: Float64Array, c1: number, c2: number, c3: number): number {
  FLOAT_VIEW[0] = x;
  const k = ((INT_VIEW[0] as number) >> SHIFT) - FIRST_KEY;
  if (k < 0 || k >= SLICES) return Math.pow(x, p);
  const delta = x * (values[2 * k + 1] as number) - 1;
  return (values[2 * k] as number) * (1 + delta * (c1 + delta * (c2 + delta * c3)));
}
