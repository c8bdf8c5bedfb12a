import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pca, type PcaResult } from '../../../../src/core/analysis/pca';
import { sortedSample, seededRandom as coreRandom } from '../../../../src/core/analysis/seeded-random';
import { symmetricEigen } from '../../../../src/core/analysis/symmetric-eigen';
import type { CheckpointError } from '../../../../src/core/errors';
import { expected, fixture, maxAbsDiff, seededRandom, withCheckpoint } from '../../helpers';

interface ReferenceCase {
  file: string;
  rows: number;
  cols: number;
  finiteRows: number;
  /** Components numpy found with non-zero variance (at most 3). */
  spanned: number;
  mean: number[];
  components: number[][];
  explainedVarianceRatio: number[];
  coords: number[][];
}
const truth = expected<{ tool: string; cases: Record<string, ReferenceCase> }>('analysis/pca/expected.json');

/** Loads a fixture matrix through the project's own readers (npy, word2vec). */
function loadMatrix(relative: string): Promise<Float32Array> {
  return withCheckpoint(fixture(relative), (checkpoint) => checkpoint.matrices[0]!.load());
}

/** Row r of a row-major matrix with `cols` columns. */
const rowOf = (data: ArrayLike<number>, r: number, cols: number): number[] =>
  Array.from({ length: cols }, (_, c) => data[r * cols + c] as number);
const dot = (a: number[], b: number[]): number => a.reduce((total, value, i) => total + value * (b[i] as number), 0);

/** A rows×cols matrix with `directions.length` planted directions of the given spreads, noise and an offset. */
function plantedMatrix(
  rows: number,
  cols: number,
  spreads: number[],
  noise: number,
  seed: number,
): { data: Float32Array; directions: number[][] } {
  const random = seededRandom(seed);
  const gaussian = (): number => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const directions: number[][] = [];
  for (let d = 0; d < spreads.length; d++) {
    const v = Array.from({ length: cols }, gaussian);
    for (const u of directions) {
      const p = dot(u, v);
      u.forEach((value, c) => (v[c] = (v[c] as number) - p * value));
    }
    const norm = Math.sqrt(dot(v, v));
    directions.push(v.map((value) => value / norm));
  }
  const data = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const scores = spreads.map((spread) => spread * gaussian());
    for (let c = 0; c < cols; c++) {
      let value = 2 + noise * gaussian();
      directions.forEach((u, d) => (value += (scores[d] as number) * (u[c] as number)));
      data[r * cols + c] = value;
    }
  }
  return { data, directions };
}

/** The properties every result has: unit orthogonal axes, coords = (x − mean)·axes, ratios descending in [0, 1]. */
function assertPcaProperties(result: PcaResult, data: Float32Array, rows: number, cols: number, k: number): void {
  assert.equal(result.coords.length, rows * k);
  assert.equal(result.components.length, k * cols);
  const axes = Array.from({ length: k }, (_, r) => rowOf(result.components, r, cols));
  axes.forEach((a, i) =>
    axes.forEach((b, j) => {
      if (i > j) return;
      const expectedDot = i === j && (i < cols || cols === 0) ? 1 : 0;
      assert.ok(Math.abs(dot(a, b) - expectedDot) < 1e-5, `axes ${i}·${j} = ${dot(a, b)}, expected ${expectedDot}`);
    }),
  );
  const mean = Array.from(result.mean);
  let worst = 0;
  let scale = 1e-12;
  for (let r = 0; r < rows; r++) {
    const x = rowOf(data, r, cols);
    if (!x.every(Number.isFinite)) continue;
    const centred = x.map((value, c) => value - (mean[c] as number));
    axes.forEach((axis, j) => {
      const want = dot(centred, axis);
      scale = Math.max(scale, Math.abs(want));
      worst = Math.max(worst, Math.abs(want - (result.coords[r * k + j] as number)));
    });
  }
  assert.ok(worst <= 1e-5 * scale + 1e-6, `coords differ from (x − mean)·components by ${worst} (scale ${scale})`);
  const ratios = result.explainedVarianceRatio;
  assert.equal(ratios.length, k);
  ratios.forEach((ratio, i) => {
    assert.ok(ratio >= 0 && ratio <= 1, `ratio ${i} = ${ratio}`);
    if (i > 0) assert.ok(ratio <= (ratios[i - 1] as number) + 1e-12, 'ratios descend');
  });
  assert.ok(ratios.reduce((a, b) => a + b, 0) <= 1 + 1e-9);
  for (const axis of axes) {
    const largest = axis.reduce((best, value, c) => (Math.abs(value) > Math.abs(axis[best] as number) ? c : best), 0);
    assert.ok((axis[largest] ?? 0) >= 0, 'the largest-|value| entry of every axis is positive');
  }
}

