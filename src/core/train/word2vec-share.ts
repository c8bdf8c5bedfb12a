import type { Word2vecKernel } from './word2vec-kernel';
import { CTX, type Word2vecPlan } from './word2vec-layout';

/**
 * Corpus ids per kernel call: the learning rate is updated between calls, as gensim does per 10,000-word job and
 * word2vec.c every 10,000 words; also the grain of progress and of yielding to the event loop (~10–30 ms).
 */
export const CHUNK_IDS = 10_000;

/** word2vec's linear decay: alpha at progress 0, minAlpha at 1 (and never below it). */
export function learningRateAt(progress: number, alpha: number, minAlpha: number): number {
  return Math.max(minAlpha, alpha - (alpha - minAlpha) * progress);
}

/**
 * Runs one thread's share of every epoch, one kernel call per chunk of about CHUNK_IDS ids, yielding after each chunk
 * (a worker thread just drains it; the calling thread yields to its event loop now and then). The learning rate
 * follows the share's own progress over all epochs; ids done go to the context block after each chunk and the
 * cumulative loss to the plan's epoch table after each epoch.
 */
export function* runShare(
  kernel: Word2vecKernel,
  buffer: ArrayBufferLike,
  plan: Word2vecPlan,
  thread: number,
): Generator<void, void, void> {
  const ctx = plan.ctx[thread];
  const share = plan.shares[thread];
  if (ctx === undefined || share === undefined)
    throw new RangeError(`word2vec: expected a thread below ${plan.ctx.length}, found ${thread}`);
  const i32 = new Int32Array(buffer);
  const f64 = new Float64Array(buffer);
  const ends = plan.ends >> 2;
  const total = share.ids * plan.epochs;
  let done = 0;
  for (let epoch = 0; epoch < plan.epochs; epoch++) {
    let from = share.from;
    let idsFrom = from > 0 ? (i32[ends + from - 1] ?? 0) : 0;
    while (from < share.to) {
      let to = from + 1;
      while (to < share.to && (i32[ends + to - 1] ?? 0) - idsFrom < CHUNK_IDS) to++;
      const idsTo = i32[ends + to - 1] ?? 0;
      const kept = kernel.train(ctx, from, to, learningRateAt(total > 0 ? done / total : 0, plan.alpha, plan.minAlpha));
      done += idsTo - idsFrom;
      f64[(ctx + CTX.idsDone) >> 3] = done;
      f64[(ctx + CTX.keptDone) >> 3] = (f64[(ctx + CTX.keptDone) >> 3] ?? 0) + kept;
      from = to;
      idsFrom = idsTo;
      yield;
    }
    const slot = (plan.epochLosses >> 3) + (thread * plan.epochs + epoch) * 2;
    f64[slot] = f64[(ctx + CTX.lossSum) >> 3] ?? 0;
    f64[slot + 1] = f64[(ctx + CTX.lossSteps) >> 3] ?? 0;
  }
}

/** What all threads have done so far, read from their context blocks. */
export interface ShareTotals {
  /** Corpus ids gone through, all threads and epochs. */
  readonly ids: number;
  /** Words kept by subsampling among them. */
  readonly kept: number;
  readonly lossSum: number;
  readonly lossSteps: number;
}

/** Sums the threads' counters (racy reads of other threads' float64s: good enough for progress). */
export function shareTotals(buffer: ArrayBufferLike, plan: Word2vecPlan): ShareTotals {
  const f64 = new Float64Array(buffer);
  let ids = 0;
  let kept = 0;
  let lossSum = 0;
  let lossSteps = 0;
  for (const ctx of plan.ctx) {
    ids += f64[(ctx + CTX.idsDone) >> 3] ?? 0;
    kept += f64[(ctx + CTX.keptDone) >> 3] ?? 0;
    lossSum += f64[(ctx + CTX.lossSum) >> 3] ?? 0;
    lossSteps += f64[(ctx + CTX.lossSteps) >> 3] ?? 0;
  }
  return { ids, kept, lossSum, lossSteps };
}

/** Mean loss per step of each epoch, all threads together (NaN for an epoch without steps). */
export function epochLosses(buffer: ArrayBufferLike, plan: Word2vecPlan): number[] {
  const f64 = new Float64Array(buffer);
  return Array.from({ length: plan.epochs }, (_, epoch) => {
    let sum = 0;
    let steps = 0;
    plan.ctx.forEach((_ctx, thread) => {
      const slot = (plan.epochLosses >> 3) + (thread * plan.epochs + epoch) * 2;
      sum += (f64[slot] ?? 0) - (epoch > 0 ? (f64[slot - 2] ?? 0) : 0);
      steps += (f64[slot + 1] ?? 0) - (epoch > 0 ? (f64[slot - 1] ?? 0) : 0);
    });
    return steps > 0 ? sum / steps : Number.NaN;
  });
}
