import { CheckpointError, throwIfAborted } from '../errors';
import { MAX_SENTENCE_TOKENS, type EncodedCorpus } from './corpus';
import { NEGATIVE_POWER } from './negative-table';
import type { TrainedEmbeddings, TrainHooks } from './train-types';
import {
  bestWord2vecEngine,
  createWord2vecMemory,
  kernelFor,
  memoryBuffer,
  type Word2vecEngine,
  type Word2vecMemory,
} from './word2vec-kernel';
import {
  fillWord2vecMemory,
  planWord2vec,
  readMatrix,
  type Word2vecMode,
  type Word2vecPlan,
  type Word2vecSettings,
} from './word2vec-layout';
import { epochLosses, learningRateAt, runShare, shareTotals } from './word2vec-share';

/** Skip-gram or CBOW with negative sampling; every field has word2vec's (gensim's) default. */
export interface Word2vecOptions {
  /** 'sg' (default) or 'cbow'. */
  readonly mode?: Word2vecMode;
  /** Vector size; default 100. */
  readonly dim?: number;
  /** Largest distance to a context word (each centre word draws a smaller one, 1..window); default 5. */
  readonly window?: number;
  /** Negatives per positive, drawn from the unigram distribution to the power `negativePower`; default 5. */
  readonly negative?: number;
  /**
   * Exponent on the unigram counts of the distribution negatives are drawn from (gensim's ns_exponent), in [-1, 1]:
   * 1 samples words as often as they occur, 0 uniformly. Default 0.75, word2vec.c's and gensim's; fastText's is 0.5
   * (fixed in its source), which on our benchmark lifts CBOW's SimLex-999 ρ by about 0.03 (bench/RESULTS.md).
   */
  readonly negativePower?: number;
  /** Default 5. */
  readonly epochs?: number;
  /** Subsampling of frequent words (gensim's formula; 0 turns it off); default 1e-3. */
  readonly sample?: number;
  /** Starting learning rate; default 0.025 for sg, 0.05 for cbow. Decays linearly to minAlpha over all epochs. */
  readonly alpha?: number;
  /** Default 0.0001. */
  readonly minAlpha?: number;
  /** One matrix for input and output (U plays V's part too); default false. */
  readonly tied?: boolean;
  /** Default 1. With one thread the result is bit-for-bit the same for a seed, whichever engine runs. */
  readonly seed?: number;
  /** Hogwild threads sharing U and V; default 1. The core runs them interleaved on the calling thread. */
  readonly threads?: number;
  /** 'auto' (default): WebAssembly SIMD where it runs, else plain JavaScript. */
  readonly engine?: 'auto' | Word2vecEngine;
}

/** A prepared training: its memory and where everything is in it. */
export interface Word2vecJob {
  readonly memory: Word2vecMemory;
  readonly plan: Word2vecPlan;
}

/** What a runner is given besides the job: the caller's signal and a tick to call at least every REPORT_EVERY_MS. */
export interface RunnerControl {
  readonly signal?: AbortSignal;
  tick(): void;
}

/**
 * Runs every thread's share (runShare) of all epochs over the job's memory, then resolves; rejects with a
 * 'cancelled' CheckpointError on abort. The core's runs them on the calling thread; src/node's on worker threads.
 */
export type Word2vecRunner = (job: Word2vecJob, control: RunnerControl) => Promise<void>;

/** Progress is reported this often (ms) while training: well within the once-a-second promise. */
export const REPORT_EVERY_MS = 250;
/** Longest stretch without yielding to the event loop on the calling thread (ms), so a cancel lands promptly. */
const YIELD_EVERY_MS = 40;

