import * as tf from '@tensorflow/tfjs';
import type { LayersModel, Optimizer, Tensor, Tensor1D, Tensor2D, Variable } from '@tensorflow/tfjs';
import { seededRandom } from '../analysis/seeded-random';
import { CheckpointError, throwIfAborted } from '../errors';
import type { EncodedCorpus } from './corpus';
import { capVocabulary, fillBatch, heldOutStart, makeWindows, shuffledOrder, type Batch, type Windows } from './lm-data';
import { exactNegativeLogLikelihood, sparseSoftmaxCrossEntropy } from './lm-loss';
import { buildLanguageModel, lmLogits, LM_LAYERS, type LmArchitecture } from './lm-model';
import type { TrainedEmbeddings, TrainedMatrix, TrainHooks } from './train-types';
import { nextTick, ProgressClock, weightOf } from './lm-progress';

/** Language-model training settings; every field has a default (see LM_DEFAULTS). */
export interface LmOptions {
  readonly dim?: number;
  /** Recurrent state width (default: dim). */
  readonly hidden?: number;
  readonly cell?: 'gru' | 'lstm';
  /** Tie the output projection to the Embedding matrix (Press & Wolf 2016). */
  readonly tied?: boolean;
  /** Tokens predicted per window (truncated back-propagation length). */
  readonly sequenceLength?: number;
  /**
   * Windows per step. With the sequence length it sets one step's time, so how soon a cancel lands; by default
   * it is sized from the model (defaultLmBatchSize) so a step stays near 150 ms on the wasm backend.
   */
  readonly batchSize?: number;
  readonly epochs?: number;
  /** Adam's step size. */
  readonly learningRate?: number;
  /** Rows of the softmax, `<unk>` included. */
  readonly maxVocab?: number;
  /** Tokens seen fewer times become `<unk>`. */
  readonly minCount?: number;
  /** Last fraction of the sentences held out for perplexity. */
  readonly heldOutFraction?: number;
  /** Gradients are scaled down to this global L2 norm (the usual guard against exploding RNN gradients). */
  readonly clipNorm?: number;
  readonly seed?: number;
}

/**
 * Defaults: a small model that trains in minutes on a million tokens with the wasm backend. 35 steps and Adam at
 * 2e-3 follow common small-LM practice (Zaremba et al. 2014 unroll 35); clip 5 is the PyTorch word-LM example's.
 */
export const LM_DEFAULTS: Required<Omit<LmOptions, 'hidden' | 'batchSize'>> = {
  dim: 64,
  cell: 'gru',
  tied: false,
  sequenceLength: 35,
  epochs: 1,
  learningRate: 0.002,
  maxVocab: 10_000,
  minCount: 1,
  heldOutFraction: 0.05,
  clipNorm: 5,
  seed: 1,
};

/** A trained language model: the embeddings (U; V when untied), the live model, and perplexity per epoch. */
export interface LanguageModelResult extends TrainedEmbeddings {
  /** The tfjs model; the caller owns it (save it with saveLayersModel, then `model.dispose()`). */
  readonly model: LayersModel;
  readonly architecture: LmArchitecture;
  /** Held-out perplexity after each epoch. */
  readonly perplexityPerEpoch: readonly number[];
}

/**
 * Arithmetic of one step we aim for: 1.5 GFLOP is ~65 ms of wasm matMul (23 GFLOP/s, measured) plus as much again
 * for the softmax passes and Adam, so a step stays near 150 ms and a cancel lands within 200 ms.
 */
const STEP_FLOPS = 1.5e9;
/** Most windows per step whatever the model: beyond this, small models gain nothing but latency. */
const MAX_WINDOWS_PER_STEP = 64;

/**
 * Windows per step for a model: STEP_FLOPS over the forward and backward multiply-adds per token (output layer
 * 6·V·d, recurrent cell 6·gates·h·(d + h), projection 6·h·d), at least 1. Depends on the model only, not on the
 * machine, so a seeded run gives the same result everywhere.
 */
export function defaultLmBatchSize(arch: Pick<LmArchitecture, 'vocabSize' | 'dim' | 'hidden' | 'cell'>, sequenceLength: number): number {
  const gates = arch.cell === 'gru' ? 3 : 4;
  const perToken =
    6 * arch.vocabSize * arch.dim +
    6 * gates * arch.hidden * (arch.dim + arch.hidden) +
    (arch.hidden !== arch.dim ? 6 * arch.hidden * arch.dim : 0);
  return Math.max(1, Math.min(MAX_WINDOWS_PER_STEP, Math.floor(STEP_FLOPS / (perToken * sequenceLength))));
}

