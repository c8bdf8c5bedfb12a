import { Pacer } from '../analysis/pacer';
import { CheckpointError } from '../errors';
import type { Cooccurrences } from './cooccurrence';
import { countCooccurrences } from './cooccurrence';
import type { EncodedCorpus } from './corpus';
import type { GloveEntries } from './glove-entries';
import { EpochShare, gloveEntries, shareSeed } from './glove-entries';
import type { GloveEngine, GloveMemory, GloveRates } from './glove-kernel';
import { allocateGloveMemory, gloveKernel } from './glove-kernel';
import type { GloveLayout } from './glove-params';
import { batchAt, gloveLayout, gloveMatrices, initializeGlove } from './glove-params';
import type { TrainedEmbeddings, TrainHooks, TrainProgress } from './train-types';

/** GloVe's hyper-parameters (defaults are glove.c's). */
export interface GloveOptions {
  readonly dim: number;
  /** Context words on each side when counting co-occurrences (glove.c's demo uses 15, the paper 10); unused when counts are given. */
  readonly window: number;
  /** Passes over the co-occurrence entries (glove.c: 25). */
  readonly epochs: number;
  readonly seed: number;
  /** Cutoff of the weighting f(x) = min(1, (x / xMax)^alpha); default 100. */
  readonly xMax?: number;
  /** Exponent of the weighting; default 0.75. */
  readonly alpha?: number;
  /** AdaGrad's initial learning rate (eta) of the vectors; default 0.05. */
  readonly learningRate?: number;
  /**
   * AdaGrad's learning rate of the biases; default 1, as glove.c since 2019, whose bias step has no eta
   * (stanfordnlp/GloVe PR #209). Set it to learningRate for GloVe 1.0 and the paper; on the 17.8M-token corpus that
   * scored 0.02 lower on WordSim-353 (W + W̃, two seeds), as GloVe's maintainers also saw.
   */
  readonly biasLearningRate?: number;
  /** Vector gradient components are clipped to ±this (glove.c's grad_clip_value); default 100. */
  readonly gradientClip?: number;
  /** Each pair adds 1/distance (default) or 1. */
  readonly distanceWeighting?: boolean;
  /** Kernel: 'auto' (default) takes WebAssembly SIMD where it runs. */
  readonly engine?: 'auto' | GloveEngine;
  /** Pair buffer of one counting pass, bytes (see CooccurrenceOptions.bufferBytes). */
  readonly countBufferBytes?: number;
}

/** Options with every default filled in and checked. */
export type GloveSettings = Required<GloveOptions>;

/** The kernel's step sizes under `settings`. */
export function gloveRates(settings: GloveSettings): GloveRates {
  return { eta: settings.learningRate, biasEta: settings.biasLearningRate, clip: settings.gradientClip };
}

/** Share of the progress bar given to counting co-occurrences and building the entries (training takes the rest). */
const COUNT_SHARE = 0.05;

/** Of that, the share of building the shuffled entries (about a third of the time counting takes). */
const ENTRIES_SHARE = 0.015;

/** Progress reports during training at most this often (ms): well inside the ≤ 1 s the UI asks for. */
const REPORT_EVERY_MS = 250;

/** Checks `options` and fills in glove.c's defaults. */
export function gloveSettings(options: GloveOptions): GloveSettings {
  const settings: GloveSettings = {
    xMax: 100,
    alpha: 0.75,
    learningRate: 0.05,
    gradientClip: 100,
    distanceWeighting: true,
    engine: 'auto',
    countBufferBytes: 256 << 20,
    ...options,
    biasLearningRate: options.biasLearningRate ?? 1,
  };
  const check = (ok: boolean, what: string, found: unknown): void => {
    if (!ok) throw new CheckpointError('unsupported', `GloVe: expected ${what}, found ${String(found)}`);
  };
  check(Number.isInteger(settings.dim) && settings.dim >= 1 && settings.dim <= 4096, 'dim an integer in 1–4096', settings.dim);
  check(Number.isInteger(settings.epochs) && settings.epochs >= 1, 'epochs a positive integer', settings.epochs);
  check(settings.xMax > 0, 'xMax > 0', settings.xMax);
  check(settings.alpha >= 0, 'alpha ≥ 0', settings.alpha);
  check(settings.learningRate > 0, 'learningRate > 0', settings.learningRate);
  check(settings.biasLearningRate > 0, 'biasLearningRate > 0', settings.biasLearningRate);
  check(settings.gradientClip > 0, 'gradientClip > 0', settings.gradientClip);
  return settings;
}