/** Options with defaults applied and checked; throws an 'unsupported' CheckpointError naming the bad one. */
export function word2vecSettings(options: Word2vecOptions): Word2vecSettings {
  const mode = options.mode ?? 'sg';
  const settings: Word2vecSettings = {
    mode,
    dim: options.dim ?? 100,
    window: options.window ?? 5,
    negative: options.negative ?? 5,
    epochs: options.epochs ?? 5,
    sample: options.sample ?? 1e-3,
    alpha: options.alpha ?? (mode === 'cbow' ? 0.05 : 0.025),
    minAlpha: options.minAlpha ?? 0.0001,
    tied: options.tied ?? false,
    seed: options.seed ?? 1,
    threads: options.threads ?? 1,
    negativePower: options.negativePower ?? NEGATIVE_POWER,
  };
  const integer = (name: keyof Word2vecSettings, low: number, high: number): void => {
    const value = settings[name];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < low || value > high) {
      throw new CheckpointError(
        'unsupported',
        `word2vec: expected ${name} to be an integer from ${low} to ${high}, found ${String(value)}`,
      );
    }
  };
  if (mode !== 'sg' && mode !== 'cbow')
    throw new CheckpointError('unsupported', `word2vec: expected mode 'sg' or 'cbow', found '${String(mode)}'`);
  // Bounds: sizes the scratch buffers and the context block's int32 fields can hold, far past any sensible value.
  integer('dim', 1, 10_000);
  integer('window', 1, 1000);
  integer('negative', 1, 1000);
  integer('epochs', 1, 100_000);
  integer('threads', 1, 256);
  integer('seed', -(2 ** 31), 2 ** 32 - 1);
  const rate = (name: 'sample' | 'alpha' | 'minAlpha' | 'negativePower', ok: (value: number) => boolean, expected: string): void => {
    if (!Number.isFinite(settings[name]) || !ok(settings[name])) {
      throw new CheckpointError('unsupported', `word2vec: expected ${name} ${expected}, found ${settings[name]}`);
    }
  };
  rate('sample', (value) => value >= 0 && value < 1, 'in [0, 1)');
  rate('alpha', (value) => value > 0, 'above 0');
  rate('minAlpha', (value) => value >= 0 && value <= settings.alpha, `in [0, alpha = ${settings.alpha}]`);
  rate('negativePower', (value) => value >= -1 && value <= 1, 'in [-1, 1]');
  return settings;
}

/** Lays out and fills the training memory for a corpus (the engine's, or plain JS where wasm cannot have it). */
export function prepareWord2vec(corpus: EncodedCorpus, settings: Word2vecSettings, engine: 'auto' | Word2vecEngine = 'auto'): Word2vecJob {
  if (corpus.vocab.tokens.length === 0 || corpus.ids.length === 0) {
    throw new CheckpointError('empty', 'word2vec: expected a corpus with words in its vocabulary, found none');
  }
  checkCorpus(corpus);
  const plan = planWord2vec(corpus, settings);
  const wanted = engine === 'auto' ? bestWord2vecEngine() : engine;
  // Pointers in the context blocks are 32-bit: past 4 GiB neither engine can address the memory.
  const memory = plan.bytes <= 2 ** 32 ? (createWord2vecMemory(plan.bytes, wanted) ?? createWord2vecMemory(plan.bytes, 'js')) : null;
  if (!memory) {
    throw new CheckpointError(
      'too-large',
      `word2vec: expected a model and corpus within 4 GiB, found ${(plan.bytes / 2 ** 30).toFixed(1)} GiB`,
    );
  }
  fillWord2vecMemory(memoryBuffer(memory), plan, corpus, settings);
  return { memory, plan };
}

/** The kernels trust the corpus: ids must be vocabulary rows and sentences must fit their MAX_SENTENCE_TOKENS buffer. */
function checkCorpus(corpus: EncodedCorpus): void {
  const rows = corpus.vocab.tokens.length;
  const { ids, sentenceEnds } = corpus;
  let start = 0;
  for (const end of sentenceEnds) {
    if (end < start || end - start > MAX_SENTENCE_TOKENS || end > ids.length) {
      throw new CheckpointError(
        'bad-header',
        `word2vec: expected sentences of 1 to ${MAX_SENTENCE_TOKENS} ids in order, found one from ${start} to ${end}`,
      );
    }
    start = end;
  }
  for (const id of ids) {
    if (id < 0 || id >= rows)
      throw new CheckpointError('bad-header', `word2vec: expected ids below the vocabulary's ${rows} rows, found ${id}`);
  }
}

