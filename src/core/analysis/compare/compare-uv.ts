import type { KnnGraph } from '../knn';
import { Pacer } from '../pacer';
import type { Anisotropy } from './anisotropy';
import { anisotropy, anisotropyWork } from './anisotropy';
import { centredGram, gramWork, uncentred, type CentredGram } from './gram';
import {
  anisotropySeed,
  DEFAULT_K,
  DEFAULT_SAMPLE_ROWS,
  DEFAULT_SEED,
  decompositionWork,
  effectiveK,
  pairMetrics,
  pairWork,
  querySample,
  type CompareOptions,
} from './pair-metrics';
import { identity } from './procrustes';
import { selfRankWork, selfRanks } from './self-rank';
import { effectiveRank, singularValuesFromGram } from './spectrum';
import { atRows, ensureFiniteMatrix, extremes, finiteMean, finiteMedian, rowCosines, sameData } from './uv-metrics';
import { WorkMeter } from './work-meter';

/** Tokens listed at each end of the cos(uᵢ, vᵢ) distribution. */
export const EXTREME_TOKENS = 20;

/** Options of `compareUV`. */
export interface UvOptions extends CompareOptions {
  /** The checkpoint declares U and V one matrix: V is taken to be U. */
  readonly tied?: boolean;
}

/** Everything U-vs-V: scalars for cards and the CLI, per-token arrays (row order) for tables and histograms. */
export interface UvReport {
  readonly rows: number;
  readonly cols: number;
  /** Neighbours per list in Jaccard@k (the requested k capped at rows − 1). */
  readonly k: number;
  readonly seed: number;
  /** U and V are one matrix (declared tied, or the same numbers): pairwise metrics take their implied values. */
  readonly tied: boolean;
  /** cos(uᵢ, vᵢ) per row (0 for a zero row; 1 for every row when tied). */
  readonly cos: Float32Array;
  /** Mean and median of `cos` over all rows (float64). */
  readonly meanCos: number;
  readonly medianCos: number;
  /** Rows with the highest / lowest cos(uᵢ, vᵢ), EXTREME_TOKENS each, most extreme first. */
  readonly highestCos: Int32Array;
  readonly lowestCos: Int32Array;
  /** The query rows of the sampled metrics (increasing), or null when every row was used. */
  readonly sample: Int32Array | null;
  /** Self rank per row (see `selfRanks`): 1 = vᵢ scores highest; 0 for rows outside the sample. */
  readonly selfRank: Int32Array;
  /** Median self rank over the rows ranked. */
  readonly medianSelfRank: number;
  /** Jaccard@k of N_U(i) and N_V(i) per row (see `jaccardPerRow`); NaN for rows outside the sample. */
  readonly jaccard: Float32Array;
  /** Mean Jaccard@k over the rows computed (float64); `jaccardAtK` of the CLI. */
  readonly meanJaccard: number;
  /** Cosine neighbour lists in U and V of the query rows (graph row q ↔ sample[q], or row q); null when tied or k = 0. */
  readonly neighbours: { readonly u: KnnGraph; readonly v: KnnGraph } | null;
  /** Linear CKA of U and V (see `linearCka`); 1 when tied. */
  readonly linearCka: number;
  /** Orthogonal Procrustes residual of aligning U to V (see `procrustes`); 0 when tied. */
  readonly procrustesResidual: number;
  /** The Procrustes R (cols×cols, row-major): Û R ≈ V̂ on centred, unit-norm matrices; the identity when tied. */
  readonly rotation: Float64Array;
  /** Singular values (uncentred matrices, largest first) of U, V and U + V. */
  readonly singularValues: { readonly u: Float64Array; readonly v: Float64Array; readonly sum: Float64Array };
  /** Effective ranks (see `effectiveRank`) of U, V and U + V. */
  readonly effectiveRank: { readonly u: number; readonly v: number; readonly sum: number };
  /** Mean cosine of pairs of rows (see `anisotropy`) in U and in V, over the same pairs. */
  readonly anisotropy: { readonly u: Anisotropy; readonly v: Anisotropy };
}

/**
 * Compares a model's input matrix U with its output matrix V (both row-major rows×cols, row i = the same token):
 * per-token cos(uᵢ, vᵢ), self ranks and Jaccard@k (on a seeded sample of query rows when rows > sampleRows), linear CKA,
 * orthogonal Procrustes, spectra, effective ranks and anisotropy. Tied models (options.tied, or U and V hold the same
 * numbers) get the implied values — cos 1, Jaccard 1, CKA 1, residual 0, the identity — with spectra, anisotropy and
 * self ranks still computed (with dot scores a tied token need not rank itself first: a longer vector in a similar
 * direction can outscore it). Cancellable through `signal`; reports progress. Throws `unsupported` on NaN/Inf values.
 */
