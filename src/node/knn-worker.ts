// A kNN pool worker (see knn-pool.ts): answers its share of an exact top-k on the shared matrices, with its own
// KnnIndex (each worker packs its own copy of the data for the wasm kernels).
import { parentPort } from 'node:worker_threads';
import { KnnIndex } from '../core/analysis/knn-index';
import type { KnnCancelMessage, KnnTaskMessage, KnnWorkerReply } from './knn-pool-messages';
import { failureReply } from './worker-failure';

if (!parentPort) throw new Error('knn-worker must run as a worker thread');
const port = parentPort;
let running: AbortController | undefined;

const reply = (message: KnnWorkerReply): void => port.postMessage(message);

port.on('message', (message: KnnTaskMessage | KnnCancelMessage) => {
  if (message.type === 'cancel') {
    running?.abort();
    return;
  }
  const abort = new AbortController();
  running = abort;
  run(message, abort.signal)
    .then((engine) => reply({ type: 'done', engine }))
    .catch((error: unknown) => reply(failureReply(error)))
    .finally(() => {
      if (running === abort) running = undefined;
    });
});

async function run(task: KnnTaskMessage, signal: AbortSignal): Promise<string> {
  const { cols, from, to, k } = task;
  const index = new KnnIndex(new Float32Array(task.data), cols);
  const queries = new Float32Array(task.queries).subarray(from * cols, to * cols);
  const exclude = task.exclude ? new Int32Array(task.exclude).subarray(from, to) : undefined;
  const graph = await index.search(queries, k, task.metric, {
    ...(exclude ? { exclude } : {}),
    signal,
    onProgress: (fraction) => reply({ type: 'progress', fraction }),
  });
  new Int32Array(task.indices).set(graph.indices, from * k);
  new Float32Array(task.scores).set(graph.scores, from * k);
  return index.engine;
}
