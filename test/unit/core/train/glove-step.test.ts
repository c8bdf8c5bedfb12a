import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { gloveWeight } from '../../../../src/core/train/glove-entries';
import type { GloveEngine, GloveMemory, GloveRates } from '../../../../src/core/train/glove-kernel';
import { allocateGloveMemory, gloveKernel } from '../../../../src/core/train/glove-kernel';
import type { GloveLayout } from '../../../../src/core/train/glove-params';
import { batchAt, ENTRY_BYTES, gloveLayout, initializeGlove, readBiases, readVectors } from '../../../../src/core/train/glove-params';
import { gloveWasmAvailable } from '../../../../src/core/train/glove-wasm';

/** A small problem: 5 words, dimension 6 (not a multiple of 4, so the kernel's padding lanes are exercised). */
const VOCAB = 5;
const DIM = 6;
const ETA = 0.05;
/** GloVe 1.0's rates: eta 0.05 for vectors and biases alike, clip ±100. */
const RATES: GloveRates = { eta: ETA, biasEta: ETA, clip: 100 };
const X_MAX = 10;
const ALPHA = 0.75;

/** Entries (i, j, X_ij): repeated rows, a diagonal entry, counts on both sides of X_MAX. */
const ENTRIES: ReadonlyArray<readonly [number, number, number]> = [
  [0, 1, 3],
  [1, 0, 3],
  [2, 2, 14],
  [0, 3, 0.5],
  [4, 1, 120],
  [3, 0, 0.5],
  [1, 4, 120],
  [2, 3, 1.25],
  [0, 1, 3],
  [4, 4, 7],
];

/** The AdaGrad sums of a block's vectors (rows × dim), read from the layout. */
function readSums(memory: GloveMemory, layout: GloveLayout, block: 'words' | 'contexts'): Float32Array {
  const base = (block === 'words' ? layout.wordsAt : layout.contextsAt) / 4;
  const out = new Float32Array(layout.vocabSize * layout.dim);
  for (let row = 0; row < layout.vocabSize; row++) {
    const at = base + row * layout.rowFloats + layout.pdim;
    out.set(memory.floats.subarray(at, at + layout.dim), row * layout.dim);
  }
  return out;
}

/** The parameters as tfjs variables, with AdaGrad sums (all 1 at the start, as glove.c). */
interface Reference {
  readonly params: { w: tf.Variable; wt: tf.Variable; b: tf.Variable; bt: tf.Variable };
  readonly sums: { w: tf.Tensor; wt: tf.Tensor; b: tf.Tensor; bt: tf.Tensor };
}

function referenceFrom(memory: GloveMemory, layout: GloveLayout): Reference {
  const params = tf.tidy(() => ({
    w: tf.variable(tf.tensor2d(readVectors(memory.floats, layout, 'words'), [VOCAB, DIM]), true),
    wt: tf.variable(tf.tensor2d(readVectors(memory.floats, layout, 'contexts'), [VOCAB, DIM]), true),
    b: tf.variable(tf.tensor1d(readBiases(memory.floats, layout, 'words')), true),
    bt: tf.variable(tf.tensor1d(readBiases(memory.floats, layout, 'contexts')), true),
  }));
  const sums = { w: tf.ones([VOCAB, DIM]), wt: tf.ones([VOCAB, DIM]), b: tf.ones([VOCAB]), bt: tf.ones([VOCAB]) };
  return { params, sums };
}

/**
 * One step of the reference: the gradient of Σ_e ½·f(X)·(w_i·w̃_j + b_i + b̃_j − log X)² by tfjs autodiff, then
 * glove.c's AdaGrad update u = eta·clip(g), p −= u/√G, G += u² (vector components clipped, biases not, biases
 * with their own eta). Returns
 * the loss before the step.
 */
