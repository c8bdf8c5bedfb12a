import { compareCheckpoints, type CheckpointComparison } from '../core/analysis/compare/checkpoint-compare';
import { checkpointSummary } from '../core/analysis/compare/compare-report';
import { effectiveK } from '../core/analysis/compare/pair-metrics';
import { CheckpointError } from '../core/errors';
import { exactNeighbors } from '../core/neighbors';
import type { CheckpointView, NeighborPair } from '../protocol/analysis';
import type { OpenCheckpoints, OpenedCheckpoint } from './open-checkpoints';

/** A comparison kept with the first checkpoint, with the map from its vocabulary rows to shared rows. */
interface KeptComparison {
  readonly comparison: CheckpointComparison;
  readonly view: CheckpointView;
  /** Shared row of each of this checkpoint's rows, −1 when the token is not shared. */
  readonly sharedOf: Int32Array;
}

const key = (against: string, k: number): string => `against ${k} ${against}`;

/**
 * `opened`'s U against the U of the checkpoint at `against`, aligned on the shared vocabulary; computed once per
 * (against, k) and kept with `opened` so the neighbour lists of any shared token come at once.
 */
export async function checkpointViewOf(
  opened: OpenedCheckpoint,
  against: string,
  k: number,
  open: OpenCheckpoints,
  signal: AbortSignal,
  progress: (message: string, fraction?: number) => void,
): Promise<CheckpointView> {
  const kept = await opened.results.get(key(against, k), async (): Promise<KeptComparison> => {
    const started = performance.now();
    progress(`Opening ${against}`);
    const other = await open.get(against);
    const a = await opened.input(signal);
    const b = await other.input(signal);
    const tokensA = opened.checkpoint.vocab.tokens;
    let comparison: CheckpointComparison;
    try {
      comparison = await compareCheckpoints(
        { data: a.data, rows: a.matrix.rows, cols: a.matrix.cols, tokens: tokensA },
        { data: b.data, rows: b.matrix.rows, cols: b.matrix.cols, tokens: other.checkpoint.vocab.tokens },
        { k, signal, onProgress: (fraction) => progress('Comparing the checkpoints', fraction) },
      );
    } catch (error) {
      if (error instanceof CheckpointError && error.code === 'unsupported')
        throw new CheckpointError(error.code, `${opened.checkpoint.path} against ${against}: ${error.message}`);
      throw error;
    }
    const sharedOf = new Int32Array(a.matrix.rows).fill(-1);
    comparison.shared.rowsA.forEach((row, shared) => (sharedOf[row] = shared));
    const view: CheckpointView = {
      summary: checkpointSummary(comparison, tokensA, a.matrix.rows),
      against,
      matrices: [a.matrix.name, b.matrix.name],
      cols: comparison.cols,
      rows: comparison.shared.rowsA.slice().buffer as ArrayBuffer,
      drift: Float32Array.from(comparison.drift).buffer as ArrayBuffer,
      jaccard: comparison.jaccard.slice().buffer as ArrayBuffer,
      counts: countsOf(opened, a.matrix.rows),
      ms: Math.round(performance.now() - started),
    };
    return { comparison, view, sharedOf };
  });
  const { view } = kept;
  return {
    ...view,
    rows: view.rows.slice(0),
    drift: view.drift.slice(0),
    jaccard: view.jaccard.slice(0),
    counts: view.counts?.slice(0) ?? null,
  };
}

/** A row's cosine neighbours among the shared tokens, in this checkpoint and (aligned or not, cosine is the same) in the other. */
export async function comparisonNeighbors(
  opened: OpenedCheckpoint,
  against: string,
  k: number,
  row: number,
  count: number,
): Promise<NeighborPair> {
  if (!opened.results.has(key(against, k))) {
    throw new CheckpointError(
      'not-found',
      `${opened.checkpoint.path}: no comparison with ${against} is open; compare the checkpoints first`,
    );
  }
  const { comparison, sharedOf } = await opened.results.get<KeptComparison>(key(against, k), () =>
    Promise.reject(new Error('unreachable')),
  );
  const shared = sharedOf[row] ?? -1;
  if (shared < 0) return { row, here: [], there: [] };
  const { cols } = comparison;
  const lists = effectiveK(count, comparison.sharedRows);
  const toRows = (hits: { row: number; score: number }[]): { row: number; score: number }[] =>
    hits.map((hit) => ({ row: comparison.shared.rowsA[hit.row] as number, score: hit.score }));
  const near = (data: Float32Array) =>
    toRows(exactNeighbors(data, cols, data.subarray(shared * cols, (shared + 1) * cols), lists, 'cosine', shared));
  return { row, here: near(comparison.a), there: near(comparison.b) };
}

function countsOf(opened: OpenedCheckpoint, rows: number): ArrayBuffer | null {
  const counts = opened.checkpoint.vocab.counts;
  return counts ? (Float64Array.from({ length: rows }, (_, row) => counts[row] ?? Number.NaN).buffer as ArrayBuffer) : null;
}
