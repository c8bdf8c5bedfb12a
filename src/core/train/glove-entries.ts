import { Pacer } from '../analysis/pacer';
import type { Random } from '../analysis/seeded-random';
import { seededRandom } from '../analysis/seeded-random';
import { CheckpointError } from '../errors';
import type { Cooccurrences } from './cooccurrence';
import type { GloveMemory } from './glove-kernel';
import { BATCH_ENTRIES, ENTRY_BYTES } from './glove-params';

/**
 * The entries GloVe trains on: every nonzero X_ij of the full (symmetric) matrix as one 16-byte record laid out as
 * the kernel's batch entries (int32 i, int32 j, float32 log X_ij, float32 f(X_ij)), in a random order, in shared
 * memory where there is one (worker threads read and reshuffle their share in place).
 */
export interface GloveEntries {
  /** 4 int32 per record; the floats are read through `floats`, which views the same buffer. */
  readonly records: Int32Array;
  readonly floats: Float32Array;
  /** Records in all. */
  readonly count: number;
}

/**
 * Records per bucket of the initial shuffle (expected): 16k records are 256 KiB, so shuffling one bucket stays in
 * the L2 cache, while the ~2k buckets of a 34M-entry matrix are few enough write streams for the scatter.
 */
const BUCKET_RECORDS = 1 << 14;

/** GloVe's weighting f(x) = (x / xMax)^alpha, capped at 1. */
export function gloveWeight(x: number, xMax: number, alpha: number): number {
  return x < xMax ? (x / xMax) ** alpha : 1;
}

/** Stored co-occurrences handled between progress/cancel checks: a few ms of work. */
const ENTRIES_PER_STEP = 1 << 18;

/**
 * The training records of `cooccurrences` in a uniformly random order (seeded): each record goes to a random
 * bucket, buckets are shuffled one by one and laid end to end (Sanders 1998) — a uniform shuffle whose memory
 * accesses stay in cache, unlike a Fisher–Yates pass over hundreds of MB. Reports progress (0–1) and stops with a
 * `cancelled` error once `signal` fires.
 */
export async function gloveEntries(
  cooccurrences: Cooccurrences,
  xMax: number,
  alpha: number,
  seed: number,
  hooks: { readonly signal?: AbortSignal; onProgress?(fraction: number): void } = {},
): Promise<GloveEntries> {
  const { rows, cols, values, nonzeros: count } = cooccurrences;
  if (count > 2 ** 27) {
    // 16 bytes × 2^27 = 2 GiB, the most one typed array indexes with int32 arithmetic here.
    throw new CheckpointError(
      'too-large',
      `GloVe: expected at most 2^27 nonzero co-occurrences, found ${count}; raise minCount or lower the window`,
    );
  }
  // Work units: one per stored entry in each of the two passes, one per record in the shuffle.
  const pacer = new Pacer(2 * rows.length + count, hooks.signal, hooks.onProgress, 'GloVe training');
  const buffer =
    typeof SharedArrayBuffer === 'function' ? new SharedArrayBuffer(count * ENTRY_BYTES) : new ArrayBuffer(count * ENTRY_BYTES);
  const records = new Int32Array(buffer);
  const floats = new Float32Array(buffer);
  const buckets = Math.max(1, Math.ceil(count / BUCKET_RECORDS));
  const bucketSeed = shareSeed(seed, 0, -1);
  // Pass 1 draws every record's bucket to size the buckets; pass 2 draws the same buckets again and scatters.
  const next = new Int32Array(buckets + 1);
  let random = seededRandom(bucketSeed);
  const draw = (): number => Math.floor(random() * buckets);
  for (let from = 0; from < rows.length; from += ENTRIES_PER_STEP) {
    const to = Math.min(rows.length, from + ENTRIES_PER_STEP);
    for (let k = from; k < to; k++) {
      for (let n = rows[k] === cols[k] ? 1 : 2; n > 0; n--) {
        const bucket = draw() + 1;
        next[bucket] = (next[bucket] as number) + 1;
      }
    }
    await pacer.step(to - from);
  }
  for (let b = 0; b < buckets; b++) next[b + 1] = (next[b + 1] as number) + (next[b] as number);
  const starts = next.slice();
  random = seededRandom(bucketSeed);
  const place = (i: number, j: number, logX: number, weight: number): void => {
    const bucket = draw();
    const at = 4 * (next[bucket] as number);
    next[bucket] = (next[bucket] as number) + 1;
    records[at] = i;
    records[at + 1] = j;
    floats[at + 2] = logX;
    floats[at + 3] = weight;
  };
  for (let from = 0; from < rows.length; from += ENTRIES_PER_STEP) {
    const to = Math.min(rows.length, from + ENTRIES_PER_STEP);
    for (let k = from; k < to; k++) {
      const x = values[k] as number;
      const i = rows[k] as number;
      const j = cols[k] as number;
      const logX = Math.log(x);
      const weight = gloveWeight(x, xMax, alpha);
      place(i, j, logX, weight);
      if (i !== j) place(j, i, logX, weight);
    }
    await pacer.step(to - from);
  }
  const shuffle = seededRandom(shareSeed(seed, 0, -2));
  for (let b = 0; b < buckets; b++) {
    shuffleRecords(records, starts[b] as number, starts[b + 1] as number, shuffle);
    await pacer.step((starts[b + 1] as number) - (starts[b] as number));
  }
  pacer.finish();
  return { records, floats, count };
}

