import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { CheckpointError } from '../core/errors';
import type { Cooccurrences } from '../core/train/cooccurrence';
import type { EncodedCorpus } from '../core/train/corpus';
import type { GloveOptions } from '../core/train/glove';
import { finishGlove, gloveRates, gloveSettings, prepareGlove, trainGlove } from '../core/train/glove';
import { BATCH_ENTRIES } from '../core/train/glove-params';
import type { TrainedEmbeddings, TrainHooks } from '../core/train/train-types';
import type { GloveStartMessage, GloveWorkerReply } from './glove-pool-messages';
import { failureError } from './worker-failure';
import { defaultWorkerScript, startWorker } from './worker-script';

/** How the parallel trainer runs. */
export interface GlovePoolOptions {
  /** Worker threads; default: the machine's available parallelism. 1 trains on the calling thread (reproducibly). */
  readonly threads?: number;
  /**
   * The worker script. Default: glove-worker.js beside the running bundle (dist/, built by scripts/build.mjs), else
   * src/node/glove-worker.ts when running from source through tsx.
   */
  readonly workerScript?: string | URL;
}

/** How often the pool reads the workers' progress counters (ms). */
const POLL_EVERY_MS = 100;

/**
 * `trainGlove` on worker threads, Hogwild: the parameters live in one shared memory, each worker trains its own
 * slice of the (shuffled) entries every epoch without locks. Counting runs on the calling thread first. With several
 * threads the result depends on timing (as glove.c's pthreads); one thread gives trainGlove's exact result.
 */
export async function trainGloveParallel(
  corpus: EncodedCorpus,
  options: GloveOptions & GlovePoolOptions,
  hooks: TrainHooks = {},
  cooccurrences?: Cooccurrences,
): Promise<TrainedEmbeddings> {
  const requested = Math.max(1, Math.floor(options.threads ?? availableParallelism()));
  if (requested === 1) return trainGlove(corpus, options, hooks, cooccurrences);
  const settings = gloveSettings(options);
  const run = await prepareGlove(corpus, settings, requested, hooks, cooccurrences);
  const { entries, memory, layout, reporter } = run;
  // A worker gets at least one batch.
  const threads = Math.max(1, Math.min(requested, Math.floor(entries.count / BATCH_ENTRIES)));
  const control = new SharedArrayBuffer(4);
  const progress = new SharedArrayBuffer(threads * 16);
  const counters = new Float64Array(progress);
  const script = options.workerScript ?? defaultWorkerScript('glove-worker');
  const workers: Worker[] = [];
  const onAbort = (): void => void Atomics.store(new Int32Array(control), 0, 1);
  hooks.signal?.addEventListener('abort', onAbort);
  const lossPerEpoch: number[] = [];
  const started = performance.now();
  let poll: ReturnType<typeof setInterval> | undefined;
  try {
    if (hooks.signal?.aborted) throw new CheckpointError('cancelled', 'GloVe training: cancelled');
    const replies = Array.from({ length: threads }, (_, thread) => {
      const worker = startWorker(script);
      workers.push(worker);
      const start: GloveStartMessage = {
        type: 'start',
        engine: memory.engine,
        memory: memory.handle as GloveStartMessage['memory'],
        layout,
        records: entries.records.buffer as SharedArrayBuffer,
        count: entries.count,
        thread,
        from: Math.floor((thread * entries.count) / threads),
        to: Math.floor(((thread + 1) * entries.count) / threads),
        seed: settings.seed,
        rates: gloveRates(settings),
        control,
        progress,
      };
      worker.postMessage(start);
      return new ReplyQueue(worker);
    });
    for (let epoch = 1; epoch <= settings.epochs; epoch++) {
      counters.fill(0);
      let reported = { done: 0, cost: 0 };
      poll = setInterval(() => {
        const now = totals(counters);
        reporter.training(epoch, now.done / entries.count, now.cost - reported.cost, now.done - reported.done);
        reported = now;
      }, POLL_EVERY_MS);
      workers.forEach((worker) => worker.postMessage({ type: 'epoch', epoch }));
      const costs = await Promise.all(replies.map((queue) => queue.next()));
      clearInterval(poll);
      const epochCost = costs.reduce((sum, cost) => sum + cost, 0);
      reporter.training(epoch, 1, epochCost - reported.cost, entries.count - reported.done, true);
      lossPerEpoch.push(epochCost / entries.count);
    }
  } finally {
    if (poll) clearInterval(poll);
    hooks.signal?.removeEventListener('abort', onAbort);
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
  return finishGlove(run, lossPerEpoch, (performance.now() - started) / 1000, memory.engine);
}

/** Records done and cost summed this epoch over all workers. */
function totals(counters: Float64Array): { done: number; cost: number } {
  let done = 0;
  let cost = 0;
  for (let t = 0; t < counters.length; t += 2) {
    done += counters[t] as number;
    cost += counters[t + 1] as number;
  }
  return { done, cost };
}

/** A worker's epoch results in order: `next()` settles with the next epoch's cost, or rejects when the worker fails. */
class ReplyQueue {
  private waiting: { resolve: (cost: number) => void; reject: (error: Error) => void } | undefined;
  private failure: Error | undefined;
  private readonly ready: number[] = [];

  constructor(worker: Worker) {
    worker.on('message', (reply: GloveWorkerReply) => {
      if (reply.type === 'epoch-done') this.settle(reply.cost);
      else this.fail(failureError(reply));
    });
    worker.on('error', (error) => this.fail(error));
    worker.on('exit', (code) => this.fail(new Error(`GloVe worker exited with code ${code}`)));
  }

  next(): Promise<number> {
    const cost = this.ready.shift();
    if (cost !== undefined) return Promise.resolve(cost);
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => (this.waiting = { resolve, reject }));
  }

  private settle(cost: number): void {
    const waiting = this.waiting;
    this.waiting = undefined;
    if (waiting) waiting.resolve(cost);
    else this.ready.push(cost);
  }

  private fail(error: Error): void {
    this.failure ??= error;
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.reject(this.failure);
  }
}
