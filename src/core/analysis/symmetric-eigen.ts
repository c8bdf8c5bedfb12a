/** Eigenvalues (descending) and unit eigenvectors of a small symmetric matrix. */
export interface SymmetricEigen {
  /** Eigenvalues, largest first. */
  readonly values: Float64Array;
  /** Eigenvectors as rows: vector i is `vectors[i*n .. i*n+n)`, matching `values[i]`. */
  readonly vectors: Float64Array;
}

/** Sweeps after which cyclic Jacobi has converged for any matrix we hand it (it converges quadratically, 6–10 is typical). */
const MAX_SWEEPS = 60;

/**
 * Cyclic Jacobi eigen-decomposition of a symmetric n×n matrix (row-major; only its upper triangle is read).
 * Meant for the small Rayleigh–Ritz matrices of the PCA solver (n ≤ ~100): accurate to rounding, O(n³) per sweep.
 */
export function symmetricEigen(matrix: Float64Array, n: number): SymmetricEigen {
  const a = new Float64Array(n * n);
  for (let p = 0; p < n; p++) {
    for (let q = p; q < n; q++) {
      const value = matrix[p * n + q] as number;
      a[p * n + q] = value;
      a[q * n + p] = value;
    }
  }
  // v holds eigenvectors as columns while rotating: v[k*n + p] is component k of vector p.
  const v = new Float64Array(n * n);
  for (let p = 0; p < n; p++) v[p * n + p] = 1;
  for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
    let off = 0;
    let diagonal = 0;
    for (let p = 0; p < n; p++) {
      diagonal += (a[p * n + p] as number) ** 2;
      for (let q = p + 1; q < n; q++) off += (a[p * n + q] as number) ** 2;
    }
    // Off-diagonal mass below rounding of the diagonal: the matrix is diagonal to working precision.
    if (off === 0 || off <= 1e-32 * diagonal) break;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) rotate(a, v, n, p, q);
    }
  }
  return sortedPairs(a, v, n);
}

/** One Jacobi rotation zeroing a[p][q] (Rutishauser's stable form). */
function rotate(a: Float64Array, v: Float64Array, n: number, p: number, q: number): void {
  const apq = a[p * n + q] as number;
  if (apq === 0) return;
  const app = a[p * n + p] as number;
  const aqq = a[q * n + q] as number;
  const theta = (aqq - app) / (2 * apq);
  const t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
  const c = 1 / Math.sqrt(t * t + 1);
  const s = t * c;
  a[p * n + p] = app - t * apq;
  a[q * n + q] = aqq + t * apq;
  a[p * n + q] = 0;
  a[q * n + p] = 0;
  for (let k = 0; k < n; k++) {
    if (k !== p && k !== q) {
      const akp = a[k * n + p] as number;
      const akq = a[k * n + q] as number;
      const kp = c * akp - s * akq;
      const kq = s * akp + c * akq;
      a[k * n + p] = kp;
      a[p * n + k] = kp;
      a[k * n + q] = kq;
      a[q * n + k] = kq;
    }
    const vkp = v[k * n + p] as number;
    const vkq = v[k * n + q] as number;
    v[k * n + p] = c * vkp - s * vkq;
    v[k * n + q] = s * vkp + c * vkq;
  }
}

function sortedPairs(a: Float64Array, v: Float64Array, n: number): SymmetricEigen {
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => (a[j * n + j] as number) - (a[i * n + i] as number) || i - j);
  const values = new Float64Array(n);
  const vectors = new Float64Array(n * n);
  order.forEach((source, target) => {
    values[target] = a[source * n + source] as number;
    for (let k = 0; k < n; k++) vectors[target * n + k] = v[k * n + source] as number;
  });
  return { values, vectors };
}
