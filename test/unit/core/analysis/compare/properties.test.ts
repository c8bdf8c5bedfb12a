import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareUV } from '../../../../../src/core/analysis/compare/compare-uv';
import { jaccardPerRow } from '../../../../../src/core/analysis/compare/jaccard';
import { selfRanks } from '../../../../../src/core/analysis/compare/self-rank';
import { rowCosines } from '../../../../../src/core/analysis/compare/uv-metrics';
import { WorkMeter } from '../../../../../src/core/analysis/compare/work-meter';
import { topK } from '../../../../../src/core/analysis/knn';
import { Pacer } from '../../../../../src/core/analysis/pacer';
import { fillGaussian } from '../../../../../src/core/analysis/seeded-random';
import type { CheckpointError } from '../../../../../src/core/errors';
import { seededRandom } from '../../../helpers';

/** rows×cols Gaussian entries with a few stronger directions (so neighbour lists are not pure noise). */
function gaussianMatrix(rows: number, cols: number, seed: number): Float32Array {
  const values = new Float64Array(rows * cols);
  fillGaussian(values, seededRandom(seed));
  for (let i = 0; i < values.length; i++) values[i] = (values[i] as number) * (1 + 3 / (1 + (i % cols)));
  return Float32Array.from(values);
}

/** A random orthogonal n×n matrix (Gram–Schmidt of a Gaussian one), row-major. */
function randomOrthogonal(n: number, seed: number): Float64Array {
  const q = new Float64Array(n * n);
  fillGaussian(q, seededRandom(seed));
  for (let i = 0; i < n; i++) {
    for (let pass = 0; pass < 2; pass++) {
      for (let j = 0; j < i; j++) {
        let dot = 0;
        for (let c = 0; c < n; c++) dot += (q[i * n + c] as number) * (q[j * n + c] as number);
        for (let c = 0; c < n; c++) q[i * n + c] = (q[i * n + c] as number) - dot * (q[j * n + c] as number);
      }
    }
    let norm = 0;
    for (let c = 0; c < n; c++) norm += (q[i * n + c] as number) ** 2;
    for (let c = 0; c < n; c++) q[i * n + c] = (q[i * n + c] as number) / Math.sqrt(norm);
  }
  return q;
}

/** scale · X·R + shift, rounded to float32. */
function transform(x: Float32Array, rows: number, cols: number, r: Float64Array, scale: number, shift: number): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    for (let k = 0; k < cols; k++) {
      let sum = 0;
      for (let c = 0; c < cols; c++) sum += (x[i * cols + c] as number) * (r[c * cols + k] as number);
      out[i * cols + k] = scale * sum + shift;
    }
  }
  return out;
}

const ROWS = 240;
const COLS = 10;
const u = gaussianMatrix(ROWS, COLS, 11);
const w = gaussianMatrix(ROWS, COLS, 12);
const v = Float32Array.from(u, (x, i) => 0.5 * x + (w[i] as number));

