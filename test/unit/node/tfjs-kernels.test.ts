import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { seededRandom } from '../../../src/core/analysis/seeded-random';
import { selectBackend } from '../../../src/node/tfjs-backend';
import { registerFastKernels } from '../../../src/node/tfjs-kernels';

const random = seededRandom(7);
const values = (n: number): Float32Array => Float32Array.from({ length: n }, () => random() * 2 - 1);

/** One segment-sum problem: x rows, their segment ids (repeats, an unused segment, out-of-range ids). */
const rows = 40;
const width = 6;
const segments = 9;
const x = values(rows * width);
const ids = Int32Array.from({ length: rows }, (_, i) => (i === 3 ? -1 : i === 5 ? segments + 2 : Math.floor(random() * (segments - 1))));
const xInt = Int32Array.from(x, (v) => Math.round(v * 100));

function segmentSum(
  data: Float32Array | Int32Array,
  shape: number[],
  segmentIds: Int32Array,
  idShape: number[],
): Float32Array | Int32Array {
  return tf.tidy(
    () =>
      tf
        .unsortedSegmentSum(tf.tensor(data, shape), tf.tensor(segmentIds, idShape as [number], 'int32'), segments)
        .dataSync() as Float32Array,
  );
}

function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < actual.length; i++) {
    assert.ok(
      Math.abs((actual[i] as number) - (expected[i] as number)) <= tolerance,
      `${what}: element ${i} is ${actual[i]}, expected ${expected[i]}`,
    );
  }
}

describe('TensorFlow.js kernels for the wasm and cpu backends', () => {
  const stock: Record<string, Float32Array | Int32Array> = {};
  const matMulStock: Record<string, Float32Array> = {};
  const cases = [
    { key: 'NN', aShape: [5, 7], bShape: [7, 4], ta: false, tb: false },
    { key: 'NT', aShape: [5, 7], bShape: [4, 7], ta: false, tb: true },
    { key: 'TN', aShape: [7, 5], bShape: [7, 4], ta: true, tb: false },
    { key: 'TT (transposes the product)', aShape: [7, 5], bShape: [4, 7], ta: true, tb: true },
    { key: 'TN with a tall A (transposes the product)', aShape: [20, 3], bShape: [20, 2], ta: true, tb: false },
    { key: 'batched NT', aShape: [3, 5, 7], bShape: [3, 4, 7], ta: false, tb: true },
    { key: 'batched TN', aShape: [3, 7, 5], bShape: [3, 7, 4], ta: true, tb: false },
  ];
  const operand = (shape: number[], seed: number): tf.Tensor => {
    const next = seededRandom(seed);
    return tf.tensor(
      Float32Array.from({ length: shape.reduce((p, q) => p * q, 1) }, () => next() * 2 - 1),
      shape,
    );
  };
  const product = (c: (typeof cases)[number]): Float32Array =>
    tf.tidy(() => {
      const left = operand(c.aShape, 1);
      const right = operand(c.bShape, 2);
      const out = tf.matMul(left, right, c.ta, c.tb);
      // The gradients set transpose flags of their own: check them too.
      const [ga, gb] = tf.grads((p: tf.Tensor, q: tf.Tensor) => tf.matMul(p, q, c.ta, c.tb).square().sum())([left, right]);
      return tf.concat([out.flatten(), (ga as tf.Tensor).flatten(), (gb as tf.Tensor).flatten()]).dataSync() as Float32Array;
    });

  before(async () => {
    await tf.setBackend('cpu');
    // The stock cpu kernels are the reference: read them before ours replace them.
    stock['float'] = segmentSum(x, [rows, width], ids, [rows]);
    stock['int'] = segmentSum(xInt, [rows, width], ids, [rows]);
    for (const c of cases) matMulStock[c.key] = product(c);
  });

  it('sums rows by segment on wasm exactly as the stock cpu kernel does, for float32, int32 and nested ids', async () => {
    assert.equal((await selectBackend('wasm')).name, 'wasm');
    assertClose(segmentSum(x, [rows, width], ids, [rows]), stock['float'] as Float32Array, 1e-6, 'float32');
    assert.deepEqual(Array.from(segmentSum(xInt, [rows, width], ids, [rows])), Array.from(stock['int'] as Int32Array));
    // The stock cpu kernel cannot take nested ids (its broadcast fails): they must act as the flattened ones.
    assertClose(segmentSum(x, [4, 10, width], ids, [4, 10]), stock['float'] as Float32Array, 1e-6, 'nested ids');
  });

  it('gives the same result on cpu once our kernel replaces the stock one', async () => {
    await tf.setBackend('cpu');
    registerFastKernels('cpu');
    assertClose(segmentSum(x, [rows, width], ids, [rows]), stock['float'] as Float32Array, 1e-6, 'float32');
    assert.deepEqual(Array.from(segmentSum(xInt, [rows, width], ids, [rows])), Array.from(stock['int'] as Int32Array));
  });

  it('lets an embedding lookup train on wasm: the gather gradient adds up the rows of repeated ids', async () => {
    await selectBackend('wasm');
    const table = tf.variable(tf.tensor(values(segments * width), [segments, width]));
    const lookup = tf.tensor([2, 2, 5, 0, 2], [5], 'int32');
    const grad = tf.grad((t: tf.Tensor) => tf.gather(t, lookup).sum())(table);
    const counts = [1, 0, 3, 0, 0, 1, 0, 0, 0];
    assert.deepEqual(
      Array.from(grad.dataSync()),
      counts.flatMap((count) => Array.from({ length: width }, () => count)),
    );
    tf.dispose([table, lookup, grad]);
  });

  it('multiplies matrices on wasm with every transpose flag (and their gradients) as the cpu backend does', async () => {
    await selectBackend('wasm');
    for (const c of cases) assertClose(product(c), matMulStock[c.key] as Float32Array, 1e-4, c.key);
  });

  it('leaves no tensor behind in the flag-free matMul', async () => {
    await selectBackend('wasm');
    const left = operand([7, 5], 3);
    const right = operand([4, 7], 4);
    const rightPlain = operand([7, 4], 5);
    const before = tf.memory();
    // Transposing an operand (one flag) and transposing the product (both flags: fewer numbers to move).
    tf.matMul(left, rightPlain, true, false).dispose();
    tf.matMul(left, right, true, true).dispose();
    assert.deepEqual([tf.memory().numTensors, tf.memory().numBytes], [before.numTensors, before.numBytes]);
    tf.dispose([left, right, rightPlain]);
  });
});

