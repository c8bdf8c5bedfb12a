import { parentPort } from 'node:worker_threads';
import type { Checkpoint } from '../core/checkpoint';
import { openCheckpoint } from '../core/open';
import { describeCheckpoint } from '../core/summary';
import { neighborsOfToken } from '../core/token-neighbors';
import { nodeFiles } from '../node/node-files';
import { portTransport } from '../node/worker-transport';
import { Endpoint } from '../protocol/endpoint';
import type { HostSide, WorkerSide } from '../protocol/worker';

// The one long-lived compute worker: checkpoints are opened and matrices scanned here, off the host's thread.
if (!parentPort) throw new Error('worker.js must run as a worker thread');
const rpc = new Endpoint<WorkerSide, HostSide>(portTransport(parentPort));

/** The last checkpoint opened, kept so successive queries on one file do not re-read it. */
let current: { key: string; checkpoint: Promise<Checkpoint> } | undefined;

function checkpointAt(path: string, format?: string): Promise<Checkpoint> {
  const key = `${format ?? ''}\u0000${path}`;
  if (current?.key !== key) {
    const previous = current;
    current = { key, checkpoint: openCheckpoint(path, nodeFiles, format === undefined ? {} : { format }) };
    // A failed open must not stick: the next request retries (the user may have fixed the file).
    current.checkpoint.catch(() => {
      if (current?.key === key) current = undefined;
    });
    void previous?.checkpoint.then((checkpoint) => checkpoint.close()).catch(() => undefined);
  }
  return current.checkpoint;
}

rpc.handle('checkpoint/inspect', async ({ path, format }) => describeCheckpoint(await checkpointAt(path, format)));
rpc.handle('checkpoint/neighbors', async ({ path, token, k, matrix, metric }) =>
  neighborsOfToken(await checkpointAt(path), token, k, matrix, metric),
);
