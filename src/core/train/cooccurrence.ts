import { Pacer } from '../analysis/pacer';
import { CheckpointError } from '../errors';
import type { EncodedCorpus } from './corpus';

/** How co-occurrences are counted (GloVe's cooccur.c, symmetric windows). */
export interface CooccurrenceOptions {
  /** Context words on each side of a word (cooccur.c's window_size); windows never cross a sentence end. */
  readonly window: number;
  /** Each pair adds 1/distance (GloVe's default) when true or absent; 1 when false. */
  readonly distanceWeighting?: boolean;
  /**
   * Soft cap on the pair buffer of one counting pass (bytes, default DEFAULT_BUFFER_BYTES): rows are counted in
   * passes over the corpus so that each pass buffers at most this much (one row larger than it gets a pass alone).
   */
  readonly bufferBytes?: number;
}

/** Progress and cancel for counting. */
export interface CooccurrenceHooks {
  readonly signal?: AbortSignal;
  /** Fraction of the counting done. */
  onProgress?(fraction: number): void;
}

/**
 * A symmetric co-occurrence matrix X, stored as its upper triangle: entry k says X[rows[k]][cols[k]] =
 * X[cols[k]][rows[k]] = values[k], with rows[k] ≤ cols[k], ordered by row then column.
 */
export interface Cooccurrences {
  readonly vocabSize: number;
  readonly window: number;
  readonly rows: Int32Array;
  readonly cols: Int32Array;
  /** Weighted counts; a diagonal entry holds the whole X[i][i] (both directions of each pair of equal words). */
  readonly values: Float32Array;
  /** Nonzero entries of the full matrix X: 2 per off-diagonal stored entry, 1 per diagonal one. */
  readonly nonzeros: number;
  /** Corpus passes the counting took (one to size the rows, then one per group of rows). */
  readonly passes: number;
  /** Largest pair buffer a pass used (bytes), for memory reports. */
  readonly peakBufferBytes: number;
}

/**
 * Default pass buffer: 256 MiB holds 64M buffered pairs, so the 17.8M-token corpus at window 10 (about 178M
 * pairs) is counted in 3–4 passes, each walk of the corpus costing well under a second.
 */
export const DEFAULT_BUFFER_BYTES = 256 << 20;

/** Most pairs one pass may buffer, whatever the budget (one very frequent word's row alone): 4 GiB of codes. */
const MAX_BUFFERED = 2 ** 30;

/** Entries per output block: blocks are joined once at the end, so the output is never copied while growing. */
const BLOCK_ENTRIES = 1 << 22;

/** Corpus positions walked between progress/cancel checks: a few ms of work. */
const POSITIONS_PER_STEP = 1 << 15;

/** Pairs summed between cancel checks: a few ms of work. */
const CODES_PER_TICK = 1 << 20;

/** Resolution of the progress fraction handed to the Pacer. */
const PROGRESS_UNITS = 1_000_000;

/**
 * Counts weighted co-occurrences within symmetric windows as GloVe's cooccur.c does: every pair of words at
 * distance d ≤ window in one sentence adds 1/d (or 1) to X[i][j] and to X[j][i]. Out-of-vocabulary tokens were
 * dropped by the encoder, so distances count kept tokens, as in cooccur.c.
 *
 * Memory stays bounded without temporary files: a first walk counts the pairs falling in each upper-triangle row;
 * rows are then grouped so that a group's pairs fit in `bufferBytes`, and one walk per group buckets its pairs by
 * row (a counting sort of (column, distance) codes); each row is then summed in a dense scratch row. Every row is
 * complete after its pass, so no merging is needed and the output is sorted by construction.
 */
