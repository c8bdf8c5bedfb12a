import { CheckpointError } from '../../errors';
import { topK, type KnnGraph } from '../knn';
import { Pacer } from '../pacer';
import { anisotropy, anisotropyWork, type Anisotropy } from './anisotropy';
import { centredGram, gramWork, uncentred } from './gram';
import { gatherRows } from '../row-selection';
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
import { effectiveRank, singularValuesFromGram } from './spectrum';
import { atRows, ensureFiniteMatrix, finiteMean, finiteMedian, sameData } from './uv-metrics';
import { WorkMeter } from './work-meter';

/** One checkpoint's matrix with the tokens of its rows. */
export interface EmbeddingTable {
  /** Row-major rows×cols. */
  readonly data: Float32Array;
  readonly rows: number;
  readonly cols: number;
  /** Token of each row (entries beyond `rows` are ignored). */
  readonly tokens: readonly string[];
}

/** The tokens two checkpoints share, in A's row order: shared row s is row rowsA[s] of A and row rowsB[s] of B. */
export interface SharedVocabulary {
  readonly rowsA: Int32Array;
  readonly rowsB: Int32Array;
}

/** Checkpoint A against checkpoint B on their shared vocabulary, B aligned to A. */
export interface CheckpointComparison {
  /** Number of shared tokens; every per-token array below is indexed by shared row. */
  readonly sharedRows: number;
  readonly shared: SharedVocabulary;
  readonly cols: number;
  /** Neighbours per list in Jaccard@k (the requested k capped at sharedRows − 1). */
  readonly k: number;
  readonly seed: number;
  /** A and B hold the same numbers on the shared rows: pairwise metrics take their implied values. */
  readonly identical: boolean;
  /** A's and B's shared rows, gathered (row-major sharedRows×cols), for on-demand neighbour lists. */
  readonly a: Float32Array;
  readonly b: Float32Array;
  /** Per shared row, cos(aᵢ − μA, (bᵢ − μB)·rotation): the cosine after alignment (0 for a row at its mean). */
  readonly alignedCos: Float32Array;
  /** Mean and median of `alignedCos` (float64). */
  readonly meanAlignedCos: number;
  readonly medianAlignedCos: number;
  /** Per shared row, drift = 1 − alignedCos, in [0, 2] (float64, so rankings and topDrift keep full precision). */
  readonly drift: Float64Array;
  /** Shared rows by drift, largest first (equal drifts: lower row first). */
  readonly driftOrder: Int32Array;
  /** R (cols×cols, row-major, orthogonal) aligning B to A: (B − μB)·R ≈ s·(A − μA) for the best scale s. */
  readonly rotation: Float64Array;
  /** Linear CKA of A and B on the shared rows (see `linearCka`). */
  readonly linearCka: number;
  /** Orthogonal Procrustes residual of A and B on the shared rows (see `procrustes`). */
  readonly procrustesResidual: number;
  /** Query rows of Jaccard@k (shared-row indices, increasing), or null when every shared row was used. */
  readonly sample: Int32Array | null;
  /** Jaccard@k of N_A(i) and N_B(i) within the shared rows; NaN outside the sample. */
  readonly jaccard: Float32Array;
  readonly meanJaccard: number;
  /** Cosine neighbour lists (shared-row indices) of the query rows; null when identical or k = 0. */
  readonly neighbours: { readonly a: KnnGraph; readonly b: KnnGraph } | null;
  /** Singular values (uncentred, shared rows, largest first), effective ranks and anisotropy of A and B. */
  readonly singularValues: { readonly a: Float64Array; readonly b: Float64Array };
  readonly effectiveRank: { readonly a: number; readonly b: number };
  readonly anisotropy: { readonly a: Anisotropy; readonly b: Anisotropy };
}

/** A token's neighbour list in A against its list in B (shared-row indices, A's order / B's order). */
export interface NeighbourChange {
  readonly row: number;
  /** In both lists (in A's order). */
  readonly kept: Int32Array;
  /** In B's list only: neighbours that appeared. */
  readonly appeared: Int32Array;
  /** In A's list only: neighbours that disappeared. */
  readonly disappeared: Int32Array;
}

/**
 * Tokens present in both vocabularies (exact string match), in A's row order; a token repeated within one vocabulary
 * is matched by its first row.
 */