describe('backend selection', () => {
  it('falls back from tfjs-node to wasm where tfjs-node is not installed, and says why', async () => {
    const choice = await selectBackend('auto');
    assert.ok(choice.name === 'tensorflow' || choice.name === 'wasm');
    if (choice.name === 'wasm') assert.match(choice.notes.join('\n'), /tfjs-node: not installed/);
    assert.equal(tf.getBackend(), choice.name);
  });

  it('runs the pure-JS cpu backend when asked to', async () => {
    assert.deepEqual(await selectBackend('cpu'), { name: 'cpu', preference: 'cpu', notes: [] });
    assert.equal(tf.getBackend(), 'cpu');
  });

  it('reports missing wasm binaries and falls back to cpu', () => {
    // The wasm paths can be set once per process: a fresh one shows the fallback.
    const script = `require(${JSON.stringify(resolve('src/node/tfjs-backend.ts'))})
      .selectBackend('wasm', { wasmFolder: '/nonexistent' }).then((choice) => process.stdout.write(JSON.stringify(choice)));`;
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--eval', script], { encoding: 'utf8' });
    const choice = JSON.parse(run.stdout) as { name: string; notes: string[] };
    assert.equal(choice.name, 'cpu');
    assert.match(choice.notes.join('\n'), /wasm: expected tfjs-backend-wasm-simd\.wasm and tfjs-backend-wasm\.wasm in \/nonexistent/);
  });
});

describe('the wasm column sum', () => {
  it('sums over leading axes as the cpu backend does, and leaves other reductions to the stock kernel', async () => {
    const next = seededRandom(11);
    const data = Float32Array.from({ length: 3 * 4 * 5 }, () => next() * 2 - 1);
    const reductions: Array<[number | number[], boolean]> = [
      [0, false],
      [[0, 1], false],
      [[1, 0], true],
      [-1, false],
      [[1, 2], false],
      [1, true],
    ];
    const run = (): Float32Array[] =>
      reductions.map(([axis, keepDims]) => tf.tidy(() => tf.sum(tf.tensor3d(data, [3, 4, 5]), axis, keepDims).dataSync() as Float32Array));
    const shapes = (): number[][] =>
      reductions.map(([axis, keepDims]) => tf.tidy(() => tf.sum(tf.tensor3d(data, [3, 4, 5]), axis, keepDims).shape));
    await selectBackend('cpu');
    const [expected, expectedShapes] = [run(), shapes()];
    await selectBackend('wasm');
    run().forEach((values, i) => assertClose(values, expected[i]!, 1e-5, `sum over ${JSON.stringify(reductions[i])}`));
    assert.deepEqual(shapes(), expectedShapes);
  });
});
