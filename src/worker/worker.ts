import { parentPort } from 'node:worker_threads';
import { describeCheckpoint } from '../core/summary';
import { neighborsOfToken } from '../core/token-neighbors';
import { portTransport } from '../node/worker-transport';
import { Endpoint } from '../protocol/endpoint';
import { checkpointViewBuffers, projectionBuffers, uvBuffers, viewBuffers } from '../protocol/transfers';
import type { HostSide, WorkerSide } from '../protocol/worker';
import { checkpointViewOf, comparisonNeighbors } from './checkpoint-job';
import { exportProjector } from './export-job';
import { OpenCheckpoints } from './open-checkpoints';
import { projectionMessage, projectionOf } from './projection-job';
import { trainJob } from './train-job';
import { uvViewCopy, uvViewOf } from './uv-job';
import { openView, rowNeighbors } from './view';

// The one long-lived compute worker: checkpoints are opened, matrices scanned and projected here, off the host's thread.
if (!parentPort) throw new Error('worker.js must run as a worker thread');
const rpc = new Endpoint<WorkerSide, HostSide>(portTransport(parentPort));
const open = new OpenCheckpoints();
/** Running jobs by id, so `job/cancel` can abort them. */
const jobs = new Map<number, AbortController>();

rpc.handle('worker/info', () => ({ backend: 'JavaScript float32 (worker_threads)', node: process.version }));
rpc.handle('checkpoint/inspect', async ({ path, format }) => describeCheckpoint((await open.get(path, format)).checkpoint));
rpc.handle('checkpoint/neighbors', async ({ path, token, k, matrix, metric }) =>
  neighborsOfToken((await open.get(path)).checkpoint, token, k, matrix, metric),
);
rpc.handle(
  'view/open',
  ({ jobId, path, format }) => {
    const started = performance.now();
    return job(jobId, async (signal) => {
      open.forget(path); // the panel opens (or reloads) from disk: the file may have changed
      const opened = await open.get(path, format);
      return openView(opened, signal, progressOf(jobId), started);
    });
  },
  viewBuffers,
);
rpc.handle('view/neighbors', async ({ path, row, k }) => rowNeighbors(await open.get(path), row, k));
rpc.handle(
  'view/project',
  ({ jobId, path, request }) =>
    job(jobId, async (signal) => {
      let sentRows = false;
      const output = await projectionOf(await open.get(path), request, {
        signal,
        onProgress: progressOf(jobId),
        onStep: (epoch, epochs, coords, rows) => {
          const copy = coords.slice().buffer as ArrayBuffer;
          const rowsCopy = sentRows ? undefined : (rows.slice().buffer as ArrayBuffer);
          sentRows = true;
          rpc.emit(
            'job/step',
            { jobId, epoch, epochs, coords: copy, ...(rowsCopy ? { rows: rowsCopy } : {}) },
            rowsCopy ? [copy, rowsCopy] : [copy],
          );
        },
      });
      return projectionMessage(output);
    }),
  projectionBuffers,
);
rpc.handle(
  'view/compare-uv',
  ({ jobId, path, k }) => job(jobId, async (signal) => uvViewCopy(await uvViewOf(await open.get(path), k, signal, progressOf(jobId)))),
  uvBuffers,
);
rpc.handle(
  'view/compare-checkpoints',
  ({ jobId, path, against, k }) =>
    job(jobId, async (signal) => checkpointViewOf(await open.get(path), against, k, open, signal, progressOf(jobId))),
  checkpointViewBuffers,
);
rpc.handle('view/compare-neighbors', async ({ path, against, k, row }) => comparisonNeighbors(await open.get(path), against, k, row, k));
rpc.handle('export/projector', ({ jobId, path, request }) =>
  job(jobId, async (signal) => exportProjector(await open.get(path), request, signal, progressOf(jobId))),
);
rpc.handle('train/run', ({ jobId, request }) =>
  job(jobId, (signal) =>
    trainJob(request, {
      signal,
      onProgress: (progress) => rpc.emit('train/progress', { jobId, ...progress }),
      onPhase: progressOf(jobId),
    }),
  ),
);
rpc.handle('job/cancel', ({ jobId }) => jobs.get(jobId)?.abort());

/** Reports a job's progress to the host. */
function progressOf(jobId: number): (message: string, fraction?: number) => void {
  return (message, fraction) => rpc.emit('job/progress', fraction === undefined ? { jobId, message } : { jobId, message, fraction });
}

/** Runs a cancellable job under its id. */
async function job<T>(jobId: number, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const abort = new AbortController();
  jobs.set(jobId, abort);
  try {
    return await run(abort.signal);
  } finally {
    jobs.delete(jobId);
  }
}
