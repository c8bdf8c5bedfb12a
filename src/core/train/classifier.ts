import * as tf from '@tensorflow/tfjs';
import type { LayersModel, Optimizer, Tensor, Variable } from '@tensorflow/tfjs';
import { seededRandom, type Random } from '../analysis/seeded-random';
import { CheckpointError, throwIfAborted } from '../errors';
import type { LabelledCorpus } from './classifier-corpus';
import { shuffledOrder } from './lm-data';
import { nextTick, ProgressClock, weightOf } from './lm-progress';
import type { TrainedEmbeddings, TrainHooks } from './train-types';

/** Classifier training settings; every field has a default (CLASSIFIER_DEFAULTS). */
export interface ClassifierOptions {
  readonly dim?: number;
  readonly epochs?: number;
  /** Documents per step (all of one length: batches are cut from length buckets, so no padding is averaged in). */
  readonly batchSize?: number;
  /** Adam's step size. */
  readonly learningRate?: number;
  /** Fraction of the documents, drawn at random (seeded), held out for accuracy. */
  readonly heldOutFraction?: number;
  readonly seed?: number;
}

/** Defaults: a Keras-tutorial-sized model (d 64, Adam); on WordNet glosses held-out accuracy peaks at epoch 2, then it overfits. */
export const CLASSIFIER_DEFAULTS: Required<ClassifierOptions> = {
  dim: 64,
  epochs: 2,
  batchSize: 64,
  learningRate: 0.005,
  heldOutFraction: 0.1,
  seed: 1,
};

/** Layer names of the classifier: U is `token_embedding/embeddings`, the label head is `label_head`. */
export const CLASSIFIER_LAYERS = { embedding: 'token_embedding', pooling: 'average', head: 'label_head' } as const;

/** Half-width of the uniform embedding initialisation (Keras' default for Embedding). */
const EMBEDDING_INIT = 0.05;
/** Probability floor under the log of the loss (float32's smallest normal number). */
const MIN_PROBABILITY = 1.1754944e-38;

/** A trained classifier: its embedding (U), label head as extras, the live model and the label names. */
export interface ClassifierResult extends TrainedEmbeddings {
  /** The tfjs model (softmax probabilities over `labels`); the caller owns it. */
  readonly model: LayersModel;
  readonly labels: readonly string[];
  /** Held-out accuracy after each epoch. */
  readonly accuracyPerEpoch: readonly number[];
}

/** Embedding(V, d) → GlobalAveragePooling1D → Dense(classes, softmax): the Keras text-classification recipe. */
export function buildClassifier(vocabSize: number, dim: number, classes: number, seed: number): LayersModel {
  const input = tf.input({ shape: [null], dtype: 'int32', name: 'tokens' });
  const embedded = tf.layers
    .embedding({
      inputDim: vocabSize,
      outputDim: dim,
      name: CLASSIFIER_LAYERS.embedding,
      embeddingsInitializer: tf.initializers.randomUniform({ minval: -EMBEDDING_INIT, maxval: EMBEDDING_INIT, seed: seed * 7919 + 1 }),
    })
    .apply(input);
  const pooled = tf.layers.globalAveragePooling1d({ name: CLASSIFIER_LAYERS.pooling }).apply(embedded);
  const head = tf.layers.dense({
    units: classes,
    activation: 'softmax',
    name: CLASSIFIER_LAYERS.head,
    kernelInitializer: tf.initializers.glorotUniform({ seed: seed * 7919 + 2 }),
  });
  return tf.model({ inputs: input, outputs: head.apply(pooled) as tf.SymbolicTensor, name: 'classifier' });
}

/** Tokens of one document. */
function documentLength(corpus: LabelledCorpus, doc: number): number {
  return (corpus.documentEnds[doc] as number) - (doc === 0 ? 0 : (corpus.documentEnds[doc - 1] as number));
}

/** Documents grouped into batches of equal length (one tensor each, no padding). */
function lengthBatches(corpus: LabelledCorpus, documents: Int32Array, batchSize: number, random: Random | undefined): Int32Array[] {
  const buckets = new Map<number, number[]>();
  for (const doc of documents) {
    const length = documentLength(corpus, doc);
    let bucket = buckets.get(length);
    if (!bucket) buckets.set(length, (bucket = []));
    bucket.push(doc);
  }
  const batches: Int32Array[] = [];
  for (const length of [...buckets.keys()].sort((a, b) => a - b)) {
    const bucket = Int32Array.from(buckets.get(length) as number[]);
    if (random) shuffledOrder(bucket.length, random, bucket);
    for (let from = 0; from < bucket.length; from += batchSize) batches.push(bucket.subarray(from, from + batchSize));
  }
  if (!random) return batches;
  const order = shuffledOrder(batches.length, random);
  return Array.from(order, (i) => batches[i] as Int32Array);
}

/** Token ids [docs × length] and labels of one equal-length batch. */
function batchArrays(corpus: LabelledCorpus, docs: Int32Array): { ids: Int32Array; labels: Int32Array; length: number } {
  const length = documentLength(corpus, docs[0] as number);
  const ids = new Int32Array(docs.length * length);
  docs.forEach((doc, r) =>
    ids.set(corpus.ids.subarray((corpus.documentEnds[doc] as number) - length, corpus.documentEnds[doc] as number), r * length),
  );
  return { ids, labels: Int32Array.from(docs, (doc) => corpus.documentLabels[doc] as number), length };
}

/** Mean −log p(label) of probabilities [docs, classes]. */
function labelLoss(probabilities: Tensor, labels: Tensor): Tensor {
  const classes = probabilities.shape[1] as number;
  const positions = tf.add(tf.mul(tf.range(0, labels.shape[0] as number, 1, 'int32'), tf.scalar(classes, 'int32')), labels);
  return tf.mean(tf.neg(tf.log(tf.maximum(tf.gather(probabilities.reshape([-1]), positions), MIN_PROBABILITY))));
}

