import type { Metric } from '../neighbors';
import type { WasmMemory } from '../wasm/wasm-module';
import type { KnnEngine } from './knn-scorers';
import type { KnnKernels } from './knn-wasm';
import { instantiateKernels, layoutRegions } from './knn-wasm';

/** Pairs scored per batch: 65536 pairs are 512 KiB of indices and 256 KiB of scores, small beside the data. */
export const PAIR_BATCH = 65536;
/** Row width is padded to whole 8-float steps of the `pairDots` kernel. */
const DIM_STEP = 8;

/**
 * Scores batches of (row, row) pairs of one matrix, higher is nearer: the distance evaluations of NN-descent. The
 * rows are copied once (normalised for cosine, so a pair's score is its cosine; euclidean scores are −‖x − y‖²/2).
 * One extra row, `rows`, is a scratch vector (`setScratch`) whose raw dot products with data rows (`dots`) give the
 * random-projection trees their hyperplane sides.
 */
export class PairScorer {
  /** Fill `pairs()[2p], pairs()[2p+1]` for p < count, then call `score(count)` or `dots(count)`. */
  readonly pairs: () => Int32Array;
  private readonly halfSquare: Float32Array;
  private readonly width: number;

  private constructor(
    readonly engine: KnnEngine,
    readonly rows: number,
    private readonly cols: number,
    private readonly metric: Metric,
    private readonly copy: Float32Array,
    private readonly out: () => Float32Array,
    pairs: () => Int32Array,
    private readonly run: (count: number) => void,
  ) {
    this.pairs = pairs;
    this.width = Math.ceil(cols / DIM_STEP) * DIM_STEP;
    this.halfSquare = new Float32Array(rows);
    if (metric === 'euclidean') {
      for (let row = 0; row < rows; row++) {
        let sum = 0;
        for (let c = 0; c < cols; c++) sum += (copy[row * this.width + c] as number) ** 2;
        this.halfSquare[row] = sum / 2;
      }
    }
  }

  /** A scorer over `data` (rows × cols): wasm unless `engine` says 'js' or WebAssembly SIMD is missing. */
  static create(data: Float32Array, cols: number, metric: Metric, engine: KnnEngine | 'auto' = 'auto'): PairScorer {
    const rows = Math.floor(data.length / cols);
    const width = Math.ceil(cols / DIM_STEP) * DIM_STEP;
    const instance =
      engine === 'js'
        ? null
        : (() => {
            const { at, bytes } = layoutRegions([
              ['data', (rows + 1) * width * 4],
              ['pairs', PAIR_BATCH * 8],
              ['out', PAIR_BATCH * 4],
            ]);
            const made = instantiateKernels(bytes);
            return made && { ...made, at };
          })();
    if (!instance && engine === 'wasm')
      throw new Error('the wasm kNN engine cannot run here (no WebAssembly SIMD, or the matrix is over 4 GiB)');
    const memory: WasmMemory = instance ? instance.memory : { buffer: new ArrayBuffer(0) };
    const copy = instance ? new Float32Array(memory.buffer, instance.at.data, (rows + 1) * width) : new Float32Array((rows + 1) * width);
    for (let row = 0; row < rows; row++) {
      let scale = 1;
      if (metric === 'cosine') {
        let sum = 0;
        for (let c = 0; c < cols; c++) sum += (data[row * cols + c] as number) ** 2;
        scale = sum === 0 ? 0 : 1 / Math.sqrt(sum);
      }
      for (let c = 0; c < cols; c++) copy[row * width + c] = (data[row * cols + c] as number) * scale;
    }
    if (instance) {
      const { kernels, at } = instance;
      const k: KnnKernels = kernels;
      return new PairScorer(
        'wasm',
        rows,
        cols,
        metric,
        copy,
        () => new Float32Array(memory.buffer, at.out, PAIR_BATCH),
        () => new Int32Array(memory.buffer, at.pairs, 2 * PAIR_BATCH),
        (count) => k.pairDots(at.data, width * 4, at.pairs, count, at.out),
      );
    }
    const pairs = new Int32Array(2 * PAIR_BATCH);
    const out = new Float32Array(PAIR_BATCH);
    return new PairScorer(
      'js',
      rows,
      cols,
      metric,
      copy,
      () => out,
      () => pairs,
      (count) => {
        for (let p = 0; p < count; p++) {
          const a = (pairs[2 * p] as number) * width;
          const b = (pairs[2 * p + 1] as number) * width;
          let sum = 0;
          for (let c = 0; c < cols; c++) sum += (copy[a + c] as number) * (copy[b + c] as number);
          out[p] = sum;
        }
      },
    );
  }

  /** Puts `vector` (cols values) in the scratch row, whose index is `rows`. */
  setScratch(vector: Float64Array): void {
    const at = this.rows * this.width;
    for (let c = 0; c < this.cols; c++) this.copy[at + c] = vector[c] as number;
  }

  /** A row of the scorer's copy (normalised for cosine), as a view. */
  row(index: number): Float32Array {
    return this.copy.subarray(index * this.width, index * this.width + this.cols);
  }

  /** Raw dot products of the first `count` pairs (on the copy). */
  dots(count: number): Float32Array {
    this.run(count);
    return this.out();
  }

  /** Scores of the first `count` pairs, higher is nearer. */
  score(count: number): Float32Array {
    this.run(count);
    const out = this.out();
    if (this.metric === 'euclidean') {
      const pairs = this.pairs();
      const half = this.halfSquare;
      for (let p = 0; p < count; p++)
        out[p] = (out[p] as number) - (half[pairs[2 * p] as number] as number) - (half[pairs[2 * p + 1] as number] as number);
    }
    return out;
  }
}
