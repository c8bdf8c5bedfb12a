import { fillGaussian, type Random } from './seeded-random';
import { symmetricEigen } from './symmetric-eigen';

/** A symmetric positive semi-definite operator (for PCA: the centred sample's XᵀX, never formed). */
export interface SymmetricOperator {
  readonly dim: number;
  /** A·v for `count` vectors stored one after another (`block[j*dim + c]`); the result has the same layout. */
  apply(block: Float64Array, count: number): Promise<Float64Array>;
}

/** How far to take the Krylov space. */
export interface KrylovOptions {
  /** Eigenpairs wanted (the largest). */
  readonly count: number;
  /** Vectors multiplied per pass over the data; ≥ count so a near-double eigenvalue does not stall it. */
  readonly blockSize: number;
  /** Largest basis built (each pass adds up to blockSize vectors); capped by `dim`, where the answer is exact. */
  readonly maxDimension: number;
  /** Stop when every wanted Ritz pair has ‖A·u − θ·u‖ ≤ tolerance · θ₁. */
  readonly tolerance: number;
  readonly random: Random;
  /** Called after each pass with the basis size so far. */
  readonly onPass?: (dimension: number) => void;
}

/** The top eigenpairs found. */
export interface KrylovResult {
  /** Eigenvalues, largest first (`found` of them). */
  readonly values: Float64Array;
  /** Unit eigenvectors one after another: vector i is `vectors[i*dim .. (i+1)*dim)`. */
  readonly vectors: Float64Array;
  /** Pairs returned: `count`, or fewer when the operator's Krylov space is smaller (dim < count). */
  readonly found: number;
  /** Size of the Krylov basis, and the number of operator applications (passes over the data). */
  readonly dimension: number;
  readonly passes: number;
  /** Largest ‖A·u − θ·u‖ / θ₁ among the returned pairs (0 for the zero operator). */
  readonly relativeResidual: number;
  readonly converged: boolean;
}

/** A column whose norm falls below this share of its norm before orthogonalisation adds nothing new to the basis. */
const DEPENDENT_RATIO = 1e-8;

/**
 * Largest eigenpairs of a symmetric PSD operator by block Krylov iteration with full reorthogonalisation and
 * Rayleigh–Ritz over the whole basis (block Lanczos without its three-term shortcut). One pass of the operator per
 * block; far fewer passes than subspace (power) iteration for the spectra embeddings have, where the top
 * eigenvalues sit close together. The small projected problem is solved exactly after every pass, and the
 * residual of each wanted Ritz pair (computable from A·Q, which we keep) decides when to stop.
 */
export async function topEigenpairs(operator: SymmetricOperator, options: KrylovOptions): Promise<KrylovResult> {
  const dim = operator.dim;
  const maxDimension = Math.max(1, Math.min(dim, options.maxDimension));
  const basis = new Float64Array(maxDimension * dim);
  const images = new Float64Array(maxDimension * dim);
  const projected = new Float64Array(maxDimension * maxDimension);
  let size = 0;
  let passes = 0;
  let block = new Float64Array(options.blockSize * dim);
  fillGaussian(block, options.random);
  let blockCount = options.blockSize;
  let ritz = ritzPairs(basis, images, projected, 0, dim, options.count, maxDimension);
  let invariant = false;
  for (;;) {
    const added = appendOrthonormal(basis, size, block, Math.min(blockCount, maxDimension - size), dim);
    // Nothing new: the basis is an invariant subspace, so its Ritz pairs are exact.
    invariant = added === 0;
    if (invariant) break;
    const product = await operator.apply(basis.subarray(size * dim, (size + added) * dim), added);
    images.set(product.subarray(0, added * dim), size * dim);
    extendProjection(basis, images, projected, size, added, dim, maxDimension);
    size += added;
    passes++;
    options.onPass?.(size);
    ritz = ritzPairs(basis, images, projected, size, dim, options.count, maxDimension);
    if (ritz.relativeResidual <= options.tolerance || size >= maxDimension) break;
    block = product.slice(0, added * dim);
    blockCount = added;
  }
  const converged = invariant || size >= dim || ritz.relativeResidual <= options.tolerance;
  return { ...ritz, dimension: size, passes, converged };
}