function referenceStep(reference: Reference, entries: ReadonlyArray<readonly [number, number, number]>, rates: GloveRates): number {
  const { params, sums } = reference;
  const { clip } = rates;
  const i = tf.tensor1d(
    entries.map(([row]) => row),
    'int32',
  );
  const j = tf.tensor1d(
    entries.map(([, col]) => col),
    'int32',
  );
  const logX = tf.tensor1d(entries.map(([, , x]) => Math.log(x)));
  const f = tf.tensor1d(entries.map(([, , x]) => gloveWeight(x, X_MAX, ALPHA)));
  const { value, grads } = tf.variableGrads(() => {
    const dots = tf.sum(tf.mul(tf.gather(params.w, i), tf.gather(params.wt, j)), 1);
    const diff = tf.sub(tf.add(tf.add(dots, tf.gather(params.b, i)), tf.gather(params.bt, j)), logX);
    return tf.sum(tf.mul(0.5, tf.mul(f, tf.square(diff)))) as tf.Scalar;
  });
  const loss = value.dataSync()[0] as number;
  for (const key of ['w', 'wt', 'b', 'bt'] as const) {
    const next = tf.tidy(() => {
      const g = grads[params[key].name] as tf.Tensor;
      const vector = key === 'w' || key === 'wt';
      const u = tf.mul(vector ? rates.eta : rates.biasEta, vector ? tf.clipByValue(g, -clip, clip) : g);
      params[key].assign(tf.sub(params[key], tf.div(u, tf.sqrt(sums[key]))));
      return tf.add(sums[key], tf.square(u));
    });
    sums[key].dispose();
    sums[key] = next;
  }
  tf.dispose([i, j, logX, f, value, ...Object.values(grads)]);
  return loss;
}

/** Writes entries at thread 0's batch and runs the kernel on them; returns the kernel's summed cost. */
function kernelStep(
  memory: GloveMemory,
  layout: GloveLayout,
  engine: GloveEngine,
  entries: ReadonlyArray<readonly [number, number, number]>,
  rates: GloveRates,
): number {
  const at = batchAt(layout, 0);
  entries.forEach(([row, col, x], e) => {
    const word = (at + e * ENTRY_BYTES) / 4;
    memory.ints[word] = row;
    memory.ints[word + 1] = col;
    memory.floats[word + 2] = Math.log(x);
    memory.floats[word + 3] = gloveWeight(x, X_MAX, ALPHA);
  });
  const kernel = gloveKernel(memory, layout);
  assert.equal(kernel.engine, engine);
  return kernel.train(at, entries.length, rates);
}

/** Largest difference, relative to the value where it is above 1 (float32 keeps ~7 digits: AdaGrad sums grow). */
function maxDiff(actual: Float32Array, expected: tf.Tensor): number {
  const values = expected.dataSync();
  let worst = 0;
  for (let k = 0; k < actual.length; k++) {
    const value = values[k] as number;
    worst = Math.max(worst, Math.abs((actual[k] as number) - value) / Math.max(1, Math.abs(value)));
  }
  return worst;
}

/** Largest difference between the kernel's parameters and AdaGrad sums and the reference's (see maxDiff). */
function distance(memory: GloveMemory, layout: GloveLayout, reference: Reference): number {
  const { params, sums } = reference;
  return Math.max(
    maxDiff(readVectors(memory.floats, layout, 'words'), params.w),
    maxDiff(readVectors(memory.floats, layout, 'contexts'), params.wt),
    maxDiff(readBiases(memory.floats, layout, 'words'), params.b),
    maxDiff(readBiases(memory.floats, layout, 'contexts'), params.bt),
    maxDiff(readSums(memory, layout, 'words'), sums.w),
    maxDiff(readSums(memory, layout, 'contexts'), sums.wt),
  );
}

function setUp(engine: GloveEngine, seed: number): { memory: GloveMemory; layout: GloveLayout; reference: Reference } {
  const layout = gloveLayout(VOCAB, DIM, 1);
  const memory = allocateGloveMemory(layout, engine);
  initializeGlove(memory.floats, layout, seed);
  // Larger starting vectors than glove.c's ±0.5/dim, so that gradients (and clipping) are far from zero.
  memory.floats.forEach((value, k) => {
    if (value !== 1 && value !== 0) memory.floats[k] = value * 40;
  });
  return { memory, layout, reference: referenceFrom(memory, layout) };
}