/** Largest principal-angle sine between the spans of two sets of orthonormal vectors: ‖(I − BBᵀ)a‖ over a in A. */
function subspaceDistance(a: number[][], b: number[][]): number {
  return Math.max(
    ...a.map((u) => {
      const rest = [...u];
      for (const v of b) {
        const p = dot(u, v);
        v.forEach((value, c) => (rest[c] = (rest[c] as number) - p * value));
      }
      return Math.sqrt(dot(rest, rest));
    }),
  );
}

describe(`pca agrees with numpy's SVD (${truth.tool}) on fixtures it wrote`, () => {
  for (const [name, reference] of Object.entries(truth.cases)) {
    for (const k of [3, 2] as const) {
      it(`matches the ${k}-component PCA of ${name} (${reference.rows}×${reference.cols})`, async () => {
        const data = await loadMatrix(reference.file);
        const result = await pca(data, reference.rows, reference.cols, { components: k });
        assertPcaProperties(result, data, reference.rows, reference.cols, k);
        assert.equal(result.fittedRows, reference.finiteRows);
        assert.equal(result.nonFiniteRows, reference.rows - reference.finiteRows);
        assert.ok(result.converged);
        const spread = Math.max(1, ...reference.mean.map(Math.abs));
        assert.ok(maxAbsDiff(result.mean, reference.mean) < 1e-6 * spread, 'mean');
        assert.ok(maxAbsDiff(result.explainedVarianceRatio, reference.explainedVarianceRatio.slice(0, k)) < 1e-6, 'ratios');
        const scale = Math.max(1e-12, ...reference.coords.flat().map(Math.abs));
        for (let r = 0; r < Math.min(k, reference.spanned); r++) {
          // Same sign convention as the generator, so no "up to sign" is needed.
          const diff = maxAbsDiff(rowOf(result.components, r, reference.cols), reference.components[r]!);
          assert.ok(diff < 2e-5, `component ${r} differs from numpy's by ${diff}`);
          const coords = reference.coords.map((row, i) => (result.coords[i * k + r] as number) - (row[r] as number));
          assert.ok(Math.max(...coords.map(Math.abs)) < 1e-4 * scale, `coordinates on axis ${r}`);
        }
        for (let r = reference.spanned; r < k; r++) {
          assert.equal(result.explainedVarianceRatio[r], 0, `axis ${r} is not spanned by the data`);
          for (let i = 0; i < reference.rows; i++) assert.ok(Math.abs(result.coords[i * k + r] as number) < 1e-5 * Math.max(1, scale));
        }
      });
    }
  }
});

describe('pca on shapes numpy has no opinion about', () => {
  it('returns empty coordinates and the standard basis for a matrix with no rows', async () => {
    const result = await pca(new Float32Array(0), 0, 4, { components: 3 });
    assert.equal(result.coords.length, 0);
    assert.deepEqual(Array.from(result.components), [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0]);
    assert.deepEqual(result.explainedVarianceRatio, [0, 0, 0]);
    assert.equal(result.fittedRows, 0);
  });

  it('gives the second axis of a one-column matrix as a zero vector', async () => {
    const data = Float32Array.from([3, -1, 4, 1, -5]);
    const result = await pca(data, 5, 1, { components: 2 });
    assert.deepEqual(Array.from(result.components), [1, 0]);
    assert.deepEqual(result.explainedVarianceRatio, [1, 0]);
    assert.deepEqual(
      Array.from(result.coords).filter((_, i) => i % 2 === 1),
      [0, 0, 0, 0, 0],
    );
  });

  it('leaves rows holding NaN or Infinity out of the fit and puts them at the origin', async () => {
    const { data } = plantedMatrix(200, 8, [4, 2], 0.3, 5);
    const clean = data.slice();
    data.fill(Number.NaN, 10 * 8, 11 * 8);
    data[50 * 8 + 3] = Number.POSITIVE_INFINITY;
    data[51 * 8] = Number.NEGATIVE_INFINITY;
    const result = await pca(data, 200, 8, { components: 2 });
    assert.equal(result.nonFiniteRows, 3);
    assert.equal(result.fittedRows, 197);
    for (const row of [10, 50, 51]) assert.deepEqual(Array.from(result.coords.subarray(row * 2, row * 2 + 2)), [0, 0]);
    const withoutBad = new Float32Array(197 * 8);
    let at = 0;
    for (let r = 0; r < 200; r++) if (r !== 10 && r !== 50 && r !== 51) withoutBad.set(clean.subarray(r * 8, r * 8 + 8), 8 * at++);
    const reference = await pca(withoutBad, 197, 8, { components: 2 });
    assert.ok(maxAbsDiff(result.components, reference.components) < 1e-6, 'the same fit as without those rows');
  });

  it('rejects arguments it cannot honour, naming them', async () => {
    await assert.rejects(pca(new Float32Array(5), 2, 3, { components: 2 }), /matrix must hold rows × cols = 6 values, got 5/);
    await assert.rejects(pca(new Float32Array(6), 2, 3, { components: 4 as 2 }), /components must be 2 or 3, got 4/);
    await assert.rejects(pca(new Float32Array(6), 2, 3, { components: 2, maxFitRows: 1 }), /maxFitRows must be a whole number ≥ 2/);
  });
});