/** Scales gradients so their global L2 norm is at most `clipNorm`. */
function clipByGlobalNorm(grads: Record<string, Tensor>, clipNorm: number): Record<string, Tensor> {
  const list = Object.values(grads);
  const norm = tf.sqrt(tf.addN(list.map((g) => tf.sum(tf.square(g)))));
  const scale = tf.div(clipNorm, tf.maximum(norm, clipNorm));
  return Object.fromEntries(Object.entries(grads).map(([name, g]) => [name, tf.mul(g, scale)]));
}

interface Trainer {
  readonly model: LayersModel;
  readonly architecture: LmArchitecture;
  readonly optimizer: Optimizer;
  readonly variables: Variable[];
  readonly vocab: number;
  readonly sequenceLength: number;
  readonly clipNorm: number;
}

function batchTensors(batch: Batch, sequenceLength: number): { x: Tensor2D; y: Tensor1D; w: Tensor1D } {
  return {
    x: tf.tensor2d(batch.inputs, [batch.rows, sequenceLength], 'int32'),
    y: tf.tensor1d(batch.targets, 'int32'),
    w: tf.tensor1d(batch.weights, 'float32'),
  };
}

/** One Adam step on a batch; returns the batch's mean loss. */
function trainStep(trainer: Trainer, batch: Batch): number {
  return tf.tidy(() => {
    const { x, y, w } = batchTensors(batch, trainer.sequenceLength);
    const { value, grads } = tf.variableGrads(() => {
      const logits = lmLogits(trainer.model, trainer.architecture, x, true);
      return sparseSoftmaxCrossEntropy(logits.reshape([-1, trainer.vocab]), y, w);
    }, trainer.variables);
    trainer.optimizer.applyGradients(clipByGlobalNorm(grads, trainer.clipNorm));
    return value.dataSync()[0] as number;
  });
}

/** Mean exact cross-entropy (nats per token) on the held-out windows. */
async function heldOutCrossEntropy(
  trainer: Trainer,
  ids: Int32Array,
  windows: Windows,
  batchSize: number,
  onEvaluated: (targets: number) => void,
  signal?: AbortSignal,
): Promise<number> {
  const order = Int32Array.from({ length: windows.starts.length }, (_, i) => i);
  let total = 0;
  let evaluated = 0;
  for (let from = 0; from < order.length; from += batchSize) {
    const batch = fillBatch(ids, windows, order, from, Math.min(batchSize, order.length - from), trainer.sequenceLength);
    total += tf.tidy(() => {
      const { x, y, w } = batchTensors(batch, trainer.sequenceLength);
      const logits = lmLogits(trainer.model, trainer.architecture, x, false);
      return exactNegativeLogLikelihood(logits.reshape([-1, trainer.vocab]) as Tensor2D, y, w).dataSync()[0] as number;
    });
    evaluated += batch.count;
    onEvaluated(evaluated);
    await nextTick();
    throwIfAborted(signal, 'language model training');
  }
  return total / Math.max(windows.targets, 1);
}

function resolveOptions(options: LmOptions, vocabSize: number): Required<LmOptions> {
  const o = { ...LM_DEFAULTS, ...options };
  const hidden = options.hidden ?? o.dim;
  const batchSize = options.batchSize ?? defaultLmBatchSize({ vocabSize, dim: o.dim, hidden, cell: o.cell }, o.sequenceLength);
  for (const [key, value] of Object.entries({ dim: o.dim, hidden, sequenceLength: o.sequenceLength, batchSize, epochs: o.epochs })) {
    if (!Number.isInteger(value) || value < 1)
      throw new CheckpointError('unsupported', `${key}: expected a positive integer, found ${value}`);
  }
  if (!(o.heldOutFraction > 0 && o.heldOutFraction < 1)) {
    throw new CheckpointError('unsupported', `heldOutFraction: expected a number between 0 and 1, found ${o.heldOutFraction}`);
  }
  return { ...o, hidden, batchSize };
}

/**
 * Trains a next-token GRU/LSTM language model on a corpus (Adam, seeded, windows shuffled every epoch) and reports
 * held-out perplexity after each epoch. Progress goes to `hooks.onProgress` at least once a second; a cancel is
 * checked between steps. Returns U (the Embedding), V (the untied output projection as rows = vocabulary, i.e.
 * the Dense kernel [d, V] transposed; null when tied) and the live model.
 */
