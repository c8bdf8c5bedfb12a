import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { defaultLmBatchSize, trainLanguageModel, type LmOptions } from '../../../../src/core/train/lm';
import { exactNegativeLogLikelihood, sparseSoftmaxCrossEntropy } from '../../../../src/core/train/lm-loss';
import { orthogonalMatrix } from '../../../../src/core/train/lm-model';
import type { TrainProgress } from '../../../../src/core/train/train-types';
import { selectBackend } from '../../../../src/node/tfjs-backend';
import { maxAbsDiff } from '../../helpers';
import { toyCorpus } from './toy-corpus';

const small: LmOptions = { dim: 12, hidden: 12, sequenceLength: 8, batchSize: 16, learningRate: 0.02, heldOutFraction: 0.1, seed: 3 };

describe('sparse softmax cross-entropy with its hand-written gradient', () => {
  before(() => selectBackend('wasm'));

  it('matches tfjs softmaxCrossEntropy in value and gradient, padding rows weighing nothing', () => {
    const logits = tf.randomNormal([7, 11], 0, 2, 'float32', 5) as tf.Tensor2D;
    const targets = tf.tensor1d([0, 3, 10, 4, 4, 7, 1], 'int32');
    const weights = tf.tensor1d([1, 1, 1, 0, 1, 1, 0]);
    const ours = tf.valueAndGrad((x: tf.Tensor) => sparseSoftmaxCrossEntropy(x as tf.Tensor2D, targets, weights))(logits);
    const reference = tf.valueAndGrad(
      (x: tf.Tensor) =>
        tf.div(
          tf.losses.softmaxCrossEntropy(tf.oneHot(targets, 11), x, weights, undefined, tf.Reduction.SUM),
          tf.sum(weights),
        ) as tf.Scalar,
    )(logits);
    assert.ok(Math.abs(ours.value.dataSync()[0]! - reference.value.dataSync()[0]!) < 1e-5);
    assert.ok(maxAbsDiff(ours.grad.dataSync(), reference.grad.dataSync()) < 1e-6);
    const exact = exactNegativeLogLikelihood(logits, targets, weights).dataSync()[0]!;
    assert.ok(Math.abs(exact / 5 - ours.value.dataSync()[0]!) < 1e-5, 'the exact sum over 5 real targets is 5 × the mean');
    tf.dispose([logits, targets, weights, ours.value, ours.grad, reference.value, reference.grad]);
  });
});

describe('the orthogonal recurrent initialisation', () => {
  it('has orthonormal rows (wide) or columns (tall), and depends on the seed only', () => {
    const gram = (m: Float32Array, rows: number, cols: number, byRows: boolean): number => {
      // Largest deviation of the Gram matrix of the rows (or columns) from the identity.
      const n = byRows ? rows : cols;
      let worst = 0;
      for (let a = 0; a < n; a++) {
        for (let b = 0; b < n; b++) {
          let dot = 0;
          for (let k = 0; k < (byRows ? cols : rows); k++)
            dot += byRows ? m[a * cols + k]! * m[b * cols + k]! : m[k * cols + a]! * m[k * cols + b]!;
          worst = Math.max(worst, Math.abs(dot - (a === b ? 1 : 0)));
        }
      }
      return worst;
    };
    assert.ok(gram(orthogonalMatrix(8, 24, 1), 8, 24, true) < 1e-5);
    assert.ok(gram(orthogonalMatrix(24, 8, 1), 24, 8, false) < 1e-5);
    assert.deepEqual(orthogonalMatrix(8, 24, 1), orthogonalMatrix(8, 24, 1));
    assert.notDeepEqual(orthogonalMatrix(8, 24, 1), orthogonalMatrix(8, 24, 2));
  });
});