/** A seed for thread `thread`'s shuffles in epoch `epoch`, mixed so that nearby inputs give unrelated streams. */
export function shareSeed(seed: number, epoch: number, thread: number): number {
  let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(epoch + 1, 0xc2b2ae35) ^ Math.imul(thread + 3, 0x27d4eb2f);
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  return (h ^ (h >>> 15)) >>> 0;
}

/** Fisher–Yates shuffle of records from..to-1 (16 bytes each) in place. */
function shuffleRecords(records: Int32Array, from: number, to: number, random: Random): void {
  for (let p = to - 1; p > from; p--) {
    const q = from + Math.floor(random() * (p - from + 1));
    const a = 4 * p;
    const b = 4 * q;
    for (let c = 0; c < 4; c++) {
      const held = records[a + c] as number;
      records[a + c] = records[b + c] as number;
      records[b + c] = held;
    }
  }
}

/**
 * One thread's pass over its share (records from..to-1) in one epoch. The share is cut into blocks of
 * BATCH_ENTRIES at a random offset, the blocks are visited in a random order, and each block is shuffled in place
 * just before it is trained. Records were shuffled uniformly once; each epoch then reorders them again at the cost
 * of in-cache work (a full Fisher–Yates pass would cost a cache miss per record, as much as a quarter of training).
 */
export class EpochShare {
  /** Block boundaries; the last one is the share's end. */
  private readonly starts: Int32Array;
  /** Blocks in the order they are visited. */
  private readonly order: Int32Array;
  private readonly random: Random;
  private block = 0;
  private left: number;

  constructor(
    private readonly entries: GloveEntries,
    from: number,
    to: number,
    seed: number,
  ) {
    this.random = seededRandom(seed);
    this.left = to - from;
    const offset = to - from > BATCH_ENTRIES ? Math.floor(this.random() * BATCH_ENTRIES) : 0;
    const starts: number[] = offset > 0 ? [from] : [];
    for (let at = from + offset; at < to; at += BATCH_ENTRIES) starts.push(at);
    starts.push(to);
    const blocks = starts.length - 1;
    this.starts = Int32Array.from(starts);
    this.order = Int32Array.from({ length: blocks }, (_, b) => b);
    for (let p = blocks - 1; p > 0; p--) {
      const q = Math.floor(this.random() * (p + 1));
      const held = this.order[p] as number;
      this.order[p] = this.order[q] as number;
      this.order[q] = held;
    }
  }

  /** Records not yet handed out this epoch. */
  get remaining(): number {
    return this.left;
  }

  /** Shuffles the next block and copies it to byte offset `batch` of `memory`; returns its records (0 when done). */
  fill(memory: GloveMemory, batch: number): number {
    if (this.block >= this.order.length) return 0;
    const b = this.order[this.block++] as number;
    const from = this.starts[b] as number;
    const to = this.starts[b + 1] as number;
    shuffleRecords(this.entries.records, from, to, this.random);
    memory.ints.set(this.entries.records.subarray(4 * from, 4 * to), batch / 4);
    this.left -= to - from;
    return to - from;
  }
}