describe('pca on larger seeded matrices', () => {
  it('recovers the planted subspace from a 4,000-row sample of 60,000 rows, as the full fit does', async () => {
    const cols = 48;
    const { data, directions } = plantedMatrix(60_000, cols, [9, 6, 4], 1, 11);
    const sampled = await pca(data, 60_000, cols, { components: 3, maxFitRows: 4_000, seed: 3 });
    const full = await pca(data, 60_000, cols, { components: 3, maxFitRows: 60_000 });
    assert.equal(sampled.fittedRows, 4_000);
    assert.equal(full.fittedRows, 60_000);
    assertPcaProperties(sampled, data, 60_000, cols, 3);
    const axes = (result: PcaResult): number[][] => [0, 1, 2].map((r) => rowOf(result.components, r, cols));
    assert.ok(subspaceDistance(axes(sampled), axes(full)) < 0.05, 'the sample finds the full fit’s subspace');
    assert.ok(subspaceDistance(directions, axes(full)) < 0.01, 'the full fit finds the planted subspace');
    assert.ok(maxAbsDiff(sampled.explainedVarianceRatio, full.explainedVarianceRatio) < 0.02);
  });

  it('gives identical bytes for the same seed, and the same axes for any seed when every row is fitted', async () => {
    const { data } = plantedMatrix(3_000, 120, [5, 4, 3, 2], 1, 21);
    const first = await pca(data, 3_000, 120, { components: 3, seed: 7 });
    const again = await pca(data, 3_000, 120, { components: 3, seed: 7 });
    const other = await pca(data, 3_000, 120, { components: 3, seed: 8 });
    assert.deepEqual(again.coords, first.coords);
    assert.deepEqual(again.components, first.components);
    assert.ok(maxAbsDiff(other.components, first.components) < 1e-5, 'the solver converged, so the seed does not show');
  });

  it('still returns an orthonormal, projected basis when a flat spectrum stops the solver at its limit', async () => {
    const { data } = plantedMatrix(2_000, 300, [], 1, 31);
    const result = await pca(data, 2_000, 300, { components: 2 });
    assert.deepEqual([result.passes, result.converged], [16, false], '16 passes of 4 vectors: the 64-vector limit');
    assertPcaProperties(result, data, 2_000, 300, 2);
  });
});

describe('pca progress and cancellation', () => {
  const { data } = plantedMatrix(30_000, 64, [3, 2], 1, 41);

  it('reports non-decreasing progress ending at 1', async () => {
    const seen: number[] = [];
    await pca(data, 30_000, 64, { components: 2, onProgress: (fraction) => seen.push(fraction) });
    assert.ok(seen.length >= 2);
    assert.deepEqual(
      seen,
      [...seen].sort((a, b) => a - b),
    );
    assert.equal(seen.at(-1), 1);
  });

  it('rejects with a cancelled error when aborted before it starts or while it runs', async () => {
    const before = new AbortController();
    before.abort();
    await assert.rejects(
      pca(data, 30_000, 64, { components: 2, signal: before.signal }),
      (error: CheckpointError) => error.code === 'cancelled',
    );
    const during = new AbortController();
    const running = pca(data, 30_000, 64, {
      components: 2,
      maxFitRows: 30_000,
      signal: during.signal,
      onProgress: (fraction) => fraction > 0.05 && during.abort(),
    });
    await assert.rejects(running, (error: CheckpointError) => error.code === 'cancelled');
  });
});

describe('the PCA helpers', () => {
  it('symmetricEigen returns A·v = λ·v with eigenvalues descending', () => {
    const n = 6;
    const random = seededRandom(51);
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = i; j < n; j++) a[i * n + j] = a[j * n + i] = random() - 0.5;
    const { values, vectors } = symmetricEigen(a, n);
    for (let r = 0; r < n; r++) {
      const v = rowOf(vectors, r, n);
      const av = Array.from({ length: n }, (_, i) => dot(rowOf(a, i, n), v));
      assert.ok(
        maxAbsDiff(
          av,
          v.map((x) => x * (values[r] as number)),
        ) < 1e-12,
      );
      if (r > 0) assert.ok((values[r] as number) <= (values[r - 1] as number));
    }
  });

  it('sortedSample draws distinct increasing indices, the same ones for the same seed', () => {
    const sample = sortedSample(1_000, 100, coreRandom(9));
    assert.equal(sample.length, 100);
    for (let i = 1; i < sample.length; i++) assert.ok((sample[i] as number) > (sample[i - 1] as number));
    assert.ok((sample[99] as number) < 1_000);
    assert.deepEqual(sortedSample(1_000, 100, coreRandom(9)), sample);
    assert.deepEqual(Array.from(sortedSample(3, 10, coreRandom(9))), [0, 1, 2]);
  });
});