describe('trainLanguageModel', () => {
  before(() => selectBackend('wasm'));
  const corpus = toyCorpus(300, 1);

  it('lowers held-out perplexity epoch after epoch, well under the vocabulary size, untied and tied', async () => {
    for (const tied of [false, true]) {
      const result = await trainLanguageModel(corpus, { ...small, tied, epochs: 2 });
      const [first, last] = result.perplexityPerEpoch as [number, number];
      assert.ok(last < first, `${tied ? 'tied' : 'untied'}: perplexity ${result.perplexityPerEpoch.join(' → ')} should fall`);
      assert.ok(
        last < corpus.vocab.tokens.length / 2,
        `perplexity ${last} should be far under the ${corpus.vocab.tokens.length}-word uniform guess`,
      );
      assert.ok(result.lossPerEpoch[1]! < result.lossPerEpoch[0]!);
      assert.equal(result.metrics['heldOutPerplexity'], last);
      result.model.dispose();
    }
  });

  it('returns U, and V as the Dense kernel transposed (rows = vocabulary) when untied, null when tied', async () => {
    const untied = await trainLanguageModel(corpus, { ...small, epochs: 1 });
    const rows = untied.vocab.tokens.length;
    assert.equal(untied.vocab.tokens[rows - 1], '<unk>');
    assert.deepEqual([untied.input.name, untied.input.rows, untied.input.cols], ['U', rows, 12]);
    assert.ok(untied.output);
    assert.deepEqual([untied.output.name, untied.output.rows, untied.output.cols], ['V', rows, 12]);
    const kernel = untied.model.getLayer('lm_head').getWeights()[0]!.arraySync() as number[][];
    assert.equal(untied.output.data[5 * 12 + 7], kernel[7]![5], 'V[5][7] = kernel[7][5]');
    assert.equal(untied.tied, false);
    const tied = await trainLanguageModel(corpus, { ...small, tied: true, epochs: 1 });
    assert.equal(tied.output, null);
    assert.equal(tied.tied, true);
    assert.equal(tied.metrics['parameters']! + rows * 12, untied.metrics['parameters']!, 'tying saves exactly the V × d kernel');
    untied.model.dispose();
    tied.model.dispose();
  });

  it('puts a projection to d before the output when hidden ≠ d, so V has the width of U', async () => {
    const result = await trainLanguageModel(corpus, { ...small, hidden: 20, cell: 'lstm', epochs: 1 });
    assert.equal(result.output?.cols, 12);
    assert.deepEqual(result.model.getLayer('projection').getWeights()[0]!.shape, [20, 12]);
    result.model.dispose();
  });

  it('gives the same model for the same seed', async () => {
    const a = await trainLanguageModel(corpus, { ...small, epochs: 1 });
    const b = await trainLanguageModel(corpus, { ...small, epochs: 1 });
    assert.deepEqual(a.input.data, b.input.data);
    assert.deepEqual(a.perplexityPerEpoch, b.perplexityPerEpoch);
    a.model.dispose();
    b.model.dispose();
  });

  it('keeps the tensor count flat across epochs and leaves nothing behind once the model is disposed', async () => {
    const start = tf.memory().numTensors;
    const atEpochEnd: number[] = [];
    const result = await trainLanguageModel(
      corpus,
      { ...small, epochs: 3 },
      {
        onProgress: (progress: TrainProgress) => {
          if (progress.fraction === progress.epoch / progress.epochs) atEpochEnd.push(tf.memory().numTensors);
        },
      },
    );
    assert.equal(atEpochEnd.length, 3);
    assert.equal(new Set(atEpochEnd).size, 1, `tensors at the end of each epoch: ${atEpochEnd.join(', ')}`);
    result.model.dispose();
    assert.equal(tf.memory().numTensors, start);
  });

  it('reports progress that only rises, ends at 1, and counts the held-out evaluation', async () => {
    const reports: TrainProgress[] = [];
    const result = await trainLanguageModel(corpus, { ...small, epochs: 2 }, { onProgress: (progress) => reports.push(progress) });
    const fractions = reports.map((p) => p.fraction);
    assert.deepEqual(
      fractions,
      [...fractions].sort((a, b) => a - b),
    );
    assert.equal(fractions.at(-1), 1);
    assert.ok(
      reports.some((p) => p.fraction === 0.5 && p.epoch === 1),
      'the end of epoch 1 is reported',
    );
    result.model.dispose();
  });

  it('sizes a step from the model when no batch size is given, so a big softmax gets small steps', () => {
    assert.equal(defaultLmBatchSize({ vocabSize: 10_001, dim: 64, hidden: 64, cell: 'gru' }, 35), 10);
    assert.equal(defaultLmBatchSize({ vocabSize: 10_001, dim: 128, hidden: 128, cell: 'gru' }, 35), 5);
    assert.equal(defaultLmBatchSize({ vocabSize: 16, dim: 12, hidden: 12, cell: 'lstm' }, 8), 64);
    assert.equal(defaultLmBatchSize({ vocabSize: 1_000_000, dim: 512, hidden: 512, cell: 'gru' }, 35), 1);
  });

  it('reports progress while it runs and stops within a step of a cancel, leaving no tensor behind', async () => {
    const start = tf.memory().numTensors;
    const controller = new AbortController();
    const reports: TrainProgress[] = [];
    const run = trainLanguageModel(
      toyCorpus(4000, 2),
      { ...small, epochs: 5 },
      {
        signal: controller.signal,
        onProgress: (progress) => {
          reports.push(progress);
          if (reports.length === 2) controller.abort();
        },
      },
    );
    await assert.rejects(run, { code: 'cancelled' });
    assert.equal(reports.length, 2, 'nothing is reported after the cancel');
    assert.ok(reports.every((p) => p.fraction <= 0.2 && p.tokensPerSecond > 0 && p.epochs === 5 && p.loss !== null && p.loss > 0));
    assert.equal(tf.memory().numTensors, start);
  });
});
