import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { CheckpointError } from '../core/errors';
import type { EncodedCorpus } from '../core/train/corpus';
import type { TrainedEmbeddings, TrainHooks } from '../core/train/train-types';
import { REPORT_EVERY_MS, trainWord2vec, type Word2vecOptions, type Word2vecRunner } from '../core/train/word2vec';
import type { Word2vecTaskMessage, Word2vecWorkerReply } from './word2vec-pool-messages';
import { failureError } from './worker-failure';
import { defaultWorkerScript, startWorker } from './worker-script';

/** Where the worker threads come from. */
export interface Word2vecPoolOptions {
  /**
   * The worker script. Default: word2vec-worker.js beside the running bundle (dist/, built by scripts/build.mjs),
   * else src/node/word2vec-worker.ts when running from source through tsx.
   */
  readonly workerScript?: string | URL;
}

/**
 * `trainWord2vec` on `options.threads` worker threads (default: the machine's available parallelism) sharing U and V
 * in one shared memory, Hogwild as word2vec.c and gensim. One thread trains on the calling thread instead (and is
 * then bit-for-bit reproducible for a seed). A cancel terminates the workers at once. Node only (worker_threads).
 */
export function trainWord2vecOnThreads(
  corpus: EncodedCorpus,
  options: Word2vecOptions,
  hooks: TrainHooks = {},
  pool: Word2vecPoolOptions = {},
): Promise<TrainedEmbeddings> {
  const threads = options.threads ?? availableParallelism();
  if (threads <= 1) return trainWord2vec(corpus, { ...options, threads: 1 }, hooks);
  return trainWord2vec(corpus, { ...options, threads }, hooks, workerRunner(pool.workerScript ?? defaultWorkerScript('word2vec-worker')));
}

/** A runner that gives each thread's share to its own worker and ticks progress every REPORT_EVERY_MS meanwhile. */
function workerRunner(script: string | URL): Word2vecRunner {
  return async (job, control) => {
    const workers: Worker[] = [];
    let timer: ReturnType<typeof setInterval> | undefined;
    let onAbort = (): void => undefined;
    try {
      await new Promise<void>((resolve, reject) => {
        onAbort = (): void => reject(new CheckpointError('cancelled', 'word2vec: cancelled'));
        if (control.signal?.aborted) return onAbort();
        control.signal?.addEventListener('abort', onAbort);
        timer = setInterval(() => control.tick(), REPORT_EVERY_MS);
        let running = job.plan.ctx.length;
        job.plan.ctx.forEach((_ctx, thread) => {
          const worker = startWorker(script);
          workers.push(worker);
          let finished = false;
          worker.on('message', (reply: Word2vecWorkerReply) => {
            finished = true;
            if (reply.type === 'failed') reject(failureError(reply));
            else if (--running === 0) resolve();
          });
          worker.on('error', reject);
          worker.on('exit', (code) => {
            if (!finished) reject(new CheckpointError('internal', `word2vec: worker ${thread} exited with code ${code} before finishing`));
          });
          const task: Word2vecTaskMessage = { type: 'task', memory: job.memory, plan: job.plan, thread };
          worker.postMessage(task);
        });
      });
    } finally {
      clearInterval(timer);
      control.signal?.removeEventListener('abort', onAbort);
      // Not awaited: a cancel must not wait for the threads to wind down; terminate() stops them mid-kernel.
      for (const worker of workers) void worker.terminate();
    }
  };
}