export function sharedVocabulary(tokensA: readonly string[], rowsA: number, tokensB: readonly string[], rowsB: number): SharedVocabulary {
  const inB = new Map<string, number>();
  for (let row = 0; row < Math.min(rowsB, tokensB.length); row++) {
    const token = tokensB[row] as string;
    if (!inB.has(token)) inB.set(token, row);
  }
  const seen = new Set<string>();
  const fromA: number[] = [];
  const fromB: number[] = [];
  for (let row = 0; row < Math.min(rowsA, tokensA.length); row++) {
    const token = tokensA[row] as string;
    const match = inB.get(token);
    if (match === undefined || seen.has(token)) continue;
    seen.add(token);
    fromA.push(row);
    fromB.push(match);
  }
  return { rowsA: Int32Array.from(fromA), rowsB: Int32Array.from(fromB) };
}

/**
 * Compares two checkpoints' matrices on their shared vocabulary: B is aligned to A by orthogonal Procrustes on
 * centred, unit-Frobenius-norm matrices; per-token drift = 1 − cos(aᵢ − μA, (bᵢ − μB)·R) ranks the tokens; and linear
 * CKA, the Procrustes residual, Jaccard@k (seeded query sample above sampleRows), effective ranks and anisotropy are
 * computed between A and B exactly as for U and V. Throws `unsupported` when the column counts differ (Procrustes
 * needs a square R), when no token is shared, or on NaN/Inf values. Cancellable; reports progress.
 */
export async function compareCheckpoints(
  a: EmbeddingTable,
  b: EmbeddingTable,
  options: CompareOptions = {},
): Promise<CheckpointComparison> {
  if (a.cols !== b.cols)
    throw new CheckpointError(
      'unsupported',
      `the checkpoints have ${a.cols} and ${b.cols} columns; aligning them (orthogonal Procrustes, drift, residual) needs equal dimensions`,
    );
  const shared = sharedVocabulary(a.tokens, a.rows, b.tokens, b.rows);
  const rows = shared.rowsA.length;
  if (rows === 0)
    throw new CheckpointError('unsupported', `the checkpoints share no token (${a.rows} and ${b.rows} rows): nothing to align or compare`);
  const cols = a.cols;
  const dataA = gatherRows(a.data, cols, shared.rowsA);
  const dataB = gatherRows(b.data, cols, shared.rowsB);
  ensureFiniteMatrix(dataA, rows, cols, 'the first checkpoint');
  ensureFiniteMatrix(dataB, rows, cols, 'the second checkpoint');
  const seed = options.seed ?? DEFAULT_SEED;
  const k = effectiveK(options.k ?? DEFAULT_K, rows);
  const sample = querySample(rows, options.sampleRows ?? DEFAULT_SAMPLE_ROWS, seed);
  const identical = sameData(dataA, dataB);
  const alignWork = rows * cols * (cols + 2);
  const total = identical
    ? gramWork(rows, cols, 0) + decompositionWork(cols) + anisotropyWork(rows, cols)
    : pairWork(rows, cols, sample === null ? rows : sample.length, k) + alignWork;
  const meter = new WorkMeter(new Pacer(total, options.signal, options.onProgress, 'checkpoint comparison'));
  const base = { sharedRows: rows, shared, cols, k, seed, identical, a: dataA, b: dataB, sample };
  let result: CheckpointComparison;
  if (identical) {
    const gram = await centredGram(dataA, cols, new Float32Array(0), 0, rows, meter);
    const values = singularValuesFromGram(uncentred(gram.aa, gram.meanA, rows), cols);
    await meter.step(decompositionWork(cols));
    const pairCosine = await anisotropy(dataA, rows, cols, anisotropySeed(seed), meter);
    const jaccard = new Float64Array(sample === null ? rows : sample.length).fill(k > 0 ? 1 : NaN);
    const erank = effectiveRank(values);
    result = {
      ...base,
      ...driftFields(new Float64Array(rows).fill(1)),
      rotation: identity(cols),
      linearCka: 1,
      procrustesResidual: 0,
      jaccard: atRows(jaccard, sample, rows),
      meanJaccard: finiteMean(jaccard),
      neighbours: null,
      singularValues: { a: values, b: values },
      effectiveRank: { a: erank, b: erank },
      anisotropy: { a: pairCosine, b: pairCosine },
    };
  } else {
    const metrics = await pairMetrics(dataA, dataB, rows, cols, sample, k, seed, meter, options.signal);
    // procrustes gives Â R ≈ B̂, so B̂ Rᵀ ≈ Â: Rᵀ aligns B to A.
    const rotation = transpose(metrics.procrustes.rotation, cols);
    const aligned = await alignedCosines(dataA, dataB, rows, cols, metrics.gram.meanA, metrics.gram.meanB, rotation, meter);
    result = {
      ...base,
      ...driftFields(aligned),
      rotation,
      linearCka: metrics.linearCka,
      procrustesResidual: metrics.procrustes.residual,
      jaccard: atRows(metrics.jaccard, sample, rows),
      meanJaccard: finiteMean(metrics.jaccard),
      neighbours: metrics.neighbours,
      singularValues: { a: metrics.singularValuesA, b: metrics.singularValuesB },
      effectiveRank: { a: metrics.effectiveRankA, b: metrics.effectiveRankB },
      anisotropy: { a: metrics.anisotropyA, b: metrics.anisotropyB },
    };
  }
  meter.pacer.finish();
  return result;
}