describe('U-vs-V metrics: properties', () => {
  it('CKA is invariant to orthogonal transforms, isotropic scaling and shifts of either matrix', async () => {
    const base = await compareUV(u, v, ROWS, COLS, { k: 5 });
    const moved = transform(u, ROWS, COLS, randomOrthogonal(COLS, 3), 7.5, -2);
    const movedV = transform(v, ROWS, COLS, randomOrthogonal(COLS, 4), 0.01, 3);
    const other = await compareUV(moved, movedV, ROWS, COLS, { k: 5 });
    assert.ok(Math.abs(other.linearCka - base.linearCka) < 1e-6, `${other.linearCka} vs ${base.linearCka}`);
    assert.ok(base.linearCka > 0 && base.linearCka < 1);
  });

  it('Procrustes leaves no residual and recovers R when V = s·U·R + t for a random orthogonal R', async () => {
    const r = randomOrthogonal(COLS, 5);
    const report = await compareUV(u, transform(u, ROWS, COLS, r, 3, 0.25), ROWS, COLS, { k: 5 });
    assert.ok(report.procrustesResidual < 1e-12, `residual ${report.procrustesResidual}`);
    report.rotation.forEach((value, i) => assert.ok(Math.abs(value - (r[i] as number)) < 1e-6, `R[${i}]`));
    assert.ok(Math.abs(report.linearCka - 1) < 1e-9);
  });

  it('gives a rotation that is orthogonal and attains the residual, even for a rank-deficient U', async () => {
    const flat = Float32Array.from(u, (x, i) => (i % COLS < 3 ? x : i % COLS === 3 ? (u[i - 1] as number) : 0));
    const report = await compareUV(flat, v, ROWS, COLS, { k: 5 });
    const r = report.rotation;
    for (let i = 0; i < COLS; i++) {
      for (let j = 0; j < COLS; j++) {
        let dot = 0;
        for (let c = 0; c < COLS; c++) dot += (r[c * COLS + i] as number) * (r[c * COLS + j] as number);
        assert.ok(Math.abs(dot - (i === j ? 1 : 0)) < 1e-12, `RᵀR[${i}][${j}] = ${dot}`);
      }
    }
    assert.ok(Math.abs(alignedResidual(flat, v, r) - report.procrustesResidual) < 1e-12);
  });

  it('is symmetric: CKA, residual and Jaccard@k of (U, V) equal those of (V, U)', async () => {
    const forward = await compareUV(u, v, ROWS, COLS, { k: 7 });
    const backward = await compareUV(v, u, ROWS, COLS, { k: 7 });
    assert.ok(Math.abs(forward.linearCka - backward.linearCka) < 1e-12);
    assert.ok(Math.abs(forward.procrustesResidual - backward.procrustesResidual) < 1e-12);
    assert.deepEqual(forward.jaccard, backward.jaccard);
    const a = await topK({ data: u, cols: COLS, queries: u, exclude: iota(ROWS), k: 7, metric: 'cosine' });
    const b = await topK({ data: v, cols: COLS, queries: v, exclude: iota(ROWS), k: 7, metric: 'cosine' });
    assert.deepEqual(jaccardPerRow(a, b), jaccardPerRow(b, a));
    assert.ok(jaccardPerRow(a, a).every((value) => value === 1));
  });

  it('gives cos 1 for identical rows and self rank 1 for unit rows scored against themselves', async () => {
    assert.ok(rowCosines(u, u, ROWS, COLS).every((value) => Math.abs(value - 1) < 1e-15));
    const unit = normalised(u);
    const ranks = await selfRanks(unit, unit, ROWS, COLS, null, meter());
    assert.ok(ranks.every((rank) => rank === 1));
  });

  it('ranks by dot score, so a longer vector in the same direction outranks the token itself', async () => {
    const tiny = Float32Array.from([1, 0, 2, 0, 0, 1, 3, 3]);
    // Rows (1,0), (2,0), (0,1), (3,3): (3,3) outscores every row's own score but its own.
    assert.deepEqual(Array.from(await selfRanks(tiny, tiny, 4, 2, null, meter())), [3, 2, 2, 1]);
  });

  it('gives the same numbers for the same seed and another sample for another seed', async () => {
    const first = await compareUV(u, v, ROWS, COLS, { k: 5, sampleRows: 50, seed: 9 });
    const again = await compareUV(u, v, ROWS, COLS, { k: 5, sampleRows: 50, seed: 9 });
    const other = await compareUV(u, v, ROWS, COLS, { k: 5, sampleRows: 50, seed: 10 });
    assert.deepEqual(first.sample, again.sample);
    assert.deepEqual(first.jaccard, again.jaccard);
    assert.deepEqual(first.selfRank, again.selfRank);
    assert.equal(first.meanJaccard, again.meanJaccard);
    assert.notDeepEqual(first.sample, other.sample);
  });

  it('reports progress rising to 1', async () => {
    const seen: number[] = [];
    await compareUV(u, v, ROWS, COLS, { k: 5, onProgress: (fraction) => seen.push(fraction) });
    assert.ok(seen.length > 2);
    assert.ok(seen.every((fraction, i) => i === 0 || fraction >= (seen[i - 1] as number)));
    assert.equal(seen.at(-1), 1);
  });

  it('stops with a cancelled error when the signal fires mid-way, and at once when it already has', async () => {
    const big = gaussianMatrix(3000, 32, 21);
    const bigV = gaussianMatrix(3000, 32, 22);
    const controller = new AbortController();
    const running = compareUV(big, bigV, 3000, 32, {
      sampleRows: 3000,
      signal: controller.signal,
      onProgress: (fraction) => fraction > 0.05 && controller.abort(),
    });
    await assert.rejects(running, (error: CheckpointError) => error.code === 'cancelled');
    await assert.rejects(
      compareUV(u, v, ROWS, COLS, { signal: AbortSignal.abort() }),
      (error: CheckpointError) => error.code === 'cancelled',
    );
  });

  it('refuses matrices with NaN or infinite values, naming the matrix and the first bad row', async () => {
    const bad = Float32Array.from(v);
    bad[3 * COLS + 1] = NaN;
    await assert.rejects(compareUV(u, bad, ROWS, COLS), {
      code: 'unsupported',
      message: /^V has 1 row with NaN or infinite values \(first: row 3\)/,
    });
  });
});

