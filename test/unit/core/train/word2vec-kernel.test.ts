import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { seededRandom } from '../../../../src/core/analysis/seeded-random';
import { encodeLines } from '../../../../src/core/train/corpus';
import { prepareWord2vec, trainWord2vec, word2vecSettings, type Word2vecJob } from '../../../../src/core/train/word2vec';
import { kernelFor, memoryBuffer, type Word2vecEngine } from '../../../../src/core/train/word2vec-kernel';
import { CTX, readMatrix, type Word2vecMode } from '../../../../src/core/train/word2vec-layout';
import { wasmWord2vecAvailable } from '../../../../src/core/train/word2vec-wasm';

/** One injected SGD step: U rows averaged into h, V rows scored against it (the first is the positive). */
interface Sample {
  readonly inputs: readonly number[];
  readonly targets: readonly number[];
}

/** A step-test problem: samples chosen by hand (distinct targets; for tied, targets that are also inputs). */
interface Case {
  readonly name: string;
  readonly mode: Word2vecMode;
  readonly tied: boolean;
  readonly dim: number;
  readonly samples: readonly Sample[];
}

const VOCAB = 50;
const ALPHA = 0.5;

const cases: readonly Case[] = [
  {
    name: 'skip-gram, untied',
    mode: 'sg',
    tied: false,
    dim: 8,
    samples: [
      { inputs: [3], targets: [7, 12, 20, 41, 9, 15] },
      { inputs: [7], targets: [3, 12, 44, 1, 30, 8] },
      { inputs: [3], targets: [7, 5, 19, 33, 2] },
    ],
  },
  {
    name: 'skip-gram, tied (the input row is also a negative)',
    mode: 'sg',
    tied: true,
    dim: 8,
    samples: [
      { inputs: [3], targets: [7, 3, 20, 41, 9, 15] },
      { inputs: [7], targets: [3, 7, 44, 1, 30, 8] },
      { inputs: [12], targets: [40, 2, 12, 33] },
    ],
  },
  {
    name: 'CBOW, untied',
    mode: 'cbow',
    tied: false,
    dim: 8,
    samples: [
      { inputs: [2, 5, 9, 30], targets: [11, 40, 17, 33, 6, 21] },
      { inputs: [11, 40], targets: [5, 2, 9, 48, 13, 27] },
      { inputs: [6, 2, 5, 21, 9, 48], targets: [30, 11, 1, 4, 16] },
    ],
  },
  {
    name: 'CBOW, tied (context words among the targets), dim 10 (a 4-float tail and row padding)',
    mode: 'cbow',
    tied: true,
    dim: 10,
    samples: [
      { inputs: [2, 5, 9, 30], targets: [11, 5, 40, 2, 17, 33] },
      { inputs: [11, 40], targets: [5, 11, 9, 48, 13, 27] },
      { inputs: [6, 2, 5, 21], targets: [30, 6, 1, 4, 16] },
    ],
  },
];

/** A 50-word vocabulary (every word seen once), U and V filled with seeded values in ±0.5 so every sigmoid matters. */
function smallJob(testCase: Case, engine: Word2vecEngine): { job: Word2vecJob; u: Float32Array; v: Float32Array | null } {
  const corpus = encodeLines([Array.from({ length: VOCAB }, (_, i) => `w${i}`).join(' ')], { minCount: 1 });
  const settings = word2vecSettings({ mode: testCase.mode, tied: testCase.tied, dim: testCase.dim, sample: 0, epochs: 1 });
  const job = prepareWord2vec(corpus, settings, engine);
  assert.equal(job.memory.engine, engine);
  const random = seededRandom(11);
  const values = (): Float32Array => Float32Array.from({ length: VOCAB * testCase.dim }, () => random() - 0.5);
  const u = values();
  const v = testCase.tied ? null : values();
  writeMatrix(job, 'u', u);
  if (v) writeMatrix(job, 'v', v);
  return { job, u, v };
}

function writeMatrix(job: Word2vecJob, which: 'u' | 'v', values: Float32Array): void {
  const f32 = new Float32Array(memoryBuffer(job.memory));
  const { dim, rowFloats } = job.plan;
  for (let row = 0; row < VOCAB; row++) f32.set(values.subarray(row * dim, (row + 1) * dim), (job.plan[which] >> 2) + row * rowFloats);
}