/**
 * Orthonormalises `count` vectors of `block` against the basis's first `size` vectors and each other (modified
 * Gram–Schmidt, twice: "twice is enough"), appends the independent ones after them, and returns how many.
 */
function appendOrthonormal(basis: Float64Array, size: number, block: Float64Array, count: number, dim: number): number {
  let added = 0;
  for (let j = 0; j < count; j++) {
    const w = block.subarray(j * dim, (j + 1) * dim);
    const before = Math.sqrt(dot(w, w));
    if (before === 0 || !Number.isFinite(before)) continue;
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < size + added; i++) {
        const q = basis.subarray(i * dim, (i + 1) * dim);
        const projection = dot(q, w);
        for (let c = 0; c < dim; c++) w[c] = (w[c] as number) - projection * (q[c] as number);
      }
    }
    const after = Math.sqrt(dot(w, w));
    if (after <= DEPENDENT_RATIO * before) continue;
    const target = (size + added) * dim;
    for (let c = 0; c < dim; c++) basis[target + c] = (w[c] as number) / after;
    added++;
  }
  return added;
}

/** Fills the rows and columns of H = Qᵀ·A·Q for the `added` new basis vectors, symmetrised. */
function extendProjection(
  basis: Float64Array,
  images: Float64Array,
  projected: Float64Array,
  size: number,
  added: number,
  dim: number,
  stride: number,
): void {
  for (let j = size; j < size + added; j++) {
    const qj = basis.subarray(j * dim, (j + 1) * dim);
    const aqj = images.subarray(j * dim, (j + 1) * dim);
    for (let i = 0; i <= j; i++) {
      const qi = basis.subarray(i * dim, (i + 1) * dim);
      const aqi = images.subarray(i * dim, (i + 1) * dim);
      // qᵢ·A·qⱼ and qⱼ·A·qᵢ agree up to rounding; their mean keeps H exactly symmetric.
      const value = i === j ? dot(qi, aqj) : 0.5 * (dot(qi, aqj) + dot(qj, aqi));
      projected[i * stride + j] = value;
      projected[j * stride + i] = value;
    }
  }
}

/** Rayleigh–Ritz on the first `size` basis vectors: the top `count` Ritz pairs and their largest relative residual. */
function ritzPairs(
  basis: Float64Array,
  images: Float64Array,
  projected: Float64Array,
  size: number,
  dim: number,
  count: number,
  stride: number,
): Pick<KrylovResult, 'values' | 'vectors' | 'found' | 'relativeResidual'> {
  const found = Math.min(count, size);
  const small = new Float64Array(size * size);
  for (let i = 0; i < size; i++) small.set(projected.subarray(i * stride, i * stride + size), i * size);
  const eigen = symmetricEigen(small, size);
  const values = eigen.values.slice(0, found);
  const vectors = new Float64Array(found * dim);
  const top = Math.max(values[0] ?? 0, 0);
  let worst = 0;
  const image = new Float64Array(dim);
  for (let r = 0; r < found; r++) {
    const u = vectors.subarray(r * dim, (r + 1) * dim);
    image.fill(0);
    for (let i = 0; i < size; i++) {
      const weight = eigen.vectors[r * size + i] as number;
      const base = i * dim;
      for (let c = 0; c < dim; c++) {
        u[c] = (u[c] as number) + weight * (basis[base + c] as number);
        image[c] = (image[c] as number) + weight * (images[base + c] as number);
      }
    }
    const theta = values[r] as number;
    let residual = 0;
    for (let c = 0; c < dim; c++) residual += ((image[c] as number) - theta * (u[c] as number)) ** 2;
    worst = Math.max(worst, top > 0 ? Math.sqrt(residual) / top : 0);
  }
  return { values, vectors, found, relativeResidual: worst };
}

/** Dot product of two equal-length float64 vectors. */
function dot(a: Float64Array, b: Float64Array): number {
  let total = 0;
  for (let c = 0; c < a.length; c++) total += (a[c] as number) * (b[c] as number);
  return total;
}
