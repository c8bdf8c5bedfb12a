import * as tf from '@tensorflow/tfjs';
import type { GradSaveFunc, LayerVariable, Tensor, Tensor2D, Tensor3D } from '@tensorflow/tfjs';

/**
 * A GRU over whole sequences with a hand-written backward pass, computing exactly what tfjs-layers' GRU computes
 * (Keras' GRU without reset_after) from that layer's own weights, for training only. tfjs-layers runs a GRU step as
 * some 50 forward and 100 backward kernels and runs the input projection once per step; here the input projection
 * of all steps is one matMul, a step is about 15 kernels forward and 20 backward, and the weight gradients are
 * one matMul each. The saved model keeps the standard GRU layer, so it loads anywhere.
 *
 * Per step, with xz, xr, xh the three thirds of x·W + b and U = [U_zr | U_h]:
 *   [z, r] = σ([xz, xr] + h·U_zr),  h̃ = tanh(xh + (r∘h)·U_h),  h' = z∘h + (1 − z)∘h̃.
 * Gates use the sigmoid, so the layer must be built with recurrentActivation 'sigmoid' (buildLanguageModel does).
 */

/** The GRU layer's three weights, as tfjs-layers orders them: kernel [d, 3h], recurrent kernel [h, 3h], bias [3h]. */
export function gruWeights(layer: { readonly weights: LayerVariable[] }): [Tensor2D, Tensor2D, Tensor] {
  const [kernel, recurrent, bias] = layer.weights;
  if (!kernel || !recurrent || !bias) throw new Error('gruSequence: expected a built GRU layer with kernel, recurrent kernel and bias');
  return [kernel.read() as Tensor2D, recurrent.read() as Tensor2D, bias.read()];
}

/** Splits [T·B, w] laid out time-major into T tensors [B, w]. */
function perStep(x: Tensor, steps: number, batch: number): Tensor2D[] {
  return tf.unstack(x.reshape([steps, batch, x.shape[x.shape.length - 1] as number])) as Tensor2D[];
}

/** All hidden states [batch, steps, hidden] of a GRU started from zeros, with gradients for inputs and weights. */
export function gruSequence(x: Tensor3D, kernel: Tensor2D, recurrent: Tensor2D, bias: Tensor): Tensor3D {
  const [batch, steps, dim] = x.shape;
  const units = recurrent.shape[0];
  const run = tf.customGrad((...args: Array<Tensor | GradSaveFunc>) => {
    const [input, w, u, b, save] = args as [Tensor3D, Tensor2D, Tensor2D, Tensor, GradSaveFunc];
    // Time-major rows (t·B + i), so each step's slice is contiguous.
    const timeMajor = tf.transpose(input, [1, 0, 2]).reshape([steps * batch, dim]);
    const projected = tf.add(tf.matMul(timeMajor, w), b);
    const [gateInputs, candidateInputs] = tf.split(projected, [2 * units, units], 1);
    const [uGates, uCandidate] = tf.split(u, [2 * units, units], 1);
    const gateSteps = perStep(gateInputs as Tensor, steps, batch);
    const candidateSteps = perStep(candidateInputs as Tensor, steps, batch);
    let h: Tensor2D = tf.zeros([batch, units]);
    const previous: Tensor2D[] = [];
    const gates: Tensor2D[] = [];
    const candidates: Tensor2D[] = [];
    const resets: Tensor2D[] = [];
    const outputs: Tensor2D[] = [];
    for (let t = 0; t < steps; t++) {
      const zr = tf.sigmoid(tf.add(gateSteps[t] as Tensor2D, tf.matMul(h, uGates as Tensor2D)));
      const [z, r] = tf.split(zr, 2, 1) as [Tensor2D, Tensor2D];
      const rh = tf.mul(r, h) as Tensor2D;
      const candidate = tf.tanh(tf.add(candidateSteps[t] as Tensor2D, tf.matMul(rh, uCandidate as Tensor2D))) as Tensor2D;
      const next = tf.add(candidate, tf.mul(z, tf.sub(h, candidate))) as Tensor2D;
      previous.push(h);
      gates.push(zr as Tensor2D);
      candidates.push(candidate);
      resets.push(rh);
      outputs.push(next);
      h = next;
    }
    // Only saved tensors outlive the forward pass (the weights too: the gradient needs them).
    save([timeMajor, w, u, ...previous, ...gates, ...candidates, ...resets]);
    const value = tf.transpose(tf.stack(outputs), [1, 0, 2]) as Tensor3D;
    return {
      value,
      gradFunc: (dy: Tensor, saved: Tensor[]) => {
        const [savedInput, savedW, savedU] = saved as [Tensor2D, Tensor2D, Tensor2D];
        const at = (group: number, t: number): Tensor2D => saved[3 + group * steps + t] as Tensor2D;
        const dySteps = tf.unstack(tf.transpose(dy, [1, 0, 2])) as Tensor2D[];
        const [uGatesT, uCandidateT] = tf.split(savedU, [2 * units, units], 1).map((part) => tf.transpose(part)) as [Tensor2D, Tensor2D];
        const dGates: Tensor2D[] = new Array(steps);
        const dCandidates: Tensor2D[] = new Array(steps);
        let dh: Tensor2D = tf.zeros([batch, units]);
        for (let t = steps - 1; t >= 0; t--) {
          const hPrev = at(0, t);
          const zr = at(1, t);
          const candidate = at(2, t);
          const [z, r] = tf.split(zr, 2, 1) as [Tensor2D, Tensor2D];
          const grad = tf.add(dh, dySteps[t] as Tensor2D);
          const dz = tf.mul(grad, tf.sub(hPrev, candidate));
          const dCandidate = tf.mul(tf.mul(grad, tf.sub(1, z)), tf.sub(1, tf.square(candidate))) as Tensor2D;
          const dRh = tf.matMul(dCandidate, uCandidateT);
          const dr = tf.mul(dRh, hPrev);
          const dGate = tf.mul(tf.concat([dz, dr], 1), tf.mul(zr, tf.sub(1, zr))) as Tensor2D;
          dh = tf.addN([tf.mul(grad, z), tf.mul(dRh, r), tf.matMul(dGate, uGatesT)]) as Tensor2D;
          dGates[t] = dGate;
          dCandidates[t] = dCandidate;
        }
        const flat = (list: Tensor2D[], width: number): Tensor2D => tf.concat(list).reshape([steps * batch, width]);
        const dProjected = tf.concat([flat(dGates, 2 * units), flat(dCandidates, units)], 1);
        const dInput = tf.transpose(tf.matMul(dProjected, savedW, false, true).reshape([steps, batch, dim]), [1, 0, 2]);
        const dKernel = tf.matMul(savedInput, dProjected, true, false);
        const dBias = tf.sum(dProjected, 0);
        const hPrevAll = flat(
          Array.from({ length: steps }, (_, t) => at(0, t)),
          units,
        );
        const rhAll = flat(
          Array.from({ length: steps }, (_, t) => at(3, t)),
          units,
        );
        const dRecurrent = tf.concat(
          [tf.matMul(hPrevAll, flat(dGates, 2 * units), true, false), tf.matMul(rhAll, flat(dCandidates, units), true, false)],
          1,
        );
        return [dInput, dKernel, dRecurrent, dBias];
      },
    };
  });
  return run(x, kernel, recurrent, bias) as Tensor3D;
}
