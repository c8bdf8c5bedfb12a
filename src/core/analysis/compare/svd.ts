/** A = left · diag(values) · rightᵀ for a square matrix; both factors orthogonal. */
export interface SquareSvd {
  /** Singular values, largest first (≥ 0). */
  readonly values: Float64Array;
  /** n×n row-major; column j is the left singular vector of values[j]. */
  readonly left: Float64Array;
  /** n×n row-major; column j is the right singular vector of values[j]. */
  readonly right: Float64Array;
}

/** One-sided Jacobi converges in 6–12 sweeps in practice; this bounds a pathological case. */
const MAX_SWEEPS = 60;
/** Columns count as orthogonal when |pᵀq| ≤ this × ‖p‖‖q‖: a few units of rounding. */
const ORTHOGONAL = 4 * Number.EPSILON;

/**
 * Singular value decomposition of a small square matrix (row-major n×n, float64) by one-sided Jacobi (Hestenes):
 * columns are rotated pairwise until mutually orthogonal, which gives small singular values to full relative accuracy
 * (unlike eigenvalues of AᵀA). Left vectors of zero (below n·ε·σ₁) singular values are completed to an orthonormal
 * basis, so `left` and `right` are orthogonal even for rank-deficient matrices and ties. O(n³) per sweep: meant for
 * the cols×cols matrices of Procrustes (n up to ~1000).
 */
export function squareSvd(matrix: Float64Array, n: number): SquareSvd {
  // Column j of A is row j of `cols`; column j of the accumulated rotation Z is row j of `z`.
  const cols = new Float64Array(n * n);
  const z = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) cols[j * n + i] = matrix[i * n + j] as number;
    z[i * n + i] = 1;
  }
  for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
    let rotated = false;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) rotated = orthogonalisePair(cols, z, n, p, q) || rotated;
    }
    if (!rotated) break;
  }
  const norms = Float64Array.from({ length: n }, (_, j) => Math.sqrt(dotRows(cols, j, cols, j, n)));
  const order = Array.from({ length: n }, (_, j) => j).sort((i, j) => (norms[j] as number) - (norms[i] as number) || i - j);
  const values = new Float64Array(n);
  const left = new Float64Array(n * n);
  const right = new Float64Array(n * n);
  const leftRows = new Float64Array(n * n); // accepted left vectors as rows, for the completion
  const largest = n > 0 ? (norms[order[0] as number] as number) : 0;
  const negligible = n * Number.EPSILON * largest;
  // residual[m] = 1 − Σ over accepted vectors of w[m]²: how much of e_m is still outside their span.
  const residual = new Float64Array(n).fill(1);
  order.forEach((source, target) => {
    const sigma = norms[source] as number;
    const w = new Float64Array(n);
    if (largest > 0 && sigma > negligible) {
      for (let i = 0; i < n; i++) w[i] = (cols[source * n + i] as number) / sigma;
      values[target] = sigma;
    } else {
      let best = 0;
      for (let m = 1; m < n; m++) if ((residual[m] as number) > (residual[best] as number)) best = m;
      w[best] = 1;
    }
    // Twice is enough (Kahan–Parlett): re-orthogonalise against the vectors already accepted.
    for (let pass = 0; pass < 2; pass++) {
      for (let a = 0; a < target; a++) {
        const projection = dotRows(leftRows, a, w, 0, n);
        for (let i = 0; i < n; i++) w[i] = (w[i] as number) - projection * (leftRows[a * n + i] as number);
      }
    }
    const length = Math.sqrt(dotRows(w, 0, w, 0, n));
    for (let i = 0; i < n; i++) {
      const value = (w[i] as number) / length;
      leftRows[target * n + i] = value;
      left[i * n + target] = value;
      right[i * n + target] = z[source * n + i] as number;
      residual[i] = (residual[i] as number) - value * value;
    }
  });
  return { values, left, right };
}

/** Rotates columns p and q of `cols` (and of the accumulated `z`) to make them orthogonal; false when they already are. */
function orthogonalisePair(cols: Float64Array, z: Float64Array, n: number, p: number, q: number): boolean {
  const alpha = dotRows(cols, p, cols, p, n);
  const beta = dotRows(cols, q, cols, q, n);
  const gamma = dotRows(cols, p, cols, q, n);
  if (gamma === 0 || Math.abs(gamma) <= ORTHOGONAL * Math.sqrt(alpha * beta)) return false;
  const zeta = (beta - alpha) / (2 * gamma);
  const t = (zeta >= 0 ? 1 : -1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
  const c = 1 / Math.sqrt(1 + t * t);
  const s = c * t;
  rotateRows(cols, n, p, q, c, s);
  rotateRows(z, n, p, q, c, s);
  return true;
}

function rotateRows(rows: Float64Array, n: number, p: number, q: number, c: number, s: number): void {
  const at = p * n;
  const bt = q * n;
  for (let i = 0; i < n; i++) {
    const x = rows[at + i] as number;
    const y = rows[bt + i] as number;
    rows[at + i] = c * x - s * y;
    rows[bt + i] = s * x + c * y;
  }
}

function dotRows(a: Float64Array, i: number, b: Float64Array, j: number, n: number): number {
  let sum = 0;
  const at = i * n;
  const bt = j * n;
  for (let k = 0; k < n; k++) sum += (a[at + k] as number) * (b[bt + k] as number);
  return sum;
}