/**
 * The cosine top-k lists of the given shared rows in A and in B (excluding the row itself, by `topK`) and how they
 * differ: which neighbours were kept, appeared in B, or disappeared from A's list.
 */
export async function neighbourChanges(
  comparison: CheckpointComparison,
  rows: Int32Array,
  k: number = comparison.k,
  signal?: AbortSignal,
): Promise<NeighbourChange[]> {
  const { cols } = comparison;
  const lists = async (data: Float32Array): Promise<KnnGraph> =>
    topK({
      data,
      cols,
      queries: gatherRows(data, cols, rows),
      exclude: rows,
      k: effectiveK(k, comparison.sharedRows),
      metric: 'cosine',
      ...(signal === undefined ? {} : { signal }),
    });
  const inA = await lists(comparison.a);
  const inB = await lists(comparison.b);
  return Array.from(rows, (row, q) => {
    const listA = validRow(inA, q);
    const listB = validRow(inB, q);
    const setA = new Set(listA);
    const setB = new Set(listB);
    return {
      row,
      kept: Int32Array.from(listA.filter((n) => setB.has(n))),
      appeared: Int32Array.from(listB.filter((n) => !setA.has(n))),
      disappeared: Int32Array.from(listA.filter((n) => !setB.has(n))),
    };
  });
}

/** cos(aᵢ − μA, (bᵢ − μB)·R) per row, float64 (0 when either centred row is zero). */
async function alignedCosines(
  a: Float32Array,
  b: Float32Array,
  rows: number,
  cols: number,
  meanA: Float64Array,
  meanB: Float64Array,
  rotation: Float64Array,
  meter: WorkMeter,
): Promise<Float64Array> {
  const out = new Float64Array(rows);
  const centredB = new Float64Array(cols);
  const step = Math.max(1, Math.floor((1 << 20) / (cols * (cols + 2))));
  for (let row = 0; row < rows; row++) {
    const at = row * cols;
    for (let c = 0; c < cols; c++) centredB[c] = (b[at + c] as number) - (meanB[c] as number);
    let dot = 0;
    let normA = 0;
    let normB = 0;
    for (let p = 0; p < cols; p++) {
      let z = 0;
      for (let q = 0; q < cols; q++) z += (centredB[q] as number) * (rotation[q * cols + p] as number);
      const x = (a[at + p] as number) - (meanA[p] as number);
      dot += x * z;
      normA += x * x;
      normB += z * z;
    }
    out[row] = normA === 0 || normB === 0 ? 0 : dot / (Math.sqrt(normA) * Math.sqrt(normB));
    if (row % step === step - 1) await meter.step(step * cols * (cols + 2));
  }
  return out;
}

function driftFields(
  aligned: Float64Array,
): Pick<CheckpointComparison, 'alignedCos' | 'meanAlignedCos' | 'medianAlignedCos' | 'drift' | 'driftOrder'> {
  const drift = aligned.map((cos) => 1 - cos);
  const order = Array.from({ length: drift.length }, (_, i) => i).sort((i, j) => (drift[j] as number) - (drift[i] as number) || i - j);
  return {
    alignedCos: Float32Array.from(aligned),
    meanAlignedCos: finiteMean(aligned),
    medianAlignedCos: finiteMedian(aligned),
    drift,
    driftOrder: Int32Array.from(order),
  };
}

function transpose(matrix: Float64Array, n: number): Float64Array {
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out[j * n + i] = matrix[i * n + j] as number;
  return out;
}

function validRow(graph: KnnGraph, q: number): number[] {
  return Array.from(graph.indices.subarray(q * graph.k, (q + 1) * graph.k)).filter((row) => row >= 0);
}
