import { seededRandom } from '../analysis/seeded-random';
import type { EncodedCorpus } from './corpus';
import { MAX_SENTENCE_TOKENS } from './corpus';
import { fillAliasTable } from './negative-table';
import { keepThresholds } from './subsample';

/** Skip-gram (predict the centre from each context word, as word2vec.c orders it) or CBOW (from their mean). */
export type Word2vecMode = 'sg' | 'cbow';

/** Validated hyper-parameters: what the memory layout and the kernels need. */
export interface Word2vecSettings {
  readonly mode: Word2vecMode;
  readonly dim: number;
  readonly window: number;
  readonly negative: number;
  readonly epochs: number;
  readonly sample: number;
  readonly alpha: number;
  readonly minAlpha: number;
  readonly tied: boolean;
  readonly seed: number;
  readonly threads: number;
  /** Exponent on the unigram counts of the negatives' distribution. */
  readonly negativePower: number;
}

/**
 * Byte offsets of the fields of a thread's context block; word2vec-kernels.wat reads the same offsets. Pointers are
 * byte offsets into the memory, counts are int32, the last four are float64.
 */
export const CTX = {
  u: 0,
  v: 4,
  rowFloats: 8,
  table: 12,
  rows: 16,
  keep: 20,
  ids: 24,
  ends: 28,
  window: 32,
  negative: 36,
  cbow: 40,
  random: 44,
  h: 48,
  work: 52,
  sentence: 56,
  targets: 60,
  inputs: 64,
  signals: 68,
  lossSum: 72,
  lossSteps: 80,
  /** Corpus ids this thread has gone through, all epochs (written by the share runner). */
  idsDone: 88,
  /** Of those, the ones kept by subsampling. */
  keptDone: 96,
  /** Row index of V's extra row, always zero: the kernel pads its groups of three targets with it. */
  zeroRow: 104,
  /** 1 when U and V are one matrix (the kernel then copies h instead of reading the input row in place). */
  tied: 108,
} as const;

/** Bytes of one context block (two cache lines). */
const CTX_BYTES = 128;

/** One thread's part of every epoch: sentences from..to-1, holding `ids` corpus ids. */
export interface Word2vecShare {
  readonly from: number;
  readonly to: number;
  readonly ids: number;
}

/** Where everything lives in the training memory: plain numbers, so it can be posted to worker threads. */
export interface Word2vecPlan {
  readonly bytes: number;
  readonly rows: number;
  readonly dim: number;
  /** Floats per stored row: dim rounded up to a multiple of 4 (one f32x4), the padding kept at zero. */
  readonly rowFloats: number;
  readonly tied: boolean;
  /** Byte offsets of U and V (the same when tied). */
  readonly u: number;
  readonly v: number;
  /** Byte offset of the negatives' alias table (uint32 [threshold, alias] per row). */
  readonly table: number;
  /** Byte offset of the uint32 subsampling threshold of each row. */
  readonly keep: number;
  /** Byte offset of the corpus ids and of the int32 exclusive end of each sentence. */
  readonly ids: number;
  readonly ends: number;
  /** Byte offset of each thread's scratch (h, work, sentence, targets, inputs). */
  readonly scratch: readonly number[];
  /** Byte offset of each thread's context block. */
  readonly ctx: readonly number[];
  /** Byte offset of float64 [loss sum, steps] per thread and epoch, cumulative, written at each epoch's end. */
  readonly epochLosses: number;
  readonly shares: readonly Word2vecShare[];
  readonly epochs: number;
  readonly alpha: number;
  readonly minAlpha: number;
}

/** Lays out the training memory for a corpus: nothing is written yet (see fillWord2vecMemory). */
export function planWord2vec(corpus: EncodedCorpus, settings: Word2vecSettings): Word2vecPlan {
  const rows = corpus.vocab.tokens.length;
  const rowFloats = Math.ceil(settings.dim / 4) * 4;
  const threads = settings.threads;
  let end = 0;
  const region = (bytes: number): number => {
    const at = end;
    end += align(bytes);
    return at;
  };
  const ctxBase = region(threads * CTX_BYTES);
  const epochLosses = region(threads * settings.epochs * 16);
  // One row more than the vocabulary: the zero row (CTX.zeroRow).
  const u = region((rows + 1) * rowFloats * 4);
  const v = settings.tied ? u : region((rows + 1) * rowFloats * 4);
  const table = region(rows * 8);
  const keep = region(rows * 4);
  const ids = region(corpus.ids.length * 4);
  const ends = region(corpus.sentenceEnds.length * 4);
  const scratch = Array.from({ length: threads }, () => region(scratchParts(rowFloats, settings).bytes));
  return {
    bytes: end,
    rows,
    dim: settings.dim,
    rowFloats,
    tied: settings.tied,
    u,
    v,
    table,
    keep,
    ids,
    ends,
    scratch,
    ctx: Array.from({ length: threads }, (_, t) => ctxBase + t * CTX_BYTES),
    epochLosses,
    shares: splitShares(corpus.sentenceEnds, threads),
    epochs: settings.epochs,
    alpha: settings.alpha,
    minAlpha: settings.minAlpha,
  };
}

/** The parts of a thread's scratch. */
type ScratchPart = 'h' | 'work' | 'sentence' | 'targets' | 'signals' | 'inputs';

/**
 * Offsets within one thread's scratch of h, work, the subsampled sentence, the targets and their signals (room for
 * the positive, the negatives and two padding entries) and the CBOW inputs.
 */