describe('U-vs-V metrics: tied models', () => {
  it('gives the implied values when U and V hold the same numbers, and still computes spectra and anisotropy', async () => {
    const report = await compareUV(u, Float32Array.from(u), ROWS, COLS, { k: 5 });
    const untied = await compareUV(u, v, ROWS, COLS, { k: 5 });
    assert.equal(report.tied, true);
    assert.ok(report.cos.every((value) => value === 1));
    assert.equal(report.meanCos, 1);
    assert.equal(report.meanJaccard, 1);
    assert.equal(report.linearCka, 1);
    assert.equal(report.procrustesResidual, 0);
    assert.equal(report.neighbours, null);
    assert.deepEqual(report.singularValues.u, untied.singularValues.u);
    assert.deepEqual(report.singularValues.v, report.singularValues.u);
    assert.ok(report.singularValues.sum.every((sigma, i) => sigma === 2 * (report.singularValues.u[i] as number)));
    assert.equal(report.effectiveRank.u, untied.effectiveRank.u);
    assert.equal(report.anisotropy.u.mean, untied.anisotropy.u.mean);
    assert.deepEqual(report.selfRank, await selfRanks(u, u, ROWS, COLS, null, meter()));
  });

  it('takes V to be U when the checkpoint declares the matrices tied', async () => {
    const report = await compareUV(u, v, ROWS, COLS, { k: 5, tied: true });
    assert.equal(report.tied, true);
    assert.equal(report.linearCka, 1);
  });
});

function iota(n: number): Int32Array {
  return Int32Array.from({ length: n }, (_, i) => i);
}

function meter(): WorkMeter {
  return new WorkMeter(new Pacer(1, undefined, undefined, 'test'));
}

function normalised(x: Float32Array): Float32Array {
  const out = new Float32Array(x.length);
  for (let row = 0; row < ROWS; row++) {
    let norm = 0;
    for (let c = 0; c < COLS; c++) norm += (x[row * COLS + c] as number) ** 2;
    for (let c = 0; c < COLS; c++) out[row * COLS + c] = (x[row * COLS + c] as number) / Math.sqrt(norm);
  }
  return out;
}

/** ‖Â R − B̂‖²_F on centred, unit-Frobenius matrices, directly from the rows. */
function alignedResidual(a: Float32Array, b: Float32Array, r: Float64Array): number {
  const centre = (x: Float32Array): Float64Array => {
    const out = Float64Array.from(x);
    for (let c = 0; c < COLS; c++) {
      let mean = 0;
      for (let row = 0; row < ROWS; row++) mean += out[row * COLS + c] as number;
      for (let row = 0; row < ROWS; row++) out[row * COLS + c] = (out[row * COLS + c] as number) - mean / ROWS;
    }
    const norm = Math.sqrt(out.reduce((sum, value) => sum + value * value, 0));
    return out.map((value) => value / norm);
  };
  const ca = centre(a);
  const cb = centre(b);
  let total = 0;
  for (let row = 0; row < ROWS; row++) {
    for (let k = 0; k < COLS; k++) {
      let sum = 0;
      for (let c = 0; c < COLS; c++) sum += (ca[row * COLS + c] as number) * (r[c * COLS + k] as number);
      total += (sum - (cb[row * COLS + k] as number)) ** 2;
    }
  }
  return total;
}
