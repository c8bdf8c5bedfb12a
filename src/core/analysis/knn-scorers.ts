import type { Metric } from '../neighbors';
import type { WasmMemory } from '../wasm/wasm-module';
import type { KnnKernels } from './knn-wasm';
import { instantiateKernels, layoutRegions } from './knn-wasm';

/** Which code computes the scores: the WebAssembly SIMD kernels or plain JavaScript (the fallback). */
export type KnnEngine = 'wasm' | 'js';

/**
 * Scores blocks of queries against blocks of a fixed data matrix, the inner step of the blocked exact top-k.
 * Every metric becomes "higher is better" here: dot → q·x; cosine → q·x/‖x‖ (the query's own norm is a constant per
 * query and does not change its ranking); euclidean → q·x − ‖x‖²/2 (= (‖q‖² − ‖q − x‖²)/2, same order as −distance).
 */
export interface BlockScorer {
  readonly engine: KnnEngine;
  /** Data rows. */
  readonly rows: number;
  /** Queries one block holds (the most `stageQueries` takes). */
  readonly queryBlock: number;
  /** Data rows one `score` call covers at most; a multiple of 8. Also the scores' row stride. */
  readonly dataBlock: number;
  /** Copies queries `from..from+count` (row-major, `cols` wide) into the block. */
  stageQueries(queries: Float32Array, from: number, count: number, metric: Metric): void;
  /** Scores the staged queries against data rows `rowFrom..rowFrom+count` (`rowFrom` a multiple of 8). */
  score(rowFrom: number, count: number, metric: Metric): void;
  /** The scores of the last `score` call: staged query q's score for row rowFrom + j at q * dataBlock + j. */
  scores(): Float32Array;
  /** Writes to `hits()` the positions j < count of staged query q's scores above `threshold`, ascending; returns how many. */
  above(query: number, count: number, threshold: number): number;
  /** The positions `above` found. */
  hits(): Int32Array;
  /** Scores one query against every data row; the result (length ≥ rows) is valid until the next call. */
  scoreOne(query: Float32Array, metric: Metric): Float32Array;
}

/** Rows per packed panel and queries per group: the wasm kernel's 4×8 tile. */
const PANEL_ROWS = 8;
const GROUP_QUERIES = 4;
/** Data rows are padded to whole panels. */
const ROW_PADDING = PANEL_ROWS;

/** Euclidean norm of each row (float64 accumulation). */
export function rowNorms(data: Float32Array, cols: number): Float64Array {
  const rows = Math.floor(data.length / cols);
  const norms = new Float64Array(rows);
  for (let row = 0; row < rows; row++) {
    let sum = 0;
    const at = row * cols;
    for (let c = 0; c < cols; c++) sum += (data[at + c] as number) ** 2;
    norms[row] = Math.sqrt(sum);
  }
  return norms;
}

function roundUp(value: number, multiple: number): number {
  return Math.ceil(value / multiple) * multiple;
}

/** 1/‖x‖ per row (0 for a zero row, so its cosine is 0 as in `referenceTopK`) and −‖x‖²/2, from float64 norms. */
function rowFactors(norms: Float64Array): { inverse: Float32Array; halfSquare: Float32Array } {
  const inverse = new Float32Array(norms.length);
  const halfSquare = new Float32Array(norms.length);
  norms.forEach((norm, row) => {
    inverse[row] = norm === 0 ? 0 : 1 / norm;
    halfSquare[row] = -(norm * norm) / 2;
  });
  return { inverse, halfSquare };
}

/**
 * The WebAssembly scorer: the data is copied once into the instance's memory as panels of 8 rows stored dims-major,
 * with one extra dimension holding −‖x‖²/2 (the query side puts 1 there for euclidean, 0 otherwise), so one copy
 * serves all three metrics.
 */
class WasmScorer implements BlockScorer {
  readonly engine = 'wasm';
  private readonly dims: number;
  private staged = 0;

  /** Builds the scorer, or returns null when the packed copy cannot have a wasm memory (SIMD missing, over 4 GiB). */
  static create(
    data: Float32Array,
    cols: number,
    rows: number,
    norms: Float64Array,
    queryBlock: number,
    dataBlock: number,
  ): WasmScorer | null {
    const dims = cols + 1;
    const padded = roundUp(Math.max(rows, 1), ROW_PADDING);
    const { at, bytes } = layoutRegions([
      ['panels', padded * dims * 4],
      ['inverse', padded * 4],
      ['ones', padded * 4],
      ['queries', queryBlock * dims * 4],
      ['scores', queryBlock * dataBlock * 4],
      ['hits', dataBlock * 4],
      ['one', GROUP_QUERIES * padded * 4],
    ]);
    const instance = instantiateKernels(bytes);
    return instance && new WasmScorer(instance.kernels, instance.memory, at, data, cols, rows, norms, queryBlock, dataBlock);
  }

