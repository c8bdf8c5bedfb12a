import { seededRandom } from '../analysis/seeded-random';
import type { TrainedMatrix } from './train-types';

/**
 * Entries in one batch handed to the kernel: 64 KiB of entries, a millisecond or so of work, so progress and cancel
 * checks between batches cost nothing measurable.
 */
export const BATCH_ENTRIES = 4096;

/** Bytes of one batch entry: i32 word row, i32 context row, f32 log X, f32 weight f(X). */
export const ENTRY_BYTES = 16;

/**
 * Where GloVe's parameters live in one float32 buffer (a WebAssembly memory or a plain buffer). Each row, of the
 * word block (W and its biases) and of the context block (W̃ and theirs), holds
 * [vector: pdim][AdaGrad sums: pdim][bias][bias AdaGrad sum][2 unused] — one contiguous stretch per row, so a step
 * touches two stretches of memory, as glove.c's interleaved (vector, bias) rows do. Batches follow the two blocks,
 * one per thread. glove-kernels.wat reads the same layout.
 */
export interface GloveLayout {
  readonly vocabSize: number;
  readonly dim: number;
  /** dim rounded up to 4 (one SIMD lane group); the padding lanes hold 0. */
  readonly pdim: number;
  /** Floats per row: 2·pdim + 4. */
  readonly rowFloats: number;
  /** Byte offsets of the word and context blocks. */
  readonly wordsAt: number;
  readonly contextsAt: number;
  /** Byte offset of thread t's batch: batchesAt + t·BATCH_ENTRIES·ENTRY_BYTES. */
  readonly batchesAt: number;
  readonly threads: number;
  /** Bytes the whole layout needs. */
  readonly bytes: number;
}

/** The layout for `vocabSize` rows of `dim` with room for `threads` batches. */
export function gloveLayout(vocabSize: number, dim: number, threads: number): GloveLayout {
  const pdim = Math.ceil(dim / 4) * 4;
  const rowFloats = 2 * pdim + 4;
  const blockBytes = vocabSize * rowFloats * 4;
  const batchesAt = 2 * blockBytes;
  return {
    vocabSize,
    dim,
    pdim,
    rowFloats,
    wordsAt: 0,
    contextsAt: blockBytes,
    batchesAt,
    threads,
    bytes: batchesAt + threads * BATCH_ENTRIES * ENTRY_BYTES,
  };
}

/** Byte offset of thread t's batch. */
export function batchAt(layout: GloveLayout, thread: number): number {
  return layout.batchesAt + thread * BATCH_ENTRIES * ENTRY_BYTES;
}

/**
 * Starting values as glove.c: every vector component and bias uniform in (−0.5/dim, 0.5/dim), every AdaGrad sum 1
 * (so the first step's rate is the learning rate itself). Seeded: the same seed gives the same start.
 */
export function initializeGlove(memory: Float32Array, layout: GloveLayout, seed: number): void {
  const { vocabSize, dim, pdim, rowFloats } = layout;
  const random = seededRandom(seed);
  for (const blockAt of [layout.wordsAt, layout.contextsAt]) {
    for (let row = 0; row < vocabSize; row++) {
      const at = blockAt / 4 + row * rowFloats;
      for (let c = 0; c < pdim; c++) {
        memory[at + c] = c < dim ? (random() - 0.5) / dim : 0;
        memory[at + pdim + c] = 1;
      }
      memory[at + 2 * pdim] = (random() - 0.5) / dim;
      memory[at + 2 * pdim + 1] = 1;
      memory[at + 2 * pdim + 2] = 0;
      memory[at + 2 * pdim + 3] = 0;
    }
  }
}

/** The vectors (vocabSize × dim) of the word block ('words') or the context block ('contexts'). */
export function readVectors(memory: Float32Array, layout: GloveLayout, block: 'words' | 'contexts'): Float32Array {
  const { vocabSize, dim, rowFloats } = layout;
  const base = (block === 'words' ? layout.wordsAt : layout.contextsAt) / 4;
  const out = new Float32Array(vocabSize * dim);
  for (let row = 0; row < vocabSize; row++) out.set(memory.subarray(base + row * rowFloats, base + row * rowFloats + dim), row * dim);
  return out;
}

/** The biases (one per row) of a block. */
export function readBiases(memory: Float32Array, layout: GloveLayout, block: 'words' | 'contexts'): Float32Array {
  const { vocabSize, pdim, rowFloats } = layout;
  const base = (block === 'words' ? layout.wordsAt : layout.contextsAt) / 4 + 2 * pdim;
  return Float32Array.from({ length: vocabSize }, (_, row) => memory[base + row * rowFloats] as number);
}

/**
 * GloVe's outputs as named matrices: W ('U', the word vectors), W̃ ('V', the context vectors), their biases
 * ('U_bias', 'V_bias', rows × 1) and W + W̃ ('U_plus_V', what glove.c saves by default, -model 2).
 */
export function gloveMatrices(
  memory: Float32Array,
  layout: GloveLayout,
): { input: TrainedMatrix; output: TrainedMatrix; extras: TrainedMatrix[] } {
  const { vocabSize: rows, dim: cols } = layout;
  const words = readVectors(memory, layout, 'words');
  const contexts = readVectors(memory, layout, 'contexts');
  const sum = new Float32Array(words.length);
  for (let k = 0; k < sum.length; k++) sum[k] = (words[k] as number) + (contexts[k] as number);
  return {
    input: { name: 'U', data: words, rows, cols },
    output: { name: 'V', data: contexts, rows, cols },
    extras: [
      { name: 'U_bias', data: readBiases(memory, layout, 'words'), rows, cols: 1 },
      { name: 'V_bias', data: readBiases(memory, layout, 'contexts'), rows, cols: 1 },
      { name: 'U_plus_V', data: sum, rows, cols },
    ],
  };
}
