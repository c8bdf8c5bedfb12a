import { symmetricEigen } from '../symmetric-eigen';

/**
 * Singular values of a matrix X (largest first) from its Gram matrix G = XᵀX (n×n, float64): σ = √max(λ, 0) for the
 * eigenvalues λ of G. Accurate to about √ε·σ₁ in absolute terms (≈1.5e-8·σ₁): ample for spectra and effective rank,
 * where singular values that small carry no weight.
 */
export function singularValuesFromGram(gram: Float64Array, n: number): Float64Array {
  const { values } = symmetricEigen(gram, n);
  return Float64Array.from(values, (lambda) => Math.sqrt(Math.max(lambda, 0)));
}

/**
 * Effective rank (Roy & Vetterli 2007): exp of the Shannon entropy (natural log) of the singular values normalised
 * to sum 1, erank = exp(−Σ pₖ ln pₖ) with pₖ = σₖ / Σσ (0·ln 0 = 0). Between 1 (one direction) and the number of
 * non-zero singular values (all equal); NaN for a zero matrix.
 */
export function effectiveRank(singularValues: Float64Array): number {
  let total = 0;
  for (const sigma of singularValues) total += sigma;
  if (!(total > 0)) return NaN;
  let entropy = 0;
  for (const sigma of singularValues) {
    const p = sigma / total;
    if (p > 0) entropy -= p * Math.log(p);
  }
  return Math.exp(entropy);
}
