import { parentPort } from 'node:worker_threads';
import { describeCheckpoint } from '../core/summary';
import { neighborsOfToken } from '../core/token-neighbors';
import { portTransport } from '../node/worker-transport';
import { Endpoint } from '../protocol/endpoint';
import type { HostSide, WorkerSide } from '../protocol/worker';
import { OpenCheckpoints } from './open-checkpoints';
import { openView, rowNeighbors, viewBuffers } from './view';

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
  async ({ jobId, path, format }) => {
    const started = performance.now();
    const abort = new AbortController();
    jobs.set(jobId, abort);
    try {
      open.forget(path); // the panel opens (or reloads) from disk: the file may have changed
      const opened = await open.get(path, format);
      const view = await openView(
        opened,
        abort.signal,
        (message, fraction) => rpc.emit('job/progress', fraction === undefined ? { jobId, message } : { jobId, message, fraction }),
        started,
      );
      return view;
    } finally {
      jobs.delete(jobId);
    }
  },
  viewBuffers,
);
rpc.handle('view/neighbors', async ({ path, row, k }) => rowNeighbors(await open.get(path), row, k));
rpc.handle('job/cancel', ({ jobId }) => jobs.get(jobId)?.abort());
