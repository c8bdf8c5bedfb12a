import type { Metric } from '../neighbors';
import type { KnnGraph } from './knn';
import type { BlockScorer, KnnEngine } from './knn-scorers';
import { createScorer, rowNorms } from './knn-scorers';
import { Pacer } from './pacer';

/**
 * Queries per block: 256 queries × DATA_BLOCK rows of float32 scores is 2 MiB, which stays in the 32 MiB L3 while
 * the selection reads it back, and amortises packing the queries over the whole data matrix.
 */
const QUERY_BLOCK = 256;
/** Data rows per kernel call: 2048 rows × 101 dims of packed panels (~0.8 MiB) stay in L2 across the query groups. */
const DATA_BLOCK = 2048;
/**
 * Candidates kept beyond k while scanning in float32, so that rows whose float32 scores straddle the k-th place are
 * put in order by the float64 rescoring (the reference's order), not by float32 rounding.
 */
const EXTRA_CANDIDATES = 2;

/** Options of one search. */
export interface KnnSearchOptions {
  /** Per query, a data row left out of its list (the query's own row), or -1. */
  readonly exclude?: Int32Array;
  readonly signal?: AbortSignal;
  /** Share of the work done, 0..1. */
  onProgress?(fraction: number): void;
}

/**
 * A data matrix prepared for exact top-k search: row norms computed once, and (wasm engine) the rows copied once
 * into the kernel's packed layout. Build one per matrix and keep it (or use `knnIndexFor`): one query on 100k×300
 * then costs one pass over the packed copy. The matrix must not change while the index is in use.
 */
export class KnnIndex {
  /** Data rows. */
  readonly rows: number;
  /** Float64 Euclidean norm of each data row. */
  readonly norms: Float64Array;
  private readonly scorer: BlockScorer;

  constructor(
    /** The searched matrix, row-major rows × cols. */
    readonly data: Float32Array,
    readonly cols: number,
    options: { readonly engine?: KnnEngine | 'auto' } = {},
  ) {
    if (!(cols > 0)) throw new RangeError(`kNN index: cols must be positive, got ${cols}`);
    this.rows = Math.floor(data.length / cols);
    this.norms = rowNorms(data, cols);
    this.scorer = createScorer(data, cols, this.norms, { queryBlock: QUERY_BLOCK, dataBlock: DATA_BLOCK }, options.engine);
  }

  /** The engine computing the scores. */
  get engine(): KnnEngine {
    return this.scorer.engine;
  }

  /**
   * Exact top-k of each query (row-major, `cols` wide) among the data rows, best first; scores and ties as
   * `referenceTopK` (the scan is float32, the kept candidates are rescored in float64 and sorted, lower row first on ties).
   */
  async search(queries: Float32Array, k: number, metric: Metric, options: KnnSearchOptions = {}): Promise<KnnGraph> {
    const { cols, rows, scorer } = this;
    const count = Math.floor(queries.length / cols);
    const graph = emptyGraph(count, k);
    const pacer = new Pacer(count * rows, options.signal, options.onProgress, 'nearest neighbours');
    if (k <= 0 || rows === 0) {
      pacer.finish();
      return graph;
    }
    const keep = k + EXTRA_CANDIDATES;
    const list = new CandidateLists(QUERY_BLOCK, keep);
    for (let from = 0; from < count; from += QUERY_BLOCK) {
      const block = Math.min(QUERY_BLOCK, count - from);
      scorer.stageQueries(queries, from, block, metric);
      list.reset();
      for (let rowFrom = 0; rowFrom < rows; rowFrom += DATA_BLOCK) {
        const width = Math.min(DATA_BLOCK, rows - rowFrom);
        scorer.score(rowFrom, width, metric);
        if (options.exclude) {
          const scores = scorer.scores();
          for (let q = 0; q < block; q++) {
            const skip = (options.exclude[from + q] as number) - rowFrom;
            if (skip >= 0 && skip < width) scores[q * DATA_BLOCK + skip] = -Infinity;
          }
        }
        const scores = scorer.scores();
        const hits = scorer.hits();
        for (let q = 0; q < block; q++) {
          const base = q * DATA_BLOCK;
          let threshold = list.threshold(q);
          if (threshold === -Infinity) {
            // The list is still filling (first block): scan here, raising the bar as it fills, instead of
            // collecting every position above -Infinity first.
            for (let j = 0; j < width; j++) {
              const score = scores[base + j] as number;
              if (score > threshold) {
                list.insert(q, score, rowFrom + j);
                threshold = list.threshold(q);
              }
            }
            continue;
          }
          const found = scorer.above(q, width, threshold);
          for (let h = 0; h < found; h++) {
            const j = hits[h] as number;
            list.insert(q, scores[base + j] as number, rowFrom + j);
          }
        }
        await pacer.step(block * width);
      }
      for (let q = 0; q < block; q++) {
        const found = list.rows.subarray(q * keep, q * keep + (list.filled[q] as number));
        writeRescored(this.data, cols, this.norms, queries, (from + q) * cols, found, found.length, metric, graph, from + q);
      }
    }
    pacer.finish();
    return graph;
  }

