/** The low-dimensional similarity curve 1 / (1 + a·d^(2b)) fitted to UMAP's offset exponential. */
export interface AbParams {
  readonly a: number;
  readonly b: number;
}

/** Points of the fit on [0, 3·spread], as umap-learn's find_ab_params samples them. */
const SAMPLES = 300;
/** Levenberg–Marquardt iterations: the fit converges in 10–30 from (1, 1); the cap only guards odd inputs. */
const MAX_ITERATIONS = 500;
/** Stop when a step changes the squared error by less than this share (MINPACK's ftol default is 1.49e-8). */
const RELATIVE_TOLERANCE = 1e-15;

/**
 * Fits a and b of the curve 1 / (1 + a·x^(2b)) by least squares to the target membership: 1 for x < minDist,
 * exp(−(x − minDist) / spread) beyond, on 300 points of [0, 3·spread]. The same problem and start (a = b = 1) as
 * umap-learn's find_ab_params (scipy's curve_fit, Levenberg–Marquardt), solved here by Levenberg–Marquardt with the
 * analytic Jacobian: the same minimum, deterministic.
 */
export function findAbParams(spread: number, minDist: number): AbParams {
  if (!(spread > 0) || !Number.isFinite(spread)) throw new RangeError(`umap: spread must be a positive number, got ${spread}`);
  if (!(minDist >= 0) || !Number.isFinite(minDist)) throw new RangeError(`umap: minDist must be a number ≥ 0, got ${minDist}`);
  const xs = new Float64Array(SAMPLES);
  const ys = new Float64Array(SAMPLES);
  for (let i = 0; i < SAMPLES; i++) {
    const x = (3 * spread * i) / (SAMPLES - 1);
    xs[i] = x;
    ys[i] = x < minDist ? 1 : Math.exp(-(x - minDist) / spread);
  }
  let a = 1;
  let b = 1;
  let error = squaredError(xs, ys, a, b);
  // Damping of the normal equations; shrinks after a good step and grows after a bad one (Marquardt's rule).
  let lambda = 1e-3;
  for (let iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
    // Normal equations JᵀJ·δ = −Jᵀr for r = f − y.
    let jaa = 0;
    let jab = 0;
    let jbb = 0;
    let ga = 0;
    let gb = 0;
    for (let i = 0; i < SAMPLES; i++) {
      const x = xs[i] as number;
      if (x === 0) {
        // f(0) = 1 for every a and b: no gradient, and the residual is the same for all parameters.
        continue;
      }
      const power = Math.pow(x, 2 * b);
      const denominator = 1 + a * power;
      const f = 1 / denominator;
      const residual = f - (ys[i] as number);
      const da = -power / (denominator * denominator);
      const db = da * a * 2 * Math.log(x);
      jaa += da * da;
      jab += da * db;
      jbb += db * db;
      ga += da * residual;
      gb += db * residual;
    }
    let improved = false;
    while (lambda < 1e12) {
      const maa = jaa * (1 + lambda);
      const mbb = jbb * (1 + lambda);
      const det = maa * mbb - jab * jab;
      if (!(det > 0)) {
        lambda *= 10;
        continue;
      }
      const stepA = (-ga * mbb + gb * jab) / det;
      const stepB = (-gb * maa + ga * jab) / det;
      const nextA = a + stepA;
      const nextB = b + stepB;
      const nextError = nextA > 0 && nextB > 0 ? squaredError(xs, ys, nextA, nextB) : Infinity;
      if (nextError <= error) {
        const change = error - nextError;
        a = nextA;
        b = nextB;
        error = nextError;
        lambda = Math.max(lambda / 10, 1e-12);
        improved = change > RELATIVE_TOLERANCE * error;
        break;
      }
      lambda *= 10;
    }
    if (!improved) break;
  }
  return { a, b };
}

function squaredError(xs: Float64Array, ys: Float64Array, a: number, b: number): number {
  let total = 0;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i] as number;
    const f = x === 0 ? 1 : 1 / (1 + a * Math.pow(x, 2 * b));
    total += (f - (ys[i] as number)) ** 2;
  }
  return total;
}
