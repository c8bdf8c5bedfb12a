import {
  runProjection,
  type ProjectionHooks,
  type ProjectionOutput,
  type ProjectionSource,
  type ResultCache,
} from '../core/analysis/projection';
import type { ProjectionRequest } from '../core/analysis/projection-types';
import type { Projection } from '../protocol/analysis';
import type { OpenedCheckpoint } from './open-checkpoints';

/** The matrices and vocabulary a projection reads, loaded once per checkpoint. */
export async function projectionSource(opened: OpenedCheckpoint, signal?: AbortSignal): Promise<ProjectionSource> {
  const { checkpoint } = opened;
  const input = await opened.input(signal);
  const output = await opened.output(signal);
  const named = (m: { matrix: { name: string; rows: number; cols: number }; data: Float32Array }) => ({
    name: m.matrix.name,
    data: m.data,
    rows: m.matrix.rows,
    cols: m.matrix.cols,
  });
  return {
    path: checkpoint.path,
    tokens: checkpoint.vocab.tokens,
    counts: checkpoint.vocab.counts,
    input: named(input),
    output: output ? named(output) : null,
  };
}

/**
 * A projection of an opened checkpoint, computed once per distinct request and kept with the checkpoint, so a
 * re-shown panel gets its layout back at once. Later requests for the same layout see no steps, only the result.
 */
export function projectionOf(opened: OpenedCheckpoint, request: ProjectionRequest, hooks: ProjectionHooks): Promise<ProjectionOutput> {
  const cache: ResultCache = (key, compute) => opened.results.get(key, compute);
  return cache(`projection ${JSON.stringify(request)}`, async () =>
    runProjection(await projectionSource(opened, hooks.signal), request, hooks, cache),
  );
}

/** A projection as exact-size buffers (copies: the memo keeps the originals). */
export function projectionMessage(output: ProjectionOutput): Projection {
  return { coords: output.coords.slice().buffer as ArrayBuffer, rows: output.rows.slice().buffer as ArrayBuffer, facts: output.facts };
}