function disposeReference({ params, sums }: Reference): void {
  tf.dispose([...Object.values(params), ...Object.values(sums)]);
}

const engines: GloveEngine[] = gloveWasmAvailable() ? ['wasm', 'js'] : ['js'];

describe('the GloVe AdaGrad step against TensorFlow.js autodiff', () => {
  before(async () => {
    await tf.setBackend('cpu');
  });

  for (const engine of engines) {
    it(`${engine}: each single-entry step equals tfjs's gradient of the weighted squared error followed by AdaGrad`, () => {
      const { memory, layout, reference } = setUp(engine, 11);
      after(() => disposeReference(reference));
      assert.ok(distance(memory, layout, reference) === 0, 'same start');
      for (const entry of ENTRIES) {
        const cost = kernelStep(memory, layout, engine, [entry], RATES);
        const loss = referenceStep(reference, [entry], RATES);
        assert.ok(Math.abs(cost - loss) <= 1e-6 * Math.max(1, loss), `cost ${cost} vs tfjs loss ${loss}`);
        const worst = distance(memory, layout, reference);
        assert.ok(worst <= 1e-6, `entry ${entry.join(',')}: parameters differ by ${worst}`);
      }
      const pads = [];
      for (let row = 0; row < VOCAB; row++) {
        const at = row * layout.rowFloats;
        pads.push(memory.floats[at + DIM], memory.floats[at + DIM + 1], memory.floats[layout.contextsAt / 4 + at + DIM]);
      }
      assert.deepEqual(pads, new Array(pads.length).fill(0), 'padding lanes stay 0');
    });

    it(`${engine}: a batch of entries on distinct rows is one step of their summed loss`, () => {
      const { memory, layout, reference } = setUp(engine, 12);
      after(() => disposeReference(reference));
      const batch = [
        [0, 1, 3],
        [2, 3, 40],
        [4, 0, 0.25],
      ] as const;
      const cost = kernelStep(memory, layout, engine, batch, RATES);
      const loss = referenceStep(reference, batch, RATES);
      assert.ok(Math.abs(cost - loss) <= 1e-6 * Math.max(1, loss), `cost ${cost} vs tfjs loss ${loss}`);
      const worst = distance(memory, layout, reference);
      assert.ok(worst <= 1e-6, `parameters differ by ${worst}`);
    });

    it(`${engine}: clips each vector gradient component to ±gradientClip, as glove.c`, () => {
      const { memory, layout, reference } = setUp(engine, 13);
      after(() => disposeReference(reference));
      const before = readVectors(memory.floats, layout, 'words');
      for (const [step, entry] of ENTRIES.slice(0, 5).entries()) {
        kernelStep(memory, layout, engine, [entry], { ...RATES, clip: 1e-3 });
        referenceStep(reference, [entry], { ...RATES, clip: 1e-3 });
        assert.ok(distance(memory, layout, reference) <= 1e-6);
        if (step > 0) continue;
        // The first step (on w_0) moves each component by eta·clip/√1 at most, and the clip is reached.
        const moved = readVectors(memory.floats, layout, 'words');
        const steps = Array.from({ length: DIM }, (_, c) => Math.abs((moved[c] as number) - (before[c] as number)));
        assert.ok(Math.max(...steps) <= ETA * 1e-3 + 1e-7, `steps ${steps.join(', ')}`);
        assert.ok(Math.max(...steps) >= ETA * 1e-3 * 0.99, 'some component was clipped');
      }
    });

    it(`${engine}: gives the biases their own learning rate (1: glove.c since 2019)`, () => {
      const { memory, layout, reference } = setUp(engine, 14);
      after(() => disposeReference(reference));
      for (const entry of ENTRIES) {
        kernelStep(memory, layout, engine, [entry], { ...RATES, biasEta: 1 });
        referenceStep(reference, [entry], { ...RATES, biasEta: 1 });
        assert.ok(distance(memory, layout, reference) <= 1e-6);
      }
    });
  }
});
