import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { gruSequence, gruWeights } from '../../../../src/core/train/lm-gru';
import { selectBackend } from '../../../../src/node/tfjs-backend';
import { maxAbsDiff } from '../../helpers';

describe('the fast GRU training path', () => {
  before(() => selectBackend('wasm'));

  it('computes the tfjs-layers GRU’s outputs and gradients (inputs, kernel, recurrent kernel, bias)', () => {
    const [batch, steps, dim, units] = [3, 5, 4, 6];
    const layer = tf.layers.gru({
      units,
      returnSequences: true,
      recurrentActivation: 'sigmoid',
      kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }),
      recurrentInitializer: tf.initializers.glorotUniform({ seed: 2 }),
      biasInitializer: tf.initializers.randomUniform({ minval: -0.5, maxval: 0.5, seed: 3 }),
    });
    const x = tf.randomNormal([batch, steps, dim], 0, 1, 'float32', 4) as tf.Tensor3D;
    layer.apply(x);
    const mix = tf.randomNormal([batch, steps, units], 0, 1, 'float32', 5);
    const variables = layer.weights.map((w) => w.read() as tf.Variable);
    const reference = tf.variableGrads(() => tf.sum(tf.mul(layer.apply(x) as tf.Tensor, mix)), variables);
    const ours = tf.variableGrads(() => tf.sum(tf.mul(gruSequence(x, ...gruWeights(layer)), mix)), variables);
    assert.ok(maxAbsDiff((layer.apply(x) as tf.Tensor).dataSync(), gruSequence(x, ...gruWeights(layer)).dataSync()) < 1e-5, 'outputs');
    assert.ok(Math.abs(reference.value.dataSync()[0]! - ours.value.dataSync()[0]!) < 1e-4);
    for (const variable of variables) {
      const name = variable.name;
      assert.ok(maxAbsDiff(reference.grads[name]!.dataSync(), ours.grads[name]!.dataSync()) < 1e-5, `gradient of ${name}`);
    }
    const dx = tf.grad((input: tf.Tensor) => tf.sum(tf.mul(gruSequence(input as tf.Tensor3D, ...gruWeights(layer)), mix)))(x);
    const dxReference = tf.grad((input: tf.Tensor) => tf.sum(tf.mul(layer.apply(input) as tf.Tensor, mix)))(x);
    assert.ok(maxAbsDiff(dx.dataSync(), dxReference.dataSync()) < 1e-5, 'gradient of the inputs');
  });

  it('leaves no tensor behind', () => {
    const x = tf.randomNormal([2, 3, 4]) as tf.Tensor3D;
    const w = tf.variable(tf.randomNormal([4, 15])) as tf.Variable<tf.Rank.R2>;
    const u = tf.variable(tf.randomNormal([5, 15])) as tf.Variable<tf.Rank.R2>;
    const b = tf.variable(tf.zeros([15]));
    const start = tf.memory().numTensors;
    const { value, grads } = tf.tidy(() => tf.variableGrads(() => tf.sum(gruSequence(x, w, u, b)), [w, u, b]));
    assert.equal(tf.memory().numTensors, start + 4, 'only the loss and the three gradients are left');
    tf.dispose([value, ...Object.values(grads)]);
  });
});