export async function compareUV(u: Float32Array, v: Float32Array, rows: number, cols: number, options: UvOptions = {}): Promise<UvReport> {
  ensureFiniteMatrix(u, rows, cols, 'U');
  const tied = options.tied === true || (rows * cols > 0 && sameData(u.subarray(0, rows * cols), v.subarray(0, rows * cols)));
  if (!tied) ensureFiniteMatrix(v, rows, cols, 'V');
  const seed = options.seed ?? DEFAULT_SEED;
  const k = effectiveK(options.k ?? DEFAULT_K, rows);
  const sample = querySample(rows, options.sampleRows ?? DEFAULT_SAMPLE_ROWS, seed);
  const queries = sample === null ? rows : sample.length;
  const total = tied
    ? gramWork(rows, cols, 0) + decompositionWork(cols) + selfRankWork(queries, rows, cols) + anisotropyWork(rows, cols)
    : rows * cols + pairWork(rows, cols, queries, k) + decompositionWork(cols) + selfRankWork(queries, rows, cols);
  const meter = new WorkMeter(new Pacer(total, options.signal, options.onProgress, 'U-vs-V comparison'));
  const report = tied
    ? await tiedReport(u, rows, cols, k, seed, sample, meter)
    : await untiedReport(u, v, rows, cols, k, seed, sample, meter, options.signal);
  meter.pacer.finish();
  return report;
}

async function untiedReport(
  u: Float32Array,
  v: Float32Array,
  rows: number,
  cols: number,
  k: number,
  seed: number,
  sample: Int32Array | null,
  meter: WorkMeter,
  signal: AbortSignal | undefined,
): Promise<UvReport> {
  const cos = rowCosines(u, v, rows, cols);
  await meter.step(rows * cols);
  const metrics = await pairMetrics(u, v, rows, cols, sample, k, seed, meter, signal);
  const sumValues = singularValuesFromGram(sumGram(metrics.gram), cols);
  await meter.step(decompositionWork(cols));
  const ranks = await selfRanks(u, v, rows, cols, sample, meter);
  return {
    ...cosFields(cos),
    rows,
    cols,
    k,
    seed,
    tied: false,
    sample,
    ...rankFields(ranks, sample, rows),
    jaccard: atRows(metrics.jaccard, sample, rows),
    meanJaccard: finiteMean(metrics.jaccard),
    neighbours: metrics.neighbours === null ? null : { u: metrics.neighbours.a, v: metrics.neighbours.b },
    linearCka: metrics.linearCka,
    procrustesResidual: metrics.procrustes.residual,
    rotation: metrics.procrustes.rotation,
    singularValues: { u: metrics.singularValuesA, v: metrics.singularValuesB, sum: sumValues },
    effectiveRank: { u: metrics.effectiveRankA, v: metrics.effectiveRankB, sum: effectiveRank(sumValues) },
    anisotropy: { u: metrics.anisotropyA, v: metrics.anisotropyB },
  };
}

async function tiedReport(
  u: Float32Array,
  rows: number,
  cols: number,
  k: number,
  seed: number,
  sample: Int32Array | null,
  meter: WorkMeter,
): Promise<UvReport> {
  const gram = await centredGram(u, cols, new Float32Array(0), 0, rows, meter);
  const values = singularValuesFromGram(uncentred(gram.aa, gram.meanA, rows), cols);
  await meter.step(decompositionWork(cols));
  const ranks = await selfRanks(u, u, rows, cols, sample, meter);
  const pairCosine = await anisotropy(u, rows, cols, anisotropySeed(seed), meter);
  const erank = effectiveRank(values);
  const jaccard = new Float64Array(sample === null ? rows : sample.length).fill(k > 0 ? 1 : NaN);
  return {
    ...cosFields(new Float64Array(rows).fill(1)),
    rows,
    cols,
    k,
    seed,
    tied: true,
    sample,
    ...rankFields(ranks, sample, rows),
    jaccard: atRows(jaccard, sample, rows),
    meanJaccard: finiteMean(jaccard),
    neighbours: null,
    linearCka: 1,
    procrustesResidual: 0,
    rotation: identity(cols),
    // U + V = 2U: the same directions, every singular value doubled.
    singularValues: { u: values, v: values, sum: values.map((sigma) => 2 * sigma) },
    effectiveRank: { u: erank, v: erank, sum: erank },
    anisotropy: { u: pairCosine, v: pairCosine },
  };
}

/** Centred Gram of U + V from the blocks of [U | V]: UᵀU + UᵀV + VᵀU + VᵀV, then uncentred with mean μU + μV. */
function sumGram(gram: CentredGram): Float64Array {
  const n = gram.colsA;
  const centred = new Float64Array(n * n);
  for (let p = 0; p < n; p++) {
    for (let q = 0; q < n; q++) {
      centred[p * n + q] =
        (gram.aa[p * n + q] as number) + (gram.ab[p * n + q] as number) + (gram.ab[q * n + p] as number) + (gram.bb[p * n + q] as number);
    }
  }
  const mean = gram.meanA.map((value, c) => value + (gram.meanB[c] as number));
  return uncentred(centred, mean, gram.rows);
}

function cosFields(cos: Float64Array): Pick<UvReport, 'cos' | 'meanCos' | 'medianCos' | 'highestCos' | 'lowestCos'> {
  return {
    cos: Float32Array.from(cos),
    meanCos: finiteMean(cos),
    medianCos: finiteMedian(cos),
    highestCos: extremes(cos, EXTREME_TOKENS, true),
    lowestCos: extremes(cos, EXTREME_TOKENS, false),
  };
}

function rankFields(ranks: Int32Array, sample: Int32Array | null, rows: number): Pick<UvReport, 'selfRank' | 'medianSelfRank'> {
  const selfRank = sample === null ? ranks : new Int32Array(rows);
  sample?.forEach((row, q) => (selfRank[row] = ranks[q] as number));
  return { selfRank, medianSelfRank: finiteMedian(ranks) };
}