export async function trainLanguageModel(
  corpus: EncodedCorpus,
  options: LmOptions = {},
  hooks: TrainHooks = {},
): Promise<LanguageModelResult> {
  const what = 'language model training';
  throwIfAborted(hooks.signal, what);
  const maxVocab = options.maxVocab ?? LM_DEFAULTS.maxVocab;
  const capped = capVocabulary(corpus, maxVocab, options.minCount ?? LM_DEFAULTS.minCount);
  const o = resolveOptions(options, capped.vocab.tokens.length);
  const sentences = capped.sentenceEnds.length;
  const split = heldOutStart(sentences, o.heldOutFraction);
  const training = makeWindows(capped, 0, split, o.sequenceLength);
  const heldOut = makeWindows(capped, split, sentences, o.sequenceLength);
  if (training.targets === 0 || heldOut.targets === 0) {
    throw new CheckpointError(
      'empty',
      `corpus: expected sentences of 2 or more tokens on both sides of the held-out split, found none on one side`,
    );
  }
  const architecture: LmArchitecture = {
    vocabSize: capped.vocab.tokens.length,
    dim: o.dim,
    hidden: o.hidden,
    cell: o.cell,
    tied: o.tied,
    seed: o.seed,
  };
  const model = buildLanguageModel(architecture);
  const optimizer = tf.train.adam(o.learningRate);
  const trainer: Trainer = {
    model,
    architecture,
    optimizer,
    variables: model.trainableWeights.map((weight) => weight.read() as Variable),
    vocab: architecture.vocabSize,
    sequenceLength: o.sequenceLength,
    clipNorm: o.clipNorm,
  };
  const random = seededRandom(o.seed);
  const clock = new ProgressClock(hooks, o.epochs, training.targets, heldOut.targets);
  const lossPerEpoch: number[] = [];
  const perplexityPerEpoch: number[] = [];
  let order: Int32Array | undefined;
  try {
    for (let epoch = 1; epoch <= o.epochs; epoch++) {
      order = shuffledOrder(training.starts.length, random, order);
      let epochLoss = 0;
      let epochTargets = 0;
      const onEvaluated = (targets: number): void => clock.evaluating(epoch, targets, o.learningRate);
      for (let from = 0; from < order.length; from += o.batchSize) {
        const batch = fillBatch(capped.ids, training, order, from, Math.min(o.batchSize, order.length - from), o.sequenceLength);
        const loss = trainStep(trainer, batch);
        epochLoss += loss * batch.count;
        epochTargets += batch.count;
        clock.step(epoch, epochTargets, loss, batch.count, o.learningRate);
        await nextTick();
        throwIfAborted(hooks.signal, what);
      }
      lossPerEpoch.push(epochLoss / Math.max(epochTargets, 1));
      // Twice the windows of a training step: a forward pass alone costs about a third of a step.
      const crossEntropy = await heldOutCrossEntropy(trainer, capped.ids, heldOut, o.batchSize * 2, onEvaluated, hooks.signal);
      perplexityPerEpoch.push(Math.exp(crossEntropy));
      clock.epochEnd(epoch, o.learningRate);
    }
  } catch (error) {
    model.dispose();
    throw error;
  } finally {
    optimizer.dispose();
  }
  const input = weightOf(model, LM_LAYERS.embedding, 0, 'U');
  const head = o.tied ? undefined : weightOf(model, LM_LAYERS.untiedOutput, 0, 'V', true);
  const bias = weightOf(model, o.tied ? LM_LAYERS.outputBias : LM_LAYERS.untiedOutput, o.tied ? 0 : 1, 'output_bias');
  const finalPerplexity = perplexityPerEpoch[perplexityPerEpoch.length - 1] as number;
  return {
    vocab: capped.vocab,
    input,
    output: head ?? null,
    tied: o.tied,
    extras: [{ ...bias, rows: bias.data.length, cols: 1 } satisfies TrainedMatrix],
    loss: lossPerEpoch[lossPerEpoch.length - 1] ?? null,
    lossPerEpoch,
    tokensProcessed: training.targets * o.epochs,
    metrics: {
      heldOutPerplexity: finalPerplexity,
      heldOutCrossEntropy: Math.log(finalPerplexity),
      heldOutTokens: heldOut.targets,
      trainTokensPerEpoch: training.targets,
      batchSize: o.batchSize,
      parameters: model.countParams(),
      unknownTokenRate: capped.unknownTokens / Math.max(capped.ids.length, 1),
    },
    model,
    architecture,
    perplexityPerEpoch,
  };
}
