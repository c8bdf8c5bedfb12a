import type { Metric } from '../neighbors';
import type { KnnGraph } from './knn';
import { emptyGraph, writeRescored } from './knn-index';
import type { KnnEngine } from './knn-scorers';
import { rowNorms } from './knn-scorers';
import { CandidateSets, NeighborHeaps } from './nn-descent-heaps';
import { projectionTree } from './nn-descent-forest';
import { PAIR_BATCH, PairScorer } from './nn-descent-pairs';
import { Pacer } from './pacer';
import { seededRandom } from './seeded-random';

/** Options of `approximateKnn`; every default is tuned on fastText vectors (bench/analysis-knn.mjs). */
export interface ApproximateKnnOptions {
  /** Default cosine. */
  readonly metric?: Metric;
  /** Seeds every random choice: the same seed, data and options give the same graph. Default 1. */
  readonly seed?: number;
  /** Neighbours each row keeps while searching (≥ k); more raises recall and cost. Default max(k + 10, 20). */
  readonly pool?: number;
  /** Random-projection trees for the starting graph. Default from the row count (3..8). */
  readonly trees?: number;
  /** Rows per tree leaf. Default max(pool, 32). */
  readonly leafSize?: number;
  /** Most NN-descent rounds. Default max(5, round(log2 rows)). */
  readonly maxIterations?: number;
  /** Stop once a round improves fewer than delta · rows · pool entries. Default 0.001. */
  readonly delta?: number;
  /** 'auto' (default): WebAssembly SIMD where available. */
  readonly engine?: KnnEngine | 'auto';
  readonly signal?: AbortSignal;
  /** Share of the work done, 0..1. */
  onProgress?(fraction: number): void;
}

/**
 * Approximate k nearest rows of every row of `data` (rows × cols) among the others (each row itself left out), by
 * NN-descent (Dong, Charikar & Li 2011, as pynndescent does it): a first graph from all pairs within the leaves of
 * a few random-projection trees, then rounds of local joins, where each row's sampled new and old neighbours are
 * compared with each other and every pair offered to both its rows' heaps, until a round changes almost nothing.
 * Distances are computed in batches of pairs by a WebAssembly SIMD kernel. Scores as in `referenceTopK` (float64).
 */
export async function approximateKnn(data: Float32Array, cols: number, k: number, options: ApproximateKnnOptions = {}): Promise<KnnGraph> {
  const metric = options.metric ?? 'cosine';
  const rows = Math.floor(data.length / cols);
  const graph = emptyGraph(rows, k);
  // 20 for k = 10: recall@10 ≥ 0.98 on fastText vectors at 5k–50k rows (16 gave 0.975 at 50k).
  const pool = Math.min(Math.max(k, options.pool ?? Math.max(k + 10, 20)), rows - 1);
  if (k <= 0 || pool <= 0) return graph;
  const random = seededRandom(options.seed ?? 1);
  const trees = options.trees ?? Math.max(3, Math.min(8, Math.round(2 * Math.log10(rows))));
  const leafSize = options.leafSize ?? Math.max(pool, 32);
  const maxIterations = options.maxIterations ?? Math.max(5, Math.round(Math.log2(rows)));
  const delta = options.delta ?? 0.001;
  const pacer = new Pacer((trees + maxIterations + 1) * rows, options.signal, options.onProgress, 'approximate nearest neighbours');
  const scorer = PairScorer.create(data, cols, metric, options.engine);
  const heaps = new NeighborHeaps(rows, pool);
  const batch = new PairBatch(scorer, heaps);

  for (let tree = 0; tree < trees; tree++) {
    const { order, bounds } = projectionTree(scorer, cols, leafSize, random);
    for (let leaf = 0; leaf + 1 < bounds.length; leaf++) {
      const lo = bounds[leaf] as number;
      const hi = bounds[leaf + 1] as number;
      for (let a = lo; a < hi; a++) for (let b = a + 1; b < hi; b++) batch.add(order[a] as number, order[b] as number);
      await pacer.step(hi - lo);
    }
    batch.flush();
  }
  // Rows the leaves left short of `pool` neighbours get random ones.
  for (let i = 0; i < rows; i++) {
    for (let tries = 0; heaps.worst(i) === -Infinity && tries < 4 * pool; tries++) {
      const j = Math.floor(random() * rows);
      if (j !== i) batch.add(i, j);
    }
    if (i % 4096 === 4095) batch.flush();
  }
  batch.flush();

  const fresh = new CandidateSets(rows, pool);
  const old = new CandidateSets(rows, pool);
  for (let round = 0; round < maxIterations; round++) {
    await sampleCandidates(heaps, fresh, old, random, pacer);
    batch.updates = 0;
    for (let i = 0; i < rows; i++) {
      joinLocally(i, fresh, old, batch);
      if (i % 1024 === 1023) await pacer.step(1024);
    }
    batch.flush();
    pacer.jumpTo((trees + round + 1) * rows);
    if (batch.updates <= delta * rows * pool) break;
  }

  const norms = rowNorms(data, cols);
  const sorted = new Int32Array(pool);
  for (let i = 0; i < rows; i++) {
    const count = heaps.sorted(i, sorted);
    writeRescored(data, cols, norms, data, i * cols, sorted, count, metric, graph, i);
    if (i % 4096 === 4095) await pacer.step(0);
  }
  pacer.finish();
  return graph;
}

