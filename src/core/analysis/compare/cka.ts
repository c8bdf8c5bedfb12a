import type { CentredGram } from './gram';

/**
 * Linear CKA (Kornblith et al. 2019) of column-centred A and B over the same rows:
 * ‖BᵀA‖²_F / (‖AᵀA‖_F · ‖BᵀB‖_F), from the cols×cols Gram blocks (never the rows×rows kernels). In [0, 1];
 * invariant to orthogonal transforms and isotropic scaling of either matrix; NaN when either has no variance.
 */
export function linearCka(gram: CentredGram): number {
  const cross = frobeniusSquared(gram.ab);
  const denominator = Math.sqrt(frobeniusSquared(gram.aa)) * Math.sqrt(frobeniusSquared(gram.bb));
  return denominator > 0 ? cross / denominator : NaN;
}

function frobeniusSquared(matrix: Float64Array): number {
  let sum = 0;
  for (const value of matrix) sum += value * value;
  return sum;
}