  /** Exact top-k of one query vector (`cols` values), synchronously; `exclude` is a data row to leave out, or -1. */
  searchOne(query: Float32Array, k: number, metric: Metric, exclude = -1): KnnGraph {
    const graph = emptyGraph(1, k);
    if (k <= 0 || this.rows === 0) return graph;
    const scores = this.scorer.scoreOne(query, metric);
    const list = new CandidateLists(1, k + EXTRA_CANDIDATES);
    let threshold = -Infinity;
    for (let row = 0; row < this.rows; row++) {
      const score = scores[row] as number;
      if (score > threshold && row !== exclude) {
        list.insert(0, score, row);
        threshold = list.threshold(0);
      }
    }
    writeRescored(this.data, this.cols, this.norms, query, 0, list.rows, list.filled[0] as number, metric, graph, 0);
    return graph;
  }
}

/**
 * Rescores `count` candidate rows of one query in float64 exactly as `referenceTopK` does, sorts them (best first,
 * lower row first on ties) and writes the best `graph.k` to row `out` of `graph`.
 */
export function writeRescored(
  data: Float32Array,
  cols: number,
  norms: Float64Array,
  query: Float32Array,
  queryAt: number,
  candidates: Int32Array,
  count: number,
  metric: Metric,
  graph: KnnGraph,
  out: number,
): void {
  let queryNorm = 0;
  for (let c = 0; c < cols; c++) queryNorm += (query[queryAt + c] as number) ** 2;
  queryNorm = Math.sqrt(queryNorm);
  const rescored: { row: number; score: number }[] = [];
  for (let i = 0; i < count; i++) {
    const row = candidates[i] as number;
    let dot = 0;
    let distance = 0;
    const at = row * cols;
    for (let c = 0; c < cols; c++) {
      const x = data[at + c] as number;
      const y = query[queryAt + c] as number;
      dot += x * y;
      distance += (x - y) * (x - y);
    }
    const norm = norms[row] as number;
    const score =
      metric === 'dot' ? dot : metric === 'euclidean' ? Math.sqrt(distance) : queryNorm === 0 || norm === 0 ? 0 : dot / (queryNorm * norm);
    rescored.push({ row, score });
  }
  const sign = metric === 'euclidean' ? 1 : -1;
  rescored.sort((a, b) => sign * (a.score - b.score) || a.row - b.row);
  const k = graph.k;
  for (let i = 0; i < Math.min(k, rescored.length); i++) {
    const entry = rescored[i] as { row: number; score: number };
    graph.indices[out * k + i] = entry.row;
    graph.scores[out * k + i] = entry.score;
  }
}

/** A graph of `count` queries with every slot empty (-1, NaN). */
export function emptyGraph(count: number, k: number): KnnGraph {
  const size = count * Math.max(k, 0);
  return { queries: count, k: Math.max(k, 0), indices: new Int32Array(size).fill(-1), scores: new Float32Array(size).fill(NaN) };
}

/** For each query of a block, the best `keep` (score, row) pairs seen so far, sorted by score descending. */
class CandidateLists {
  readonly scores: Float64Array;
  readonly rows: Int32Array;
  readonly filled: Int32Array;

  constructor(
    count: number,
    readonly keep: number,
  ) {
    this.scores = new Float64Array(count * keep);
    this.rows = new Int32Array(count * keep);
    this.filled = new Int32Array(count);
  }

  reset(): void {
    this.filled.fill(0);
  }

  /** The score a candidate must beat to enter query q's list (-Infinity until it is full). */
  threshold(q: number): number {
    return this.filled[q] === this.keep ? (this.scores[q * this.keep + this.keep - 1] as number) : -Infinity;
  }

  /** Inserts (score, row) when it beats the list's worst; an equal score keeps the earlier (lower) row ahead. */
  insert(q: number, score: number, row: number): void {
    const { keep, scores, rows } = this;
    const base = q * keep;
    let slot = this.filled[q] as number;
    if (slot === keep) {
      if (!(score > (scores[base + keep - 1] as number))) return;
      slot = keep - 1;
    } else {
      this.filled[q] = slot + 1;
    }
    while (slot > 0 && score > (scores[base + slot - 1] as number)) {
      scores[base + slot] = scores[base + slot - 1] as number;
      rows[base + slot] = rows[base + slot - 1] as number;
      slot--;
    }
    scores[base + slot] = score;
    rows[base + slot] = row;
  }
}

/**
 * Indexes already built, keyed by the data's backing buffer (dropped with it) and the view's place in it, so fresh
 * views of the same rows (`data.subarray(0, n)` per call) reuse one index.
 */
const cache = new WeakMap<ArrayBufferLike, Map<string, KnnIndex>>();

/**
 * The cached index of `data` (rows × cols), built on first use. The values must not be modified afterwards: the
 * index holds their norms (and, with the wasm engine, a packed copy).
 */
export function knnIndexFor(data: Float32Array, cols: number): KnnIndex {
  let views = cache.get(data.buffer);
  if (!views) {
    views = new Map();
    cache.set(data.buffer, views);
  }
  const key = `${data.byteOffset}:${data.length}:${cols}`;
  let index = views.get(key);
  if (!index) {
    index = new KnnIndex(data, cols);
    views.set(key, index);
  }
  return index;
}

/** Drops the cached indexes over `data`'s buffer: call it after changing the values in place (e.g. during training). */
export function forgetKnnIndex(data: Float32Array): void {
  cache.delete(data.buffer);
}
