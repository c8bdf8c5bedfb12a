import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import type { AllPairsOptions, KnnGraph, TopKRequest } from '../core/analysis/knn';
import { topK } from '../core/analysis/knn';
import { CheckpointError } from '../core/errors';
import type { KnnTaskMessage, KnnWorkerReply } from './knn-pool-messages';
import { failureError } from './worker-failure';
import { defaultWorkerScript, startWorker } from './worker-script';

/** How the parallel search runs. */
export interface ParallelOptions {
  /** Worker threads; default: the machine's available parallelism. 1 runs on the calling thread. */
  readonly threads?: number;
  /**
   * The worker script. Default: knn-worker.js beside the running bundle (dist/, built by scripts/build.mjs), else
   * src/node/knn-worker.ts when running from source through tsx.
   */
  readonly workerScript?: string | URL;
  /** Fewest query × row scores worth the workers' start-up; default PARALLEL_MIN_SCORES (tests lower it). */
  readonly minScores?: number;
}

/**
 * Below this many query × row scores one thread answers alone: starting the workers and packing the data once per
 * worker cost 0.1–0.3 s, more than a second thread saves under ~10k × 10k rows (measured: 5k × 5k ran in 0.25 s on
 * one thread and 0.6–1.2 s on two; 20k × 20k in 2.4 s and 1.5 s).
 */
const PARALLEL_MIN_SCORES = 100_000_000;

/**
 * `topK` with the queries split across worker threads over shared memory, each worker with its own `KnnIndex`. Same
 * results as `topK`; falls back to it for small requests or one thread. Node only (worker_threads).
 */
export async function topKParallel(request: TopKRequest, options: ParallelOptions = {}): Promise<KnnGraph> {
  const { data, cols, queries, k } = request;
  const count = Math.floor(queries.length / cols);
  const rows = Math.floor(data.length / cols);
  const threads = Math.max(1, Math.min(options.threads ?? availableParallelism(), Math.ceil(count / 256)));
  if (threads === 1 || count * rows < (options.minScores ?? PARALLEL_MIN_SCORES) || k <= 0) return topK(request);

  const sharedData = toShared(data.subarray(0, rows * cols));
  const sameAsData = queries.buffer === data.buffer && queries.byteOffset === data.byteOffset && count <= rows;
  const sharedQueries = sameAsData ? sharedData : toShared(queries.subarray(0, count * cols));
  const exclude = request.exclude ? toShared(request.exclude.subarray(0, count)) : null;
  const indices = new SharedArrayBuffer(count * k * 4);
  const scores = new SharedArrayBuffer(count * k * 4);
  const script = options.workerScript ?? defaultWorkerScript('knn-worker');
  const shares = new Float64Array(threads);
  const workers: Worker[] = [];
  const onAbort = (): void => workers.forEach((worker) => worker.postMessage({ type: 'cancel' }));
  request.signal?.addEventListener('abort', onAbort);
  try {
    if (request.signal?.aborted) throw new CheckpointError('cancelled', 'nearest neighbours: cancelled');
    await Promise.all(
      Array.from({ length: threads }, (_, t) => {
        const from = Math.floor((t * count) / threads);
        const to = Math.floor(((t + 1) * count) / threads);
        const worker = startWorker(script);
        workers.push(worker);
        const task: KnnTaskMessage = {
          type: 'task',
          data: sharedData.buffer as SharedArrayBuffer,
          cols,
          queries: sharedQueries.buffer as SharedArrayBuffer,
          from,
          to,
          exclude: exclude ? (exclude.buffer as SharedArrayBuffer) : null,
          k,
          metric: request.metric,
          indices,
          scores,
        };
        return new Promise<void>((resolve, reject) => {
          worker.on('message', (reply: KnnWorkerReply) => {
            if (reply.type === 'progress') {
              shares[t] = (reply.fraction * (to - from)) / count;
              request.onProgress?.(shares.reduce((sum, share) => sum + share, 0));
            } else if (reply.type === 'done') resolve();
            else reject(failureError(reply));
          });
          worker.on('error', reject);
          worker.on('exit', (code) => reject(new Error(`kNN worker exited with code ${code}`)));
          worker.postMessage(task);
        });
      }),
    );
  } finally {
    request.signal?.removeEventListener('abort', onAbort);
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
  return { queries: count, k, indices: new Int32Array(indices), scores: new Float32Array(scores) };
}

/** `allPairsKnn` on worker threads: each row's k nearest other rows (cosine unless `metric` says otherwise). */
export function allPairsKnnParallel(
  data: Float32Array,
  cols: number,
  k: number,
  options: AllPairsOptions & ParallelOptions = {},
): Promise<KnnGraph> {
  const rows = Math.floor(data.length / cols);
  return topKParallel(
    {
      data,
      cols,
      queries: data.subarray(0, rows * cols),
      exclude: Int32Array.from({ length: rows }, (_, i) => i),
      k,
      metric: options.metric ?? 'cosine',
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    },
    options,
  );
}

/** The values of `array` in shared memory (the same view when they already are). */
function toShared<T extends Float32Array | Int32Array>(array: T): T {
  if (array.buffer instanceof SharedArrayBuffer) return array;
  const shared = new (array.constructor as new (buffer: SharedArrayBuffer) => T)(new SharedArrayBuffer(array.byteLength));
  shared.set(array);
  return shared;
}