async function accuracy(
  model: LayersModel,
  corpus: LabelledCorpus,
  batches: readonly Int32Array[],
  onEvaluated: (tokens: number) => void,
  signal?: AbortSignal,
): Promise<number> {
  let right = 0;
  let total = 0;
  let tokens = 0;
  for (const docs of batches) {
    const { ids, labels, length } = batchArrays(corpus, docs);
    const predicted = tf.tidy(
      () => tf.argMax(model.apply(tf.tensor2d(ids, [docs.length, length], 'int32')) as Tensor, 1).dataSync() as Int32Array,
    );
    predicted.forEach((label, i) => (right += label === labels[i] ? 1 : 0));
    total += docs.length;
    tokens += ids.length;
    onEvaluated(tokens);
    await nextTick();
    throwIfAborted(signal, 'classifier training');
  }
  return total > 0 ? right / total : 0;
}

/**
 * Trains the classifier by the task loss only (cross-entropy of the label; Adam, seeded), and reports held-out
 * accuracy after each epoch next to the majority-label baseline. Its embedding learns what separates the labels,
 * not what words mean: see classifier-probe.ts for the measurement.
 */
export async function trainClassifier(
  corpus: LabelledCorpus,
  options: ClassifierOptions = {},
  hooks: TrainHooks = {},
): Promise<ClassifierResult> {
  const o = { ...CLASSIFIER_DEFAULTS, ...options };
  const what = 'classifier training';
  throwIfAborted(hooks.signal, what);
  const documents = corpus.documentEnds.length;
  if (documents < 2) throw new CheckpointError('empty', `labelled corpus: expected at least 2 documents, found ${documents}`);
  const random = seededRandom(o.seed);
  const order = shuffledOrder(documents, random);
  const heldOutCount = Math.min(documents - 1, Math.max(1, Math.round(documents * o.heldOutFraction)));
  const training = order.subarray(0, documents - heldOutCount);
  const heldOutBatches = lengthBatches(corpus, order.subarray(documents - heldOutCount), o.batchSize * 4, undefined);
  const labelCounts = new Float64Array(corpus.labels.length);
  for (const doc of training) {
    const label = corpus.documentLabels[doc] as number;
    labelCounts[label] = (labelCounts[label] as number) + 1;
  }
  const majority = labelCounts.indexOf(Math.max(...labelCounts));
  let majorityRight = 0;
  for (const doc of order.subarray(documents - heldOutCount)) majorityRight += corpus.documentLabels[doc] === majority ? 1 : 0;
  const trainTokens = training.reduce((sum, doc) => sum + documentLength(corpus, doc), 0);

  const model = buildClassifier(corpus.vocab.tokens.length, o.dim, corpus.labels.length, o.seed);
  const optimizer: Optimizer = tf.train.adam(o.learningRate);
  const variables = model.trainableWeights.map((weight) => weight.read() as Variable);
  const heldOutTokens = order.subarray(documents - heldOutCount).reduce((sum, doc) => sum + documentLength(corpus, doc), 0);
  const clock = new ProgressClock(hooks, o.epochs, trainTokens, heldOutTokens);
  const lossPerEpoch: number[] = [];
  const accuracyPerEpoch: number[] = [];
  try {
    for (let epoch = 1; epoch <= o.epochs; epoch++) {
      const batches = lengthBatches(corpus, training, o.batchSize, random);
      let epochLoss = 0;
      let trained = 0;
      for (const docs of batches) {
        const { ids, labels, length } = batchArrays(corpus, docs);
        const loss = tf.tidy(() => {
          const x = tf.tensor2d(ids, [docs.length, length], 'int32');
          const y = tf.tensor1d(labels, 'int32');
          const { value, grads } = tf.variableGrads(
            () => labelLoss(model.apply(x, { training: true }) as Tensor, y) as tf.Scalar,
            variables,
          );
          optimizer.applyGradients(grads);
          return value.dataSync()[0] as number;
        });
        epochLoss += loss * docs.length;
        trained += ids.length;
        clock.step(epoch, trained, loss, ids.length, o.learningRate);
        await nextTick();
        throwIfAborted(hooks.signal, what);
      }
      lossPerEpoch.push(epochLoss / training.length);
      const onEvaluated = (tokens: number): void => clock.evaluating(epoch, tokens, o.learningRate);
      accuracyPerEpoch.push(await accuracy(model, corpus, heldOutBatches, onEvaluated, hooks.signal));
      clock.epochEnd(epoch, o.learningRate);
    }
  } catch (error) {
    model.dispose();
    throw error;
  } finally {
    optimizer.dispose();
  }
  const kernel = weightOf(model, CLASSIFIER_LAYERS.head, 0, 'label_vectors', true);
  const bias = weightOf(model, CLASSIFIER_LAYERS.head, 1, 'label_bias');
  return {
    vocab: corpus.vocab,
    input: weightOf(model, CLASSIFIER_LAYERS.embedding, 0, 'U'),
    output: null,
    tied: false,
    extras: [kernel, bias],
    loss: lossPerEpoch[lossPerEpoch.length - 1] ?? null,
    lossPerEpoch,
    tokensProcessed: trainTokens * o.epochs,
    metrics: {
      heldOutAccuracy: accuracyPerEpoch[accuracyPerEpoch.length - 1] as number,
      majorityBaseline: majorityRight / heldOutCount,
      heldOutDocuments: heldOutCount,
      trainDocuments: training.length,
      classes: corpus.labels.length,
      parameters: model.countParams(),
    },
    model,
    labels: corpus.labels,
    accuracyPerEpoch,
  };
}