/** Everything a GloVe run trains on: the entries, the parameters' memory and layout, and the figures so far. */
export interface GloveRun {
  readonly settings: GloveSettings;
  readonly corpus: EncodedCorpus;
  readonly entries: GloveEntries;
  readonly layout: GloveLayout;
  readonly memory: GloveMemory;
  readonly reporter: GloveReporter;
  /** Figures of the counting and of building the entries, for the manifest (the counts are dropped after that). */
  readonly countMetrics: Readonly<Record<string, number>>;
}

/**
 * Counts co-occurrences (unless given), builds the training entries and the parameters (initialised as glove.c
 * does) in memory that `threads` workers can share.
 */
export async function prepareGlove(
  corpus: EncodedCorpus,
  settings: GloveSettings,
  threads: number,
  hooks: TrainHooks,
  given?: Cooccurrences,
): Promise<GloveRun> {
  const reporter = new GloveReporter(hooks, settings.epochs, corpus.rawTokens, given ? ENTRIES_SHARE : COUNT_SHARE);
  // Counting, then building the shuffled entries: the first `share` of the progress, counting first.
  const countPart = given ? 0 : 1 - ENTRIES_SHARE / COUNT_SHARE;
  const signal = hooks.signal ? { signal: hooks.signal } : {};
  const started = performance.now();
  const cooccurrences =
    given ??
    (await countCooccurrences(
      corpus,
      { window: settings.window, distanceWeighting: settings.distanceWeighting, bufferBytes: settings.countBufferBytes },
      { ...signal, onProgress: (fraction) => reporter.counting(countPart * fraction) },
    ));
  if (cooccurrences.vocabSize !== corpus.vocab.tokens.length) {
    throw new CheckpointError(
      'internal',
      `GloVe: co-occurrences over ${cooccurrences.vocabSize} words, vocabulary of ${corpus.vocab.tokens.length}`,
    );
  }
  if (cooccurrences.nonzeros === 0) {
    throw new CheckpointError('empty', 'GloVe: expected co-occurring words, found none (sentences of one word?)');
  }
  const counted = performance.now();
  const entries = await gloveEntries(cooccurrences, settings.xMax, settings.alpha, settings.seed, {
    ...signal,
    onProgress: (fraction) => reporter.counting(countPart + (1 - countPart) * fraction),
  });
  const countMetrics = {
    cooccurrenceNonzeros: cooccurrences.nonzeros,
    cooccurrenceStored: cooccurrences.rows.length,
    countingPasses: cooccurrences.passes,
    countBufferBytes: cooccurrences.peakBufferBytes,
    countSeconds: given ? 0 : (counted - started) / 1000,
    entriesSeconds: (performance.now() - counted) / 1000,
  };
  const layout = gloveLayout(corpus.vocab.tokens.length, settings.dim, threads);
  const memory = allocateGloveMemory(layout, settings.engine);
  initializeGlove(memory.floats, layout, settings.seed);
  return { settings, corpus, entries, layout, memory, reporter, countMetrics };
}

/**
 * Trains GloVe (Pennington et al. 2014) on one thread: weighted least squares ½·f(X_ij)·(w_i·w̃_j + b_i + b̃_j −
 * log X_ij)² over the nonzero co-occurrences, AdaGrad as glove.c, entries reshuffled every epoch (seeded, so the same
 * seed gives the same vectors). Counts the co-occurrences first unless `cooccurrences` are given.
 */