  private constructor(
    private readonly kernels: KnnKernels,
    private readonly memory: WasmMemory,
    private readonly at: Record<'panels' | 'inverse' | 'ones' | 'queries' | 'scores' | 'hits' | 'one', number>,
    data: Float32Array,
    private readonly cols: number,
    readonly rows: number,
    norms: Float64Array,
    readonly queryBlock: number,
    readonly dataBlock: number,
  ) {
    this.dims = cols + 1;
    const floats = new Float32Array(memory.buffer);
    const { inverse, halfSquare } = rowFactors(norms);
    const dims = this.dims;
    // Whole panels eight rows at a time (sequential writes: ~3× faster than row by row), then the last partial one.
    const whole = rows >> 3;
    for (let p = 0; p < whole; p++) {
      const base = this.at.panels / 4 + p * dims * PANEL_ROWS;
      const source = p * PANEL_ROWS * cols;
      for (let c = 0; c < cols; c++) {
        const out = base + c * PANEL_ROWS;
        const at = source + c;
        floats[out] = data[at] as number;
        floats[out + 1] = data[at + cols] as number;
        floats[out + 2] = data[at + 2 * cols] as number;
        floats[out + 3] = data[at + 3 * cols] as number;
        floats[out + 4] = data[at + 4 * cols] as number;
        floats[out + 5] = data[at + 5 * cols] as number;
        floats[out + 6] = data[at + 6 * cols] as number;
        floats[out + 7] = data[at + 7 * cols] as number;
      }
    }
    for (let row = whole * PANEL_ROWS; row < rows; row++) {
      const panel = this.at.panels / 4 + (row >> 3) * dims * PANEL_ROWS + (row & 7);
      for (let c = 0; c < cols; c++) floats[panel + c * PANEL_ROWS] = data[row * cols + c] as number;
    }
    for (let row = 0; row < rows; row++)
      floats[this.at.panels / 4 + (row >> 3) * dims * PANEL_ROWS + cols * PANEL_ROWS + (row & 7)] = halfSquare[row] as number;
    floats.set(inverse, this.at.inverse / 4);
    floats.fill(1, this.at.ones / 4, this.at.ones / 4 + rows);
  }

  stageQueries(queries: Float32Array, from: number, count: number, metric: Metric): void {
    const { cols, dims } = this;
    const floats = new Float32Array(this.memory.buffer, this.at.queries, roundUp(count, GROUP_QUERIES) * dims);
    floats.fill(0);
    const extra = metric === 'euclidean' ? 1 : 0;
    for (let q = 0; q < count; q++) {
      const group = ((q >> 2) * dims) << 2;
      const lane = q & 3;
      const source = (from + q) * cols;
      for (let c = 0; c < cols; c++) floats[group + c * GROUP_QUERIES + lane] = queries[source + c] as number;
      floats[group + cols * GROUP_QUERIES + lane] = extra;
    }
    this.staged = count;
  }

  score(rowFrom: number, count: number, metric: Metric): void {
    const panelBytes = this.dims * PANEL_ROWS * 4;
    this.kernels.tile4x8(
      this.at.queries,
      Math.ceil(this.staged / GROUP_QUERIES),
      this.at.panels + (rowFrom / PANEL_ROWS) * panelBytes,
      Math.ceil(count / PANEL_ROWS),
      this.dims,
      (metric === 'cosine' ? this.at.inverse : this.at.ones) + rowFrom * 4,
      this.at.scores,
      this.dataBlock * 4,
    );
  }

  scores(): Float32Array {
    return new Float32Array(this.memory.buffer, this.at.scores, this.queryBlock * this.dataBlock);
  }

  above(query: number, count: number, threshold: number): number {
    return this.kernels.above(this.at.scores + query * this.dataBlock * 4, count, threshold, this.at.hits);
  }

  hits(): Int32Array {
    return new Int32Array(this.memory.buffer, this.at.hits, this.dataBlock);
  }

  scoreOne(query: Float32Array, metric: Metric): Float32Array {
    // One query in a group of four (three zero lanes): one sequential pass over the panels streams memory faster
    // (~21 GB/s here) than a dedicated one-row kernel did (~15 GB/s), and the pass is memory-bound either way.
    this.stageQueries(query, 0, 1, metric);
    const padded = roundUp(Math.max(this.rows, 1), ROW_PADDING);
    const scale = metric === 'cosine' ? this.at.inverse : this.at.ones;
    this.kernels.tile4x8(this.at.queries, 1, this.at.panels, padded / PANEL_ROWS, this.dims, scale, this.at.one, padded * 4);
    return new Float32Array(this.memory.buffer, this.at.one, padded);
  }
}