/**
 * Trains skip-gram or CBOW with negative sampling on an encoded corpus, as word2vec.c and gensim do (see
 * word2vec-kernels.wat for the update), reporting progress every REPORT_EVERY_MS through `hooks` and stopping with
 * a 'cancelled' CheckpointError when its signal fires. `runner` decides where the threads run (default: here).
 */
export async function trainWord2vec(
  corpus: EncodedCorpus,
  options: Word2vecOptions,
  hooks: TrainHooks = {},
  runner: Word2vecRunner = runOnThisThread,
): Promise<TrainedEmbeddings> {
  const settings = word2vecSettings(options);
  throwIfAborted(hooks.signal, 'word2vec');
  const started = performance.now();
  const job = prepareWord2vec(corpus, settings, options.engine);
  const buffer = memoryBuffer(job.memory);
  const totalIds = corpus.ids.length * settings.epochs;
  let last = { time: started, sum: 0, steps: 0 };
  const report = (final: boolean): void => {
    const now = performance.now();
    if (!hooks.onProgress || (!final && now - last.time < REPORT_EVERY_MS)) return;
    const totals = shareTotals(buffer, job.plan);
    const fraction = final ? 1 : Math.min(1, totals.ids / totalIds);
    const steps = totals.lossSteps - last.steps;
    hooks.onProgress({
      fraction,
      epoch: Math.min(settings.epochs, Math.floor(fraction * settings.epochs) + 1),
      epochs: settings.epochs,
      loss: steps > 0 ? (totals.lossSum - last.sum) / steps : null,
      tokensPerSecond: (corpus.rawTokens * settings.epochs * fraction) / Math.max(1e-3, (now - started) / 1000),
      learningRate: learningRateAt(fraction, settings.alpha, settings.minAlpha),
    });
    last = { time: now, sum: totals.lossSum, steps: totals.lossSteps };
  };
  await runner(job, { ...(hooks.signal ? { signal: hooks.signal } : {}), tick: () => report(false) });
  report(true);
  const seconds = (performance.now() - started) / 1000;
  const lossPerEpoch = epochLosses(buffer, job.plan);
  const { plan } = job;
  return {
    vocab: corpus.vocab,
    input: { name: 'U', data: readMatrix(buffer, plan, 'u'), rows: plan.rows, cols: plan.dim },
    output: settings.tied ? null : { name: 'V', data: readMatrix(buffer, plan, 'v'), rows: plan.rows, cols: plan.dim },
    tied: settings.tied,
    extras: [],
    loss: lossPerEpoch[lossPerEpoch.length - 1] ?? null,
    lossPerEpoch,
    tokensProcessed: corpus.rawTokens * settings.epochs,
    metrics: {
      threads: settings.threads,
      wasm: job.memory.engine === 'wasm' ? 1 : 0,
      seconds,
      tokensPerSecond: (corpus.rawTokens * settings.epochs) / Math.max(1e-9, seconds),
      keptWordsPerEpoch: shareTotals(buffer, plan).kept / settings.epochs,
    },
  };
}

/** The default runner: every thread's share on the calling thread, chunks interleaved, yielding every YIELD_EVERY_MS. */
export async function runOnThisThread(job: Word2vecJob, control: RunnerControl): Promise<void> {
  const kernel = kernelFor(job.memory);
  const buffer = memoryBuffer(job.memory);
  const shares = job.plan.ctx.map((_ctx, thread) => runShare(kernel, buffer, job.plan, thread));
  let lastYield = performance.now();
  while (shares.length > 0) {
    for (let t = shares.length - 1; t >= 0; t--) if (shares[t]?.next().done) shares.splice(t, 1);
    if (performance.now() - lastYield >= YIELD_EVERY_MS) {
      control.tick();
      if (control.signal) await new Promise<void>((resolve) => setTimeout(resolve, 0));
      throwIfAborted(control.signal, 'word2vec');
      lastYield = performance.now();
    }
  }
}