export async function countCooccurrences(
  corpus: EncodedCorpus,
  options: CooccurrenceOptions,
  hooks: CooccurrenceHooks = {},
): Promise<Cooccurrences> {
  const window = checkWindow(options.window);
  const vocabSize = corpus.vocab.tokens.length;
  const distanceBits = Math.max(1, Math.ceil(Math.log2(window)));
  if (vocabSize * 2 ** distanceBits > 2 ** 31) {
    throw new CheckpointError('too-large', `co-occurrences: expected vocabulary × window under 2^31, found ${vocabSize} × ${window}`);
  }
  const weights = Float64Array.from({ length: window }, (_, d) => (options.distanceWeighting === false ? 1 : 1 / (d + 1)));
  const maxBuffered = Math.max(1, Math.floor((options.bufferBytes ?? DEFAULT_BUFFER_BYTES) / 4));

  // Progress counts corpus positions walked: one walk sizes the rows, then one walk per group of rows.
  const positions = Math.max(1, corpus.ids.length);
  const pacer = new Pacer(PROGRESS_UNITS, hooks.signal, hooks.onProgress, 'co-occurrence counting');
  let walks = 2;
  const walked = (walk: number, done: number): Promise<void> => {
    pacer.jumpTo(Math.floor(((walk * positions + done) / (walks * positions)) * PROGRESS_UNITS));
    return pacer.step(0);
  };
  const perRow = await pairsPerRow(corpus, window, vocabSize, (done) => walked(0, done));
  const groups = groupRows(perRow, maxBuffered);
  walks = groups.length + 1;

  const out = new BlockWriter();
  const scratch = new Float64Array(vocabSize);
  let peakBuffered = 0;
  for (const [index, [lo, hi]] of groups.entries()) {
    const offsets = new Int32Array(hi - lo + 1);
    for (let row = lo; row < hi; row++) offsets[row - lo + 1] = (offsets[row - lo] as number) + (perRow[row] as number);
    const buffered = offsets[hi - lo] as number;
    if (buffered > MAX_BUFFERED) {
      throw new CheckpointError(
        'too-large',
        `co-occurrences: expected at most ${MAX_BUFFERED} pairs for one word, found ${buffered}; lower the window`,
      );
    }
    peakBuffered = Math.max(peakBuffered, buffered);
    const codes = new Int32Array(buffered);
    await bucketPairs(corpus, window, distanceBits, lo, hi, offsets, codes, (done) => walked(index + 1, done));
    await sumRows(lo, hi, offsets, codes, distanceBits, weights, scratch, out, () => walked(index + 1, positions));
  }
  pacer.finish();
  const { rows, cols, values } = out.join();
  let diagonal = 0;
  for (let k = 0; k < rows.length; k++) if (rows[k] === cols[k]) diagonal++;
  return {
    vocabSize,
    window,
    rows,
    cols,
    values,
    nonzeros: 2 * rows.length - diagonal,
    passes: groups.length + 1,
    peakBufferBytes: peakBuffered * 4,
  };
}

function checkWindow(window: number): number {
  if (!Number.isInteger(window) || window < 1 || window > 1000) {
    throw new CheckpointError('unsupported', `co-occurrences: expected a window of 1–1000 words, found ${window}`);
  }
  return window;
}

/** Pairs (i ≤ j) whose upper-triangle row is i, for every i: sizes each row's bucket. */
async function pairsPerRow(
  corpus: EncodedCorpus,
  window: number,
  vocabSize: number,
  walked: (positions: number) => Promise<void>,
): Promise<Float64Array> {
  const { ids, sentenceEnds } = corpus;
  const perRow = new Float64Array(vocabSize);
  let start = 0;
  let sinceStep = 0;
  for (const end of sentenceEnds) {
    for (let p = start; p < end; p++) {
      const x = ids[p] as number;
      const last = Math.min(end - 1, p + window);
      for (let q = p + 1; q <= last; q++) {
        const row = x < (ids[q] as number) ? x : (ids[q] as number);
        perRow[row] = (perRow[row] as number) + 1;
      }
    }
    sinceStep += end - start;
    start = end;
    if (sinceStep >= POSITIONS_PER_STEP) {
      await walked(end);
      sinceStep = 0;
    }
  }
  return perRow;
}

/** Consecutive row ranges [lo, hi) whose pairs fit in `maxBuffered` (a row that alone exceeds it is its own range). */
function groupRows(perRow: Float64Array, maxBuffered: number): Array<[number, number]> {
  const groups: Array<[number, number]> = [];
  let lo = 0;
  let sum = 0;
  for (let row = 0; row < perRow.length; row++) {
    const count = perRow[row] as number;
    if (row > lo && sum + count > maxBuffered) {
      groups.push([lo, row]);
      lo = row;
      sum = 0;
    }
    sum += count;
  }
  if (sum > 0 || groups.length === 0) groups.push([lo, perRow.length]);
  return groups.filter(([from, to]) => to > from);
}

