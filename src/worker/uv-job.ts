import { compareUV } from '../core/analysis/compare/compare-uv';
import { uvSummary } from '../core/analysis/compare/compare-report';
import { CheckpointError } from '../core/errors';
import type { UvView } from '../protocol/analysis';
import type { OpenedCheckpoint } from './open-checkpoints';

/**
 * The U-vs-V report of an opened checkpoint as the panel shows it, computed once per k and kept with the
 * checkpoint. A tied checkpoint without a stored V compares U with itself (the report then says what tying implies).
 */
export async function uvViewOf(
  opened: OpenedCheckpoint,
  k: number,
  signal: AbortSignal,
  progress: (message: string, fraction?: number) => void,
): Promise<UvView> {
  return opened.results.get(`uv ${k}`, async () => {
    const started = performance.now();
    const { checkpoint } = opened;
    const u = await opened.input(signal);
    const v = (await opened.output(signal)) ?? (checkpoint.tied ? u : null);
    if (!v) {
      const has = checkpoint.matrices.map((m) => `${m.name} (${m.role})`).join(', ');
      throw new CheckpointError('no-embedding', `${checkpoint.path}: U vs V needs an output matrix V beside U; the file has ${has}`);
    }
    if (v.matrix.rows !== u.matrix.rows || v.matrix.cols !== u.matrix.cols) {
      throw new CheckpointError(
        'unsupported',
        `${checkpoint.path}: U (${u.matrix.name}) is ${u.matrix.rows}×${u.matrix.cols} and V (${v.matrix.name}) is ${v.matrix.rows}×${v.matrix.cols}; U-vs-V metrics need one shape`,
      );
    }
    const report = await compareUV(u.data, v.data, u.matrix.rows, u.matrix.cols, {
      k,
      tied: checkpoint.tied,
      signal,
      onProgress: (fraction) => progress('Comparing U and V', fraction),
    });
    const counts = checkpoint.vocab.counts;
    return {
      summary: uvSummary(report),
      matrices: [u.matrix.name, v.matrix.name],
      cols: report.cols,
      medianSelfRank: report.medianSelfRank,
      cos: report.cos.slice().buffer as ArrayBuffer,
      jaccard: report.jaccard.slice().buffer as ArrayBuffer,
      selfRank: report.selfRank.slice().buffer as ArrayBuffer,
      counts: counts ? (Float64Array.from({ length: report.rows }, (_, row) => counts[row] ?? Number.NaN).buffer as ArrayBuffer) : null,
      singularValues: { u: [...report.singularValues.u], v: [...report.singularValues.v], sum: [...report.singularValues.sum] },
      effectiveRankSum: report.effectiveRank.sum,
      ms: Math.round(performance.now() - started),
    };
  });
}

/** A copy of a kept view whose buffers can be transferred (the kept one stays whole for the next request). */
export function uvViewCopy(view: UvView): UvView {
  return {
    ...view,
    cos: view.cos.slice(0),
    jaccard: view.jaccard.slice(0),
    selfRank: view.selfRank.slice(0),
    counts: view.counts ? view.counts.slice(0) : null,
  };
}
