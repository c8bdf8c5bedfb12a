import { rowNorms } from '../knn';
import { seededRandom } from '../seeded-random';
import type { WorkMeter } from './work-meter';

/**
 * Pairs averaged when a matrix has more distinct pairs than this: the mean of 100,000 cosines has a standard error
 * near 0.2/√100000 ≈ 6e-4 for typical embeddings, well under the differences worth reading.
 */
export const ANISOTROPY_PAIRS = 100_000;
/** Pairs between progress steps. */
const PAIRS_PER_STEP = 4096;

/** Mean cosine over pairs of rows, and how many pairs it averaged. */
export interface Anisotropy {
  readonly mean: number;
  readonly pairs: number;
  /** True when the pairs were drawn at random (more than ANISOTROPY_PAIRS distinct pairs), false when all were used. */
  readonly sampled: boolean;
}

/** Work units `anisotropy` reports for these sizes. */
export function anisotropyWork(rows: number, cols: number): number {
  return Math.min(ANISOTROPY_PAIRS, (rows * (rows - 1)) / 2) * cols + rows * cols;
}

/**
 * Anisotropy (Ethayarajh 2019): the mean cosine similarity of pairs of distinct rows, float64. When the matrix has
 * at most ANISOTROPY_PAIRS pairs i < j, all of them; otherwise ANISOTROPY_PAIRS pairs drawn with replacement from
 * `seededRandom(seed)`: i = ⌊r·rows⌋, j = ⌊r·(rows−1)⌋, j += 1 when j ≥ i (so i ≠ j). A zero row has cosine 0 with
 * everything. NaN with fewer than two rows. The same seed gives the same pairs for every matrix of that many rows.
 */
export async function anisotropy(data: Float32Array, rows: number, cols: number, seed: number, meter: WorkMeter): Promise<Anisotropy> {
  if (rows < 2) return { mean: NaN, pairs: 0, sampled: false };
  const norms = rowNorms(data.subarray(0, rows * cols), cols);
  await meter.step(rows * cols);
  const allPairs = (rows * (rows - 1)) / 2;
  let sum = 0;
  let pending = 0;
  if (allPairs <= ANISOTROPY_PAIRS) {
    for (let i = 0; i < rows - 1; i++) {
      for (let j = i + 1; j < rows; j++) sum += cosine(data, cols, norms, i, j);
      pending += rows - 1 - i;
      if (pending >= PAIRS_PER_STEP) {
        await meter.step(pending * cols);
        pending = 0;
      }
    }
    await meter.step(pending * cols);
    return { mean: sum / allPairs, pairs: allPairs, sampled: false };
  }
  const random = seededRandom(seed);
  for (let pair = 0; pair < ANISOTROPY_PAIRS; pair++) {
    const i = Math.floor(random() * rows);
    let j = Math.floor(random() * (rows - 1));
    if (j >= i) j++;
    sum += cosine(data, cols, norms, i, j);
    if (++pending === PAIRS_PER_STEP) {
      await meter.step(pending * cols);
      pending = 0;
    }
  }
  await meter.step(pending * cols);
  return { mean: sum / ANISOTROPY_PAIRS, pairs: ANISOTROPY_PAIRS, sampled: true };
}

function cosine(data: Float32Array, cols: number, norms: Float64Array, i: number, j: number): number {
  const ni = norms[i] as number;
  const nj = norms[j] as number;
  if (ni === 0 || nj === 0) return 0;
  let dot = 0;
  const a = i * cols;
  const b = j * cols;
  for (let c = 0; c < cols; c++) dot += (data[a + c] as number) * (data[b + c] as number);
  return dot / (ni * nj);
}