/** Writes the code (column << distanceBits | distance − 1) of every pair whose row is in [lo, hi) into its row's bucket. */
async function bucketPairs(
  corpus: EncodedCorpus,
  window: number,
  distanceBits: number,
  lo: number,
  hi: number,
  offsets: Int32Array,
  codes: Int32Array,
  walked: (positions: number) => Promise<void>,
): Promise<void> {
  const { ids, sentenceEnds } = corpus;
  const next = offsets.slice(0, hi - lo);
  let start = 0;
  let sinceStep = 0;
  for (const end of sentenceEnds) {
    for (let p = start; p < end; p++) {
      const x = ids[p] as number;
      const last = Math.min(end - 1, p + window);
      for (let q = p + 1; q <= last; q++) {
        const y = ids[q] as number;
        const row = x < y ? x : y;
        if (row < lo || row >= hi) continue;
        const col = x < y ? y : x;
        const slot = row - lo;
        const at = next[slot] as number;
        codes[at] = (col << distanceBits) | (q - p - 1);
        next[slot] = at + 1;
      }
    }
    sinceStep += end - start;
    start = end;
    if (sinceStep >= POSITIONS_PER_STEP) {
      await walked(end);
      sinceStep = 0;
    }
  }
}

/**
 * Sums each row's bucket in a dense scratch row and writes its nonzeros in column order. A pair of equal words adds
 * twice to the diagonal (once per direction, as cooccur.c adds (w1, w2) and (w2, w1)).
 */
async function sumRows(
  lo: number,
  hi: number,
  offsets: Int32Array,
  codes: Int32Array,
  distanceBits: number,
  weights: Float64Array,
  scratch: Float64Array,
  out: BlockWriter,
  tick: () => Promise<void>,
): Promise<void> {
  const distanceMask = (1 << distanceBits) - 1;
  const touched = new Int32Array(scratch.length);
  let sinceTick = 0;
  for (let row = lo; row < hi; row++) {
    const from = offsets[row - lo] as number;
    const to = offsets[row - lo + 1] as number;
    sinceTick += to - from;
    if (sinceTick >= CODES_PER_TICK) {
      await tick();
      sinceTick = 0;
    }
    let count = 0;
    for (let k = from; k < to; k++) {
      const code = codes[k] as number;
      const col = code >>> distanceBits;
      const before = scratch[col] as number;
      if (before === 0) touched[count++] = col;
      scratch[col] = before + (weights[code & distanceMask] as number);
    }
    const columns = touched.subarray(0, count).sort();
    scratch[row] = 2 * (scratch[row] as number);
    for (let k = 0; k < count; k++) {
      const col = columns[k] as number;
      out.push(row, col, scratch[col] as number);
      scratch[col] = 0;
    }
  }
}

/** Growable (row, column, value) output in fixed blocks, joined once at the end. */
class BlockWriter {
  private readonly done: Array<{ rows: Int32Array; cols: Int32Array; values: Float32Array }> = [];
  private rows = new Int32Array(BLOCK_ENTRIES);
  private cols = new Int32Array(BLOCK_ENTRIES);
  private values = new Float32Array(BLOCK_ENTRIES);
  private length = 0;

  push(row: number, col: number, value: number): void {
    if (this.length === BLOCK_ENTRIES) {
      this.done.push({ rows: this.rows, cols: this.cols, values: this.values });
      this.rows = new Int32Array(BLOCK_ENTRIES);
      this.cols = new Int32Array(BLOCK_ENTRIES);
      this.values = new Float32Array(BLOCK_ENTRIES);
      this.length = 0;
    }
    this.rows[this.length] = row;
    this.cols[this.length] = col;
    this.values[this.length] = value;
    this.length++;
  }

  join(): { rows: Int32Array; cols: Int32Array; values: Float32Array } {
    const blocks = [
      ...this.done,
      { rows: this.rows.subarray(0, this.length), cols: this.cols.subarray(0, this.length), values: this.values.subarray(0, this.length) },
    ];
    const total = blocks.reduce((sum, block) => sum + block.rows.length, 0);
    const rows = new Int32Array(total);
    const cols = new Int32Array(total);
    const values = new Float32Array(total);
    let at = 0;
    for (const block of blocks) {
      rows.set(block.rows, at);
      cols.set(block.cols, at);
      values.set(block.values, at);
      at += block.rows.length;
    }
    return { rows, cols, values };
  }
}