/** Runs the samples through the kernel's `step`, the samples written where train would have drawn them. */
function kernelSteps(job: Word2vecJob, samples: readonly Sample[]): number[] {
  const buffer = memoryBuffer(job.memory);
  const u32 = new Uint32Array(buffer);
  const i32 = new Int32Array(buffer);
  const f64 = new Float64Array(buffer);
  const ctx = job.plan.ctx[0] ?? 0;
  const inputs = u32[(ctx + CTX.inputs) >> 2] ?? 0;
  const targets = u32[(ctx + CTX.targets) >> 2] ?? 0;
  const kernel = kernelFor(job.memory);
  const losses: number[] = [];
  for (const sample of samples) {
    i32.set(sample.inputs, inputs >> 2);
    i32.set(sample.targets, targets >> 2);
    const before = f64[(ctx + CTX.lossSum) >> 3] ?? 0;
    kernel.step(ctx, inputs, sample.inputs.length, targets, sample.targets.length, ALPHA);
    losses.push((f64[(ctx + CTX.lossSum) >> 3] ?? 0) - before);
  }
  return losses;
}

/**
 * The context mean h with word2vec's backward pass: the mean going forward, the gradient handed to every context row
 * undivided (word2vec.c's and gensim's CBOW with cbow_mean=1). One input row: the row itself.
 */
const contextMean = tf.customGrad((rows, save) => {
  const input = rows as tf.Tensor2D;
  (save as tf.GradSaveFunc)([input]);
  return { value: tf.mean(input, 0), gradFunc: (dy, saved) => tf.broadcastTo(tf.expandDims(dy, 0), (saved[0] as tf.Tensor).shape) };
});

/** log σ(x) as -softplus(-x): tf.logSigmoid's gradient fails on intermediate tensors (ENVIRONMENT.md). */
const logSigmoid = (x: tf.Tensor): tf.Tensor => tf.neg(tf.softplus(tf.neg(x)));

/** The SGNS loss -log σ(h·v₀) - Σₖ log σ(-h·vₖ) of one sample. */
function sgnsLoss(u: tf.Tensor2D, v: tf.Tensor2D, sample: Sample): tf.Scalar {
  const h = contextMean(tf.gather(u, tf.tensor1d(Array.from(sample.inputs), 'int32'))) as tf.Tensor1D;
  const scores = tf.reshape(tf.matMul(tf.gather(v, tf.tensor1d(Array.from(sample.targets), 'int32')), tf.reshape(h, [-1, 1])), [-1]);
  const signs = tf.tensor1d(sample.targets.map((_, k) => (k === 0 ? 1 : -1)));
  return tf.neg(tf.sum(logSigmoid(tf.mul(scores, signs)))) as tf.Scalar;
}

/** The same samples as plain SGD steps on tfjs variables, the gradients from tf.variableGrads; returns each step's loss. */
function referenceSteps(u: tf.Variable<tf.Rank.R2>, v: tf.Variable<tf.Rank.R2> | null, samples: readonly Sample[]): number[] {
  return samples.map((sample) =>
    tf.tidy(() => {
      const variables = v ? [u, v] : [u];
      const { value, grads } = tf.variableGrads(() => sgnsLoss(u, v ?? u, sample), variables);
      for (const variable of variables) variable.assign(tf.sub(variable, tf.mul(grads[variable.name] as tf.Tensor, ALPHA)));
      return value.dataSync()[0] ?? Number.NaN;
    }),
  );
}

function assertClose(actual: Float32Array, expected: Float32Array, tolerance: number, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  let worst = 0;
  for (let i = 0; i < actual.length; i++) worst = Math.max(worst, Math.abs((actual[i] ?? 0) - (expected[i] ?? 0)));
  assert.ok(worst <= tolerance, `${what}: largest difference ${worst}, allowed ${tolerance}`);
}