export async function trainGlove(
  corpus: EncodedCorpus,
  options: GloveOptions,
  hooks: TrainHooks = {},
  cooccurrences?: Cooccurrences,
): Promise<TrainedEmbeddings> {
  const settings = gloveSettings(options);
  const run = await prepareGlove(corpus, settings, 1, hooks, cooccurrences);
  const { entries, memory, layout, reporter } = run;
  const kernel = gloveKernel(memory, layout);
  const total = entries.count;
  const pacer = new Pacer(total * settings.epochs, hooks.signal, undefined, 'GloVe training');
  const batch = batchAt(layout, 0);
  const rates = gloveRates(settings);
  const lossPerEpoch: number[] = [];
  const started = performance.now();
  for (let epoch = 1; epoch <= settings.epochs; epoch++) {
    const share = new EpochShare(entries, 0, total, shareSeed(settings.seed, epoch, 0));
    let epochCost = 0;
    for (let count = share.fill(memory, batch); count > 0; count = share.fill(memory, batch)) {
      const cost = kernel.train(batch, count, rates);
      epochCost += cost;
      reporter.training(epoch, (total - share.remaining) / total, cost, count);
      await pacer.step(count);
    }
    lossPerEpoch.push(epochCost / total);
    reporter.training(epoch, 1, 0, 0, true);
  }
  return finishGlove(run, lossPerEpoch, (performance.now() - started) / 1000, kernel.engine);
}

/** The TrainedEmbeddings of a finished run. */
export function finishGlove(run: GloveRun, lossPerEpoch: readonly number[], trainSeconds: number, engine: GloveEngine): TrainedEmbeddings {
  const { input, output, extras } = gloveMatrices(run.memory.floats, run.layout);
  const trained = run.entries.count * lossPerEpoch.length;
  return {
    vocab: run.corpus.vocab,
    input,
    output,
    tied: false,
    extras,
    loss: lossPerEpoch[lossPerEpoch.length - 1] ?? null,
    lossPerEpoch,
    // Each epoch trains on statistics of the whole corpus: counted as one pass over it, like a word2vec epoch.
    tokensProcessed: run.corpus.rawTokens * lossPerEpoch.length,
    metrics: {
      ...run.countMetrics,
      trainSeconds,
      entriesPerSecond: trainSeconds > 0 ? trained / trainSeconds : 0,
      wasmKernel: engine === 'wasm' ? 1 : 0,
    },
  };
}

/** Turns counting and training progress into TrainProgress reports (training ones at most every REPORT_EVERY_MS). */
export class GloveReporter {
  private readonly started = performance.now();
  private lastReport = -Infinity;
  private costSince = 0;
  private entriesSince = 0;

  constructor(
    private readonly hooks: TrainHooks,
    private readonly epochs: number,
    private readonly rawTokens: number,
    private readonly countShare: number,
  ) {}

  /** Counting has done `fraction` of its work. */
  counting(fraction: number): void {
    this.emit({ fraction: this.countShare * fraction, epoch: 1, epochs: this.epochs, loss: null, tokensPerSecond: this.rate(fraction) });
  }

  /**
   * Training is `fraction` through epoch `epoch`, having just added `cost` over `entries` entries; reports when
   * REPORT_EVERY_MS has passed since the last report, or when `force`d.
   */
  training(epoch: number, fraction: number, cost: number, entries: number, force = false): void {
    this.costSince += cost;
    this.entriesSince += entries;
    const now = performance.now();
    if (!force && now - this.lastReport < REPORT_EVERY_MS) return;
    const done = (epoch - 1 + fraction) / this.epochs;
    this.emit({
      fraction: this.countShare + (1 - this.countShare) * done,
      epoch,
      epochs: this.epochs,
      loss: this.entriesSince > 0 ? this.costSince / this.entriesSince : null,
      tokensPerSecond: this.rate(done * this.epochs),
    });
    this.costSince = 0;
    this.entriesSince = 0;
  }

  private rate(passes: number): number {
    const seconds = (performance.now() - this.started) / 1000;
    return seconds > 0 ? (this.rawTokens * passes) / seconds : 0;
  }

  private emit(progress: TrainProgress): void {
    this.lastReport = performance.now();
    this.hooks.onProgress?.(progress);
  }
}