/** The JavaScript scorer: reads the caller's matrix in place (no copy), four queries per pass over a data row. */
class JsScorer implements BlockScorer {
  readonly engine = 'js';
  private readonly inverse: Float32Array;
  private readonly halfSquare: Float32Array;
  private readonly block: Float32Array;
  private readonly found: Int32Array;
  private readonly staged: Float32Array;
  private stagedCount = 0;
  private one: Float32Array | undefined;

  constructor(
    private readonly data: Float32Array,
    private readonly cols: number,
    readonly rows: number,
    norms: Float64Array,
    readonly queryBlock: number,
    readonly dataBlock: number,
  ) {
    ({ inverse: this.inverse, halfSquare: this.halfSquare } = rowFactors(norms));
    this.block = new Float32Array(queryBlock * dataBlock);
    this.found = new Int32Array(dataBlock);
    this.staged = new Float32Array(roundUp(queryBlock, GROUP_QUERIES) * cols);
  }

  stageQueries(queries: Float32Array, from: number, count: number): void {
    this.staged.fill(0);
    this.staged.set(queries.subarray(from * this.cols, (from + count) * this.cols));
    this.stagedCount = count;
  }

  score(rowFrom: number, count: number, metric: Metric): void {
    this.scoreInto(this.staged, this.stagedCount, rowFrom, count, metric, this.block, this.dataBlock);
  }

  private scoreInto(
    queries: Float32Array,
    queryCount: number,
    rowFrom: number,
    count: number,
    metric: Metric,
    out: Float32Array,
    stride: number,
  ): void {
    const { data, cols, inverse, halfSquare } = this;
    for (let q = 0; q < queryCount; q += GROUP_QUERIES) {
      const a = q * cols;
      const b = a + cols;
      const c = b + cols;
      const d = c + cols;
      for (let j = 0; j < count; j++) {
        const row = rowFrom + j;
        const x = row * cols;
        let s0 = 0;
        let s1 = 0;
        let s2 = 0;
        let s3 = 0;
        for (let i = 0; i < cols; i++) {
          const value = data[x + i] as number;
          s0 += (queries[a + i] as number) * value;
          s1 += (queries[b + i] as number) * value;
          s2 += (queries[c + i] as number) * value;
          s3 += (queries[d + i] as number) * value;
        }
        const factor = metric === 'cosine' ? (inverse[row] as number) : 1;
        const shift = metric === 'euclidean' ? (halfSquare[row] as number) : 0;
        out[q * stride + j] = s0 * factor + shift;
        if (q + 1 < queryCount) out[(q + 1) * stride + j] = s1 * factor + shift;
        if (q + 2 < queryCount) out[(q + 2) * stride + j] = s2 * factor + shift;
        if (q + 3 < queryCount) out[(q + 3) * stride + j] = s3 * factor + shift;
      }
    }
  }

  scores(): Float32Array {
    return this.block;
  }

  above(query: number, count: number, threshold: number): number {
    const base = query * this.dataBlock;
    const block = this.block;
    let found = 0;
    for (let j = 0; j < count; j++) if ((block[base + j] as number) > threshold) this.found[found++] = j;
    return found;
  }

  hits(): Int32Array {
    return this.found;
  }

  scoreOne(query: Float32Array, metric: Metric): Float32Array {
    this.one ??= new Float32Array(this.rows);
    const padded = new Float32Array(GROUP_QUERIES * this.cols);
    padded.set(query.subarray(0, this.cols));
    this.scoreInto(padded, 1, 0, this.rows, metric, this.one, 0);
    return this.one;
  }
}

/**
 * A scorer for `data` (rows × cols, not modified afterwards): the wasm one unless `engine` says 'js', WebAssembly SIMD
 * is missing, or the packed copy would not fit in a wasm32 memory.
 */
export function createScorer(
  data: Float32Array,
  cols: number,
  norms: Float64Array,
  sizes: { queryBlock: number; dataBlock: number },
  engine: KnnEngine | 'auto' = 'auto',
): BlockScorer {
  const rows = Math.floor(data.length / cols);
  if (engine !== 'js') {
    const scorer = WasmScorer.create(data, cols, rows, norms, roundUp(sizes.queryBlock, GROUP_QUERIES), sizes.dataBlock);
    if (scorer) return scorer;
    if (engine === 'wasm') throw new Error(`the wasm kNN engine cannot run here (no WebAssembly SIMD, or ${rows}×${cols} over 4 GiB)`);
  }
  return new JsScorer(data, cols, rows, norms, sizes.queryBlock, sizes.dataBlock);
}
