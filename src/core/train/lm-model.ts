import * as tf from '@tensorflow/tfjs';
import type { LayersModel, SymbolicTensor, Tensor, Tensor3D } from '@tensorflow/tfjs';
import { fillGaussian, seededRandom } from '../analysis/seeded-random';
import { gruSequence, gruWeights } from './lm-gru';
import { OutputBias, TiedOutput } from './tied-output';

/** The shape of a language model: the only difference between the tied and the untied one is the output layer. */
export interface LmArchitecture {
  readonly vocabSize: number;
  /** Embedding width d (the columns of U, and of V). */
  readonly dim: number;
  /** Recurrent state width; when it differs from `dim`, a linear projection to `dim` precedes the output. */
  readonly hidden: number;
  readonly cell: 'gru' | 'lstm';
  /** Output logits = h · Eᵀ + b with the Embedding's own matrix E (true), or a Dense(vocab) layer (false). */
  readonly tied: boolean;
  /** Seeds the initialisers; every layer gets its own seed derived from it. */
  readonly seed: number;
}

/** Layer names, stable: our checkpoint reader pairs `token_embedding/embeddings` (U) with `lm_head/kernel` (Vᵀ). */
export const LM_LAYERS = {
  embedding: 'token_embedding',
  projection: 'projection',
  untiedOutput: 'lm_head',
  tiedOutput: 'tied_output',
  outputBias: 'output_bias',
} as const;

/** Half-width of the uniform embedding initialisation (Keras' default for Embedding). */
const EMBEDDING_INIT = 0.05;

/**
 * A seeded matrix [rows, cols] with orthonormal rows (or columns, when rows > cols), as Keras' Orthogonal
 * initialiser makes it: the QR factor of a Gaussian matrix, here by modified Gram–Schmidt in float64. tfjs's own
 * initialiser runs QR as tensor ops: about 1 s for 128 × 384 on wasm and 22 s on cpu (measured), this takes ms.
 */
export function orthogonalMatrix(rows: number, cols: number, seed: number): Float32Array {
  const [tall, short] = rows >= cols ? [rows, cols] : [cols, rows];
  // Column j of the tall × short Gaussian matrix lives at q[j * tall ...].
  const q = new Float64Array(tall * short);
  fillGaussian(q, seededRandom(seed));
  for (let j = 0; j < short; j++) {
    const column = q.subarray(j * tall, (j + 1) * tall);
    for (let k = 0; k < j; k++) {
      const previous = q.subarray(k * tall, (k + 1) * tall);
      let dot = 0;
      for (let i = 0; i < tall; i++) dot += (column[i] as number) * (previous[i] as number);
      for (let i = 0; i < tall; i++) column[i] = (column[i] as number) - dot * (previous[i] as number);
    }
    let norm = 0;
    for (let i = 0; i < tall; i++) norm += (column[i] as number) ** 2;
    const scale = 1 / Math.sqrt(norm);
    for (let i = 0; i < tall; i++) column[i] = (column[i] as number) * scale;
  }
  const out = new Float32Array(rows * cols);
  for (let j = 0; j < short; j++) {
    for (let i = 0; i < tall; i++) {
      // Tall: the columns are the matrix's columns; wide: they are its rows.
      if (rows >= cols) out[i * cols + j] = q[j * tall + i] as number;
      else out[j * cols + i] = q[j * tall + i] as number;
    }
  }
  return out;
}

/**
 * Builds Embedding(V, d) → GRU/LSTM(hidden, every step) → [Dense(d) when hidden ≠ d] → output logits [batch, time, V]:
 * TiedOutput + OutputBias when tied, Dense(V) when untied. The projection is there in both variants when
 * hidden ≠ d, so V has the width of U either way and the comparison changes one thing only.
 */
