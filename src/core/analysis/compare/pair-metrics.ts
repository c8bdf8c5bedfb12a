import type { KnnGraph } from '../knn';
import { seededRandom, sortedSample } from '../seeded-random';
import { anisotropy, anisotropyWork, type Anisotropy } from './anisotropy';
import { linearCka } from './cka';
import { centredGram, gramWork, uncentred, type CentredGram } from './gram';
import { cosineNeighbours, jaccardPerRow, neighbourWork } from './jaccard';
import { procrustes, type ProcrustesFit } from './procrustes';
import { effectiveRank, singularValuesFromGram } from './spectrum';
import type { WorkMeter } from './work-meter';

/** k of Jaccard@k and of the neighbour lists when the caller gives none. */
export const DEFAULT_K = 10;
/** Seed of the query sample and of the anisotropy pairs when the caller gives none. */
export const DEFAULT_SEED = 1;
/**
 * Query rows used for the all-pairs metrics (Jaccard@k, self rank) when a matrix has more rows. Those cost
 * queries × rows × cols each; 2,000 queries keep the compare of a 100k-word model to seconds, and the standard error
 * of a mean of values in [0, 1] over 2,000 rows is at most 0.5/√2000 ≈ 0.011 (typically a third of that).
 */
export const DEFAULT_SAMPLE_ROWS = 2000;

/** Options every comparison takes. */
export interface CompareOptions {
  /** Neighbours per list for Jaccard@k (default DEFAULT_K; capped at rows − 1). */
  readonly k?: number;
  /** Seed of the row sample and the anisotropy pairs (default DEFAULT_SEED): the same seed, the same numbers. */
  readonly seed?: number;
  /** Sample this many query rows when there are more (default DEFAULT_SAMPLE_ROWS). */
  readonly sampleRows?: number;
  readonly signal?: AbortSignal;
  /** Share of the work done, 0..1. */
  readonly onProgress?: (fraction: number) => void;
}

/** Metrics of two matrices over the same rows (U and V, or U and U′ on the shared vocabulary). */
export interface PairMetrics {
  readonly gram: CentredGram;
  readonly linearCka: number;
  readonly procrustes: ProcrustesFit;
  /** Singular values of the uncentred matrices, largest first. */
  readonly singularValuesA: Float64Array;
  readonly singularValuesB: Float64Array;
  readonly effectiveRankA: number;
  readonly effectiveRankB: number;
  readonly anisotropyA: Anisotropy;
  readonly anisotropyB: Anisotropy;
  /** Neighbour lists of the query rows (graph row q is query q), or null when k is 0. */
  readonly neighbours: { readonly a: KnnGraph; readonly b: KnnGraph } | null;
  /** Jaccard@k per query row, float64. */
  readonly jaccard: Float64Array;
}

/** The effective k: at most rows − 1 (a row is never its own neighbour), at least 0. */
export function effectiveK(k: number, rows: number): number {
  return Math.max(0, Math.min(Math.floor(k), rows - 1));
}

/** The seeded query sample (increasing row indices), or null when every row is used. */
export function querySample(rows: number, sampleRows: number, seed: number): Int32Array | null {
  return rows > sampleRows ? sortedSample(rows, sampleRows, seededRandom(seed)) : null;
}

/** Seed of the anisotropy pairs: offset from the sample's seed so the two streams do not start alike. */
export function anisotropySeed(seed: number): number {
  return (seed + 1) >>> 0;
}

/** Fixed cost (in work units) charged for the cols×cols eigen- and singular value decompositions. */
export function decompositionWork(cols: number): number {
  // Jacobi methods take ~10 sweeps of ~cols³ each.
  return 10 * cols * cols * cols;
}

/** Work units `pairMetrics` reports. */
export function pairWork(rows: number, cols: number, queries: number, k: number): number {
  return (
    gramWork(rows, cols, cols) +
    3 * decompositionWork(cols) +
    (k > 0 ? 2 * neighbourWork(queries, rows, cols) : 0) +
    2 * anisotropyWork(rows, cols)
  );
}

/**
 * CKA, Procrustes, spectra, effective ranks, anisotropy and Jaccard@k of two row-major matrices with the same rows and
 * columns (see each function for its exact definition). `queries` are the rows Jaccard@k is computed for (all: null).
 */
export async function pairMetrics(
  a: Float32Array,
  b: Float32Array,
  rows: number,
  cols: number,
  queries: Int32Array | null,
  k: number,
  seed: number,
  meter: WorkMeter,
  signal: AbortSignal | undefined,
): Promise<PairMetrics> {
  const gram = await centredGram(a, cols, b, cols, rows, meter);
  const singularValuesA = singularValuesFromGram(uncentred(gram.aa, gram.meanA, rows), cols);
  await meter.step(decompositionWork(cols));
  const singularValuesB = singularValuesFromGram(uncentred(gram.bb, gram.meanB, rows), cols);
  await meter.step(decompositionWork(cols));
  const fit = procrustes(gram);
  await meter.step(decompositionWork(cols));
  let neighbours: PairMetrics['neighbours'] = null;
  let jaccard: Float64Array = new Float64Array(queries === null ? rows : queries.length).fill(NaN);
  if (k > 0) {
    const graphA = await cosineNeighbours(a, rows, cols, queries, k, meter, signal);
    const graphB = await cosineNeighbours(b, rows, cols, queries, k, meter, signal);
    neighbours = { a: graphA, b: graphB };
    jaccard = jaccardPerRow(graphA, graphB);
  }
  const anisotropyA = await anisotropy(a, rows, cols, anisotropySeed(seed), meter);
  const anisotropyB = await anisotropy(b, rows, cols, anisotropySeed(seed), meter);
  return {
    gram,
    linearCka: linearCka(gram),
    procrustes: fit,
    singularValuesA,
    singularValuesB,
    effectiveRankA: effectiveRank(singularValuesA),
    effectiveRankB: effectiveRank(singularValuesB),
    anisotropyA,
    anisotropyB,
    neighbours,
    jaccard,
  };
}