describe('word2vec kernel step vs TensorFlow.js autodiff', () => {
  before(async () => {
    await tf.setBackend('cpu');
  });

  for (const engine of ['wasm', 'js'] as const) {
    for (const testCase of cases) {
      it(`${engine}: ${testCase.name}: three steps equal three SGD steps on the autodiff gradient of the SGNS loss`, () => {
        const { job, u, v } = smallJob(testCase, engine);
        const losses = kernelSteps(job, testCase.samples);
        const variableU = tf.tidy(() => tf.variable(tf.tensor2d(u, [VOCAB, testCase.dim])));
        const variableV = v ? tf.tidy(() => tf.variable(tf.tensor2d(v, [VOCAB, testCase.dim]))) : null;
        try {
          const expectedLosses = referenceSteps(variableU, variableV, testCase.samples);
          const buffer = memoryBuffer(job.memory);
          const trainedU = readMatrix(buffer, job.plan, 'u').subarray(0, VOCAB * testCase.dim);
          assertClose(trainedU, variableU.dataSync() as Float32Array, 1e-6, 'U');
          if (variableV)
            assertClose(
              readMatrix(buffer, job.plan, 'v').subarray(0, VOCAB * testCase.dim),
              variableV.dataSync() as Float32Array,
              1e-6,
              'V',
            );
          assert.ok(Math.max(...trainedU.map((value, i) => Math.abs(value - (u[i] ?? 0)))) > 0.01, 'the steps moved U visibly');
          losses.forEach((loss, i) =>
            assert.ok(Math.abs(loss - (expectedLosses[i] ?? 0)) < 1e-5, `step ${i} loss ${loss}, autodiff ${expectedLosses[i]}`),
          );
        } finally {
          variableU.dispose();
          variableV?.dispose();
        }
      });
    }
  }

  it('leaves the zero row used as group padding at zero', () => {
    const testCase = cases[1] as Case;
    const { job } = smallJob(testCase, 'wasm');
    kernelSteps(job, testCase.samples);
    const f32 = new Float32Array(memoryBuffer(job.memory));
    const zero = (job.plan.v >> 2) + VOCAB * job.plan.rowFloats;
    assert.deepEqual(Array.from(f32.subarray(zero, zero + job.plan.rowFloats)), new Array(job.plan.rowFloats).fill(0));
  });
});

describe('word2vec kernels', () => {
  it('has WebAssembly SIMD with shared memory here, so the tests above ran the wasm kernel', () => {
    assert.equal(wasmWord2vecAvailable(), true);
  });

  it('ships the bytes word2vec-kernels.wat compiles to', async () => {
    const { expectedKernelsModule } = await import('../../../../scripts/build-wasm.mjs');
    const { path, text } = await expectedKernelsModule('word2vec');
    assert.equal(readFileSync(path, 'utf8'), text, 'run node scripts/build-wasm.mjs');
  });

  const lines = Array.from({ length: 300 }, (_, i) => {
    const random = seededRandom(i);
    // A Zipf-like stream: word k with weight 1/(k+1), so subsampling and the alias table both matter.
    return Array.from({ length: 20 + (i % 17) }, () => `t${Math.floor(60 ** random()) - 1}`).join(' ');
  });
  const corpus = encodeLines(lines, { minCount: 2 });
  for (const mode of ['sg', 'cbow'] as const) {
    for (const tied of [false, true]) {
      it(`wasm and JavaScript train bit-identical ${mode} ${tied ? 'tied' : 'untied'} models (dim 10, 3 epochs)`, async () => {
        const options = { mode, tied, dim: 10, epochs: 3, sample: 1e-2, seed: 5 };
        const wasm = await trainWord2vec(corpus, { ...options, engine: 'wasm' });
        const js = await trainWord2vec(corpus, { ...options, engine: 'js' });
        assert.equal(wasm.metrics['wasm'], 1);
        assert.equal(js.metrics['wasm'], 0);
        assert.deepEqual(new Uint8Array(js.input.data.buffer), new Uint8Array(wasm.input.data.buffer));
        if (!tied)
          assert.deepEqual(
            new Uint8Array((js.output as { data: Float32Array }).data.buffer),
            new Uint8Array((wasm.output as { data: Float32Array }).data.buffer),
          );
        assert.deepEqual(js.lossPerEpoch, wasm.lossPerEpoch);
      });
    }
  }
});
