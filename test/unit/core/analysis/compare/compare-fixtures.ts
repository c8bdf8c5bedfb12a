import { expected, fixture, withCheckpoint } from '../../../helpers';
import type { EmbeddingTable } from '../../../../../src/core/analysis/compare/checkpoint-compare';

/** numpy's float64 figures for one U/V pair (test/fixtures/scripts/make_compare.py). */
export interface UvCase {
  u?: string;
  v?: string;
  checkpoint?: string;
  rows: number;
  cols: number;
  k: number;
  seed: number;
  sampleRows: number;
  sample: number[] | null;
  cos: number[];
  meanCos: number;
  medianCos: number;
  selfRank: number[];
  selfRankFragile: number[];
  jaccard: number[];
  jaccardFragile: number[];
  meanJaccard: number;
  linearCka: number;
  procrustesResidual: number;
  rotation: number[];
  procrustesSingularValues: number[];
  singularValues: { u: number[]; v: number[]; sum: number[] };
  effectiveRank: { u: number; v: number; sum: number };
  anisotropy: { u: number; v: number; pairs: number };
}

/** numpy's figures for checkpoint A against checkpoint B. */
export interface CheckpointCase {
  a: string;
  b: string;
  sharedRows: number;
  rowsA: number[];
  rowsB: number[];
  k: number;
  drift: number[];
  driftOrder: number[];
  meanAlignedCos: number;
  medianAlignedCos: number;
  rotation: number[];
  linearCka: number;
  procrustesResidual: number;
  jaccard: number[];
  jaccardFragile: number[];
  meanJaccard: number;
  effectiveRank: { a: number; b: number };
  anisotropy: { a: number; b: number; pairs: number };
  topDrift: { token: string; drift: number }[];
}

/** All cases of analysis/compare/expected.json. */
export const truth = expected<{ cases: Record<string, UvCase & CheckpointCase> }>('analysis/compare/expected.json');

/** The U and V of a case, read by the project's own readers (npy files, or a gensim model's two matrices). */
export async function loadPair(c: UvCase): Promise<{ u: Float32Array; v: Float32Array }> {
  if (c.checkpoint !== undefined) {
    return withCheckpoint(fixture(c.checkpoint), async (checkpoint) => ({
      u: await checkpoint.matrices.find((m) => m.role === 'input')!.load(),
      v: await checkpoint.matrices.find((m) => m.role === 'output')!.load(),
    }));
  }
  const load = (relative: string): Promise<Float32Array> =>
    withCheckpoint(fixture(relative), (checkpoint) => checkpoint.matrices[0]!.load());
  return { u: await load(c.u!), v: await load(c.v!) };
}

/** A checkpoint folder of the fixture (vectors.npy + vocab.txt) as a token-labelled table. */
export function loadTable(folder: string): Promise<EmbeddingTable> {
  return withCheckpoint(fixture(`${folder}/vectors.npy`), async (checkpoint) => {
    const matrix = checkpoint.matrices[0]!;
    return { data: await matrix.load(), rows: matrix.rows, cols: matrix.cols, tokens: checkpoint.vocab.tokens.slice() };
  });
}

/**
 * |actual − expected| ≤ tolerance · max(1, |expected|): relative for large values, absolute for values of order one
 * and below (a metric near 0 has no meaningful relative error).
 */
export function assertClose(actual: number, expectedValue: number, tolerance: number, what: string): void {
  const error = Math.abs(actual - expectedValue);
  if (!(error <= tolerance * Math.max(1, Math.abs(expectedValue))))
    throw new Error(`${what}: got ${actual}, numpy ${expectedValue} (difference ${error}, tolerance ${tolerance})`);
}
