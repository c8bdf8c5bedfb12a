import { CheckpointError } from '../../errors';
import type { CentredGram } from './gram';
import { squareSvd } from './svd';

/** Orthogonal Procrustes between two matrices over the same rows. */
export interface ProcrustesFit {
  /**
   * min over orthogonal R of ‖Â R − B̂‖²_F, where X̂ is X with centred columns scaled to unit Frobenius norm;
   * equals 2 − 2·(sum of singular values of ÂᵀB̂). In [0, 4]: 0 when B is a rotated, shifted, scaled copy of A.
   */
  readonly residual: number;
  /** The minimising R (cols×cols, row-major; orthogonal, possibly with a reflection): Â R ≈ B̂, and B̂ Rᵀ ≈ Â. */
  readonly rotation: Float64Array;
  /** Singular values of ÂᵀB̂, largest first (their sum is the best achievable ⟨Â R, B̂⟩). */
  readonly singularValues: Float64Array;
}

/**
 * Orthogonal Procrustes from the centred Gram blocks: M = A_cᵀB_c / (‖A_c‖_F‖B_c‖_F) = W Σ Zᵀ (one-sided Jacobi),
 * R = W Zᵀ, residual = 2 − 2·ΣΣ (clamped at 0 against rounding). Needs equal column counts (R is square); NaN
 * residual and the identity when either matrix has no variance.
 */
export function procrustes(gram: CentredGram): ProcrustesFit {
  const n = gram.colsA;
  if (gram.colsB !== n)
    throw new CheckpointError(
      'unsupported',
      `orthogonal Procrustes needs matrices with equal columns; got ${gram.colsA} and ${gram.colsB} columns`,
    );
  const normA = Math.sqrt(trace(gram.aa, n));
  const normB = Math.sqrt(trace(gram.bb, n));
  if (!(normA > 0 && normB > 0)) return { residual: NaN, rotation: identity(n), singularValues: new Float64Array(n) };
  const m = Float64Array.from(gram.ab, (value) => value / (normA * normB));
  const { values, left, right } = squareSvd(m, n);
  let nuclear = 0;
  for (const sigma of values) nuclear += sigma;
  const rotation = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < n; k++) {
      let sum = 0;
      for (let j = 0; j < n; j++) sum += (left[i * n + j] as number) * (right[k * n + j] as number);
      rotation[i * n + k] = sum;
    }
  }
  return { residual: Math.max(0, 2 - 2 * nuclear), rotation, singularValues: values };
}

/** The n×n identity, row-major. */
export function identity(n: number): Float64Array {
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) out[i * n + i] = 1;
  return out;
}

function trace(matrix: Float64Array, n: number): number {
  let sum = 0;
  for (let i = 0; i < n; i++) sum += matrix[i * n + i] as number;
  return sum;
}
