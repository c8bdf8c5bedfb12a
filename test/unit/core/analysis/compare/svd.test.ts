import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { effectiveRank } from '../../../../../src/core/analysis/compare/spectrum';
import { squareSvd } from '../../../../../src/core/analysis/compare/svd';
import { fillGaussian } from '../../../../../src/core/analysis/seeded-random';
import { seededRandom } from '../../../helpers';

function gaussian(n: number, seed: number): Float64Array {
  const out = new Float64Array(n * n);
  fillGaussian(out, seededRandom(seed));
  return out;
}

/** The SVD's defining properties: orthogonal factors, values descending and ≥ 0, A = left·diag(values)·rightᵀ. */
function assertSvd(matrix: Float64Array, n: number, tolerance = 1e-13): Float64Array {
  const { values, left, right } = squareSvd(matrix, n);
  let scale = 1e-300;
  for (const value of matrix) scale = Math.max(scale, Math.abs(value));
  for (let i = 0; i < n; i++) {
    assert.ok((values[i] as number) >= 0);
    if (i > 0) assert.ok((values[i] as number) <= (values[i - 1] as number));
    for (let j = 0; j < n; j++) {
      let ll = 0;
      let rr = 0;
      let product = 0;
      for (let k = 0; k < n; k++) {
        ll += (left[k * n + i] as number) * (left[k * n + j] as number);
        rr += (right[k * n + i] as number) * (right[k * n + j] as number);
        product += (left[i * n + k] as number) * (values[k] as number) * (right[j * n + k] as number);
      }
      const identity = i === j ? 1 : 0;
      assert.ok(Math.abs(ll - identity) < tolerance, `leftᵀleft[${i}][${j}] = ${ll}`);
      assert.ok(Math.abs(rr - identity) < tolerance, `rightᵀright[${i}][${j}] = ${rr}`);
      assert.ok(Math.abs(product - (matrix[i * n + j] as number)) < tolerance * scale * n, `A[${i}][${j}]`);
    }
  }
  return values;
}

describe('squareSvd (one-sided Jacobi)', () => {
  it('decomposes a random matrix', () => {
    assertSvd(gaussian(9, 1), 9);
  });

  it('keeps both factors orthogonal for a rank-2 matrix, completing the null space', () => {
    const n = 6;
    const a = gaussian(n, 2);
    const b = gaussian(n, 3);
    const m = new Float64Array(n * n);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) m[i * n + j] = (a[i] as number) * (b[j] as number) + (a[n + i] as number) * (b[n + j] as number);
    const values = assertSvd(m, n);
    assert.ok(values.slice(2).every((sigma) => sigma < 1e-14 * (values[0] as number)));
  });

  it('handles a zero matrix, an orthogonal matrix (all singular values tied at 1) and duplicated columns', () => {
    assert.deepEqual(Array.from(assertSvd(new Float64Array(16), 4)), [0, 0, 0, 0]);
    const q = new Float64Array([0, 1, 0, 0, 0, 1, 1, 0, 0]);
    assert.ok(assertSvd(q, 3).every((sigma) => Math.abs(sigma - 1) < 1e-15));
    const twins = gaussian(5, 4);
    for (let i = 0; i < 5; i++) twins[i * 5 + 4] = twins[i * 5 + 1] as number;
    assertSvd(twins, 5);
  });

  it('finds small singular values to ε·σ₁ (the Gram route would give √ε·σ₁) and handles 1×1 and empty matrices', () => {
    // A = P·diag(1, 1e-10, 1e-20)·Q for two rotations P, Q.
    const c = Math.cos(0.7);
    const s = Math.sin(0.7);
    const p = [c, -s, 0, s, c, 0, 0, 0, 1];
    const q = [1, 0, 0, 0, c, s, 0, -s, c];
    const d = [1, 1e-10, 1e-20];
    const m = new Float64Array(9);
    for (let i = 0; i < 3; i++)
      for (let j = 0; j < 3; j++)
        for (let k = 0; k < 3; k++) m[i * 3 + j] = (m[i * 3 + j] as number) + p[i * 3 + k]! * d[k]! * q[k * 3 + j]!;
    const values = assertSvd(m, 3);
    assert.ok(Math.abs((values[1] as number) - 1e-10) < 1e-15, `σ₂ = ${values[1]}`);
    assert.deepEqual(Array.from(assertSvd(new Float64Array([-3]), 1)), [3]);
    assert.equal(squareSvd(new Float64Array(0), 0).values.length, 0);
  });
});

describe('effectiveRank (Roy & Vetterli)', () => {
  it('is the count for equal singular values, 1 for one direction, and NaN for a zero matrix', () => {
    assert.ok(Math.abs(effectiveRank(new Float64Array([2, 2, 2, 2])) - 4) < 1e-12);
    assert.equal(effectiveRank(new Float64Array([5, 0, 0])), 1);
    assert.ok(Number.isNaN(effectiveRank(new Float64Array(3))));
    const p = [3 / 6, 2 / 6, 1 / 6];
    assert.ok(Math.abs(effectiveRank(new Float64Array([3, 2, 1])) - Math.exp(-p.reduce((s, x) => s + x * Math.log(x), 0))) < 1e-12);
  });
});