/**
 * Each row's candidates for the next local join: its heap entries and the rows that list it (reverse neighbours),
 * split into those not yet joined ("new") and the rest ("old"), each a random sample of at most `pool`. The new ones
 * sampled are marked joined.
 */
async function sampleCandidates(
  heaps: NeighborHeaps,
  fresh: CandidateSets,
  old: CandidateSets,
  random: () => number,
  pacer: Pacer,
): Promise<void> {
  const { rows, size, ids, fresh: flags } = heaps;
  fresh.clear();
  old.clear();
  for (let i = 0; i < rows; i++) {
    for (let t = i * size; t < (i + 1) * size; t++) {
      const j = ids[t] as number;
      if (j < 0) continue;
      const priority = random();
      const target = flags[t] === 1 ? fresh : old;
      target.offer(i, j, priority);
      target.offer(j, i, priority);
    }
    // No progress counted (the round's joins count it), but a chance to yield and be cancelled.
    if (i % 4096 === 4095) await pacer.step(0);
  }
  for (let i = 0; i < rows; i++) {
    for (let t = i * size; t < (i + 1) * size; t++) if (flags[t] === 1 && fresh.has(i, ids[t] as number)) flags[t] = 0;
  }
}

/** Queues the local join of row i: every pair of its new candidates, and every new candidate with every old one. */
function joinLocally(i: number, fresh: CandidateSets, old: CandidateSets, batch: PairBatch): void {
  const size = fresh.size;
  const base = i * size;
  const newIds = fresh.ids;
  const oldIds = old.ids;
  for (let a = base; a < base + size; a++) {
    const p = newIds[a] as number;
    if (p < 0) continue;
    for (let b = a + 1; b < base + size; b++) {
      const q = newIds[b] as number;
      if (q >= 0) batch.add(p, q);
    }
    for (let b = base; b < base + size; b++) {
      const q = oldIds[b] as number;
      if (q >= 0 && q !== p) batch.add(p, q);
    }
  }
}

/** Pairs waiting to be scored; a full batch is scored and each pair offered to both its rows' heaps. */
class PairBatch {
  private count = 0;
  private pairs: Int32Array;
  /** Heap entries changed since last reset. */
  updates = 0;

  constructor(
    private readonly scorer: PairScorer,
    private readonly heaps: NeighborHeaps,
  ) {
    this.pairs = scorer.pairs();
  }

  add(a: number, b: number): void {
    this.pairs[2 * this.count] = a;
    this.pairs[2 * this.count + 1] = b;
    if (++this.count === PAIR_BATCH) this.flush();
  }

  flush(): void {
    if (this.count === 0) return;
    const scores = this.scorer.score(this.count);
    const pairs = this.scorer.pairs();
    const heaps = this.heaps;
    let updates = 0;
    for (let p = 0; p < this.count; p++) {
      const a = pairs[2 * p] as number;
      const b = pairs[2 * p + 1] as number;
      const score = scores[p] as number;
      updates += heaps.push(a, b, score) + heaps.push(b, a, score);
    }
    this.updates += updates;
    this.count = 0;
    this.pairs = this.scorer.pairs();
  }
}