function scratchParts(rowFloats: number, settings: Word2vecSettings): { at: Record<ScratchPart, number>; bytes: number } {
  const h = 0;
  const work = align(h + rowFloats * 4);
  const sentence = align(work + rowFloats * 4);
  const targets = align(sentence + MAX_SENTENCE_TOKENS * 4);
  const signals = align(targets + (settings.negative + 3) * 4);
  // One more: signals are stored four lanes at a time.
  const inputs = align(signals + (settings.negative + 4) * 4);
  return { at: { h, work, sentence, targets, signals, inputs }, bytes: align(inputs + 2 * settings.window * 4) };
}

/** Contiguous sentence ranges, one per thread, holding as equal numbers of ids as sentence boundaries allow. */
export function splitShares(sentenceEnds: Int32Array, threads: number): Word2vecShare[] {
  const total = sentenceEnds[sentenceEnds.length - 1] ?? 0;
  const bounds = [0];
  for (let t = 1; t < threads; t++) {
    const wanted = Math.round((t * total) / threads);
    let lo = bounds[t - 1] ?? 0;
    let hi = sentenceEnds.length;
    // First sentence whose end reaches `wanted`: the share boundary falls after it.
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((sentenceEnds[mid] ?? 0) < wanted) lo = mid + 1;
      else hi = mid;
    }
    bounds.push(Math.min(sentenceEnds.length, lo + 1));
  }
  bounds.push(sentenceEnds.length);
  return Array.from({ length: threads }, (_, t) => {
    const from = Math.min(bounds[t] ?? 0, bounds[t + 1] ?? 0);
    const to = bounds[t + 1] ?? 0;
    const idsFrom = from > 0 ? (sentenceEnds[from - 1] ?? 0) : 0;
    const idsTo = to > 0 ? (sentenceEnds[to - 1] ?? 0) : 0;
    return { from, to, ids: idsTo - idsFrom };
  });
}

/**
 * Writes the model's starting point and everything the kernels read into a zeroed memory laid out by `plan`: the
 * context blocks (one random stream per thread), U uniform in ±0.5/dim as word2vec.c (a tied matrix starts the same
 * way: it cannot start at zero, where every gradient vanishes), V at zero, the negative table, the subsampling
 * thresholds, the corpus ids and sentence ends.
 */
export function fillWord2vecMemory(buffer: ArrayBufferLike, plan: Word2vecPlan, corpus: EncodedCorpus, settings: Word2vecSettings): void {
  const u32 = new Uint32Array(buffer);
  const i32 = new Int32Array(buffer);
  const f32 = new Float32Array(buffer);
  const { rows, dim, rowFloats } = plan;
  const parts = scratchParts(rowFloats, settings).at;
  plan.ctx.forEach((ctx, t) => {
    const field = (name: keyof typeof CTX, value: number): void => void (u32[(ctx + CTX[name]) >> 2] = value);
    field('u', plan.u);
    field('v', plan.v);
    field('rowFloats', rowFloats);
    field('table', plan.table);
    field('rows', rows);
    field('keep', plan.keep);
    field('ids', plan.ids);
    field('ends', plan.ends);
    field('window', settings.window);
    field('negative', settings.negative);
    field('cbow', settings.mode === 'cbow' ? 1 : 0);
    field('random', threadSeed(settings.seed, t));
    const scratch = plan.scratch[t] ?? 0;
    for (const part of ['h', 'work', 'sentence', 'targets', 'signals', 'inputs'] as const) field(part, scratch + parts[part]);
    field('zeroRow', rows);
    field('tied', settings.tied ? 1 : 0);
  });
  const random = seededRandom(settings.seed);
  for (let row = 0; row < rows; row++) {
    const at = (plan.u >> 2) + row * rowFloats;
    for (let c = 0; c < dim; c++) f32[at + c] = (random() - 0.5) / dim;
  }
  fillAliasTable(u32.subarray(plan.table >> 2, (plan.table >> 2) + 2 * rows), corpus.vocab.counts, settings.negativePower);
  u32.set(keepThresholds(corpus.vocab.counts, settings.sample), plan.keep >> 2);
  i32.set(corpus.ids, plan.ids >> 2);
  i32.set(corpus.sentenceEnds, plan.ends >> 2);
}

/** The trained U or V as a dense rows × dim copy (the row padding dropped). */
export function readMatrix(buffer: ArrayBufferLike, plan: Word2vecPlan, which: 'u' | 'v'): Float32Array {
  const f32 = new Float32Array(buffer);
  const { rows, dim, rowFloats } = plan;
  const out = new Float32Array(rows * dim);
  const base = plan[which] >> 2;
  for (let row = 0; row < rows; row++) out.set(f32.subarray(base + row * rowFloats, base + row * rowFloats + dim), row * dim);
  return out;
}

/** Thread t's starting random state: a mulberry32 output of a seed-and-thread mix, so no two threads start alike. */
function threadSeed(seed: number, thread: number): number {
  // 0x9e3779b9: the golden-ratio increment, spreading consecutive thread numbers over the 32-bit state.
  return Math.floor(seededRandom((seed ^ Math.imul(thread + 1, 0x9e3779b9)) >>> 0)() * 2 ** 32) >>> 0;
}

/** Rounds up to 64 bytes: a cache line, so no two regions (and no two threads' scratch) share one. */
function align(bytes: number): number {
  return Math.ceil(bytes / 64) * 64;
}