export function buildLanguageModel(arch: LmArchitecture): LayersModel {
  const seed = (offset: number): number => arch.seed * 7919 + offset;
  const input = tf.input({ shape: [null], dtype: 'int32', name: 'tokens' });
  const embedding = tf.layers.embedding({
    inputDim: arch.vocabSize,
    outputDim: arch.dim,
    name: LM_LAYERS.embedding,
    embeddingsInitializer: tf.initializers.randomUniform({ minval: -EMBEDDING_INIT, maxval: EMBEDDING_INIT, seed: seed(1) }),
  });
  const recurrentArgs = {
    units: arch.hidden,
    returnSequences: true,
    name: arch.cell,
    kernelInitializer: tf.initializers.glorotUniform({ seed: seed(2) }),
    // Orthogonal, written after the build (orthogonalMatrix); zeros only stand in.
    recurrentInitializer: 'zeros' as const,
    // The logistic sigmoid for the gates (Keras 3's default; tfjs still defaults to the hard sigmoid), which is
    // also what the fast training path lm-gru.ts computes.
    recurrentActivation: 'sigmoid' as const,
  };
  const recurrent = arch.cell === 'gru' ? tf.layers.gru(recurrentArgs) : tf.layers.lstm(recurrentArgs);
  let hidden = recurrent.apply(embedding.apply(input)) as SymbolicTensor;
  if (arch.hidden !== arch.dim) {
    const projection = tf.layers.dense({
      units: arch.dim,
      name: LM_LAYERS.projection,
      kernelInitializer: tf.initializers.glorotUniform({ seed: seed(4) }),
    });
    hidden = projection.apply(hidden) as SymbolicTensor;
  }
  let logits: SymbolicTensor;
  if (arch.tied) {
    const tied = new TiedOutput({ embedding, units: arch.vocabSize, name: LM_LAYERS.tiedOutput });
    logits = new OutputBias({ name: LM_LAYERS.outputBias }).apply(tied.apply(hidden)) as SymbolicTensor;
  } else {
    const head = tf.layers.dense({
      units: arch.vocabSize,
      name: LM_LAYERS.untiedOutput,
      kernelInitializer: tf.initializers.glorotUniform({ seed: seed(5) }),
    });
    logits = head.apply(hidden) as SymbolicTensor;
  }
  const model = tf.model({ inputs: input, outputs: logits, name: arch.tied ? 'tied_lm' : 'untied_lm' });
  const gates = arch.cell === 'gru' ? 3 : 4;
  const recurrentKernel = recurrent.weights[1];
  if (!recurrentKernel) throw new Error(`${arch.cell}: expected a recurrent kernel after the build`);
  tf.tidy(() => {
    recurrentKernel.write(tf.tensor2d(orthogonalMatrix(arch.hidden, gates * arch.hidden, seed(3)), [arch.hidden, gates * arch.hidden]));
  });
  return model;
}

/**
 * The model's logits [batch, time, vocab] for token ids [batch, time], layer by layer, with the GRU run by the
 * fast path of lm-gru.ts (same numbers as the layer, far fewer kernels); an LSTM runs as its layer.
 */
export function lmLogits(model: LayersModel, arch: LmArchitecture, tokens: Tensor, training: boolean): Tensor {
  const kwargs = { training };
  const embedded = model.getLayer(LM_LAYERS.embedding).apply(tokens, kwargs) as Tensor3D;
  const recurrent = model.getLayer(arch.cell);
  let hidden = arch.cell === 'gru' ? gruSequence(embedded, ...gruWeights(recurrent)) : (recurrent.apply(embedded, kwargs) as Tensor);
  if (arch.hidden !== arch.dim) hidden = model.getLayer(LM_LAYERS.projection).apply(hidden, kwargs) as Tensor;
  if (!arch.tied) return model.getLayer(LM_LAYERS.untiedOutput).apply(hidden, kwargs) as Tensor;
  return model.getLayer(LM_LAYERS.outputBias).apply(model.getLayer(LM_LAYERS.tiedOutput).apply(hidden, kwargs), kwargs) as Tensor;
}
