import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { KnnGraph } from '../../../../src/core/analysis/knn';
import { allPairsKnn, referenceTopK, topK } from '../../../../src/core/analysis/knn';
import { forgetKnnIndex, KnnIndex, knnIndexFor } from '../../../../src/core/analysis/knn-index';
import { wasmKernelsAvailable } from '../../../../src/core/analysis/knn-wasm';
import { fillGaussian } from '../../../../src/core/analysis/seeded-random';
import type { CheckpointError } from '../../../../src/core/errors';
import type { Metric } from '../../../../src/core/neighbors';
import { exactNeighbors } from '../../../../src/core/neighbors';
import { expected, fixture, seededRandom, withCheckpoint } from '../../helpers';

const METRICS: readonly Metric[] = ['cosine', 'dot', 'euclidean'];
const ENGINES = ['wasm', 'js'] as const;

interface Lists {
  indices: number[][];
  scores: number[][];
}
const truth = expected<{ k: number; allPairs: Record<Metric, Lists>; cross: Lists }>('analysis/knn/expected.json');

/** A rows × cols matrix of seeded Gaussian values (float32). */
function gaussian(rows: number, cols: number, seed: number): Float32Array {
  const values = new Float64Array(rows * cols);
  fillGaussian(values, seededRandom(seed));
  return Float32Array.from(values);
}

function loadMatrix(name: string): Promise<Float32Array> {
  return withCheckpoint(fixture(`analysis/knn/${name}`), (checkpoint) => checkpoint.matrices[0]!.load());
}

/** Asserts two graphs list the same rows in the same order with scores equal to float32 rounding. */
function assertSameGraph(actual: KnnGraph, wanted: KnnGraph, label: string): void {
  assert.equal(actual.queries, wanted.queries, `${label}: queries`);
  assert.equal(actual.k, wanted.k, `${label}: k`);
  assert.deepEqual(Array.from(actual.indices), Array.from(wanted.indices), `${label}: indices`);
  for (let i = 0; i < wanted.scores.length; i++) {
    const a = actual.scores[i] as number;
    const b = wanted.scores[i] as number;
    assert.ok(Object.is(a, b) || Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(b)), `${label}: score ${i}: ${a} vs ${b}`);
  }
}

/** Asserts a graph against numpy's lists (rows exactly, scores to float32 precision). */
function assertMatchesNumpy(graph: KnnGraph, lists: Lists, label: string): void {
  assert.equal(graph.queries, lists.indices.length, `${label}: queries`);
  lists.indices.forEach((row, q) => {
    assert.deepEqual(Array.from(graph.indices.subarray(q * graph.k, (q + 1) * graph.k)), row, `${label}: row ${q}`);
    row.forEach((_, j) => {
      const want = lists.scores[q]![j]!;
      const got = graph.scores[q * graph.k + j] as number;
      assert.ok(Math.abs(got - want) <= 1e-5 * Math.max(1, Math.abs(want)), `${label}: row ${q} score ${j}: ${got} vs ${want}`);
    });
  });
}

describe('exact top-k (topK and KnnIndex)', () => {
  it('runs on the WebAssembly SIMD engine in Node', () => {
    assert.equal(wasmKernelsAvailable(), true);
    assert.equal(new KnnIndex(gaussian(10, 3, 1), 3).engine, 'wasm');
  });

  for (const engine of ENGINES) {
    for (const metric of METRICS) {
      it(`gives the reference's lists and scores for ${metric} on random data (${engine} engine, own rows excluded)`, async () => {
        // 517 rows and 37 columns: neither a multiple of the 8-row panels nor of the 4-query groups.
        const cols = 37;
        const data = gaussian(517, cols, 11);
        const queries = data.subarray(0, 61 * cols);
        const exclude = Int32Array.from({ length: 61 }, (_, i) => i);
        const index = new KnnIndex(data, cols, { engine });
        assert.equal(index.engine, engine);
        const graph = await index.search(queries, 9, metric, { exclude });
        assertSameGraph(graph, await referenceTopK({ data, cols, queries, k: 9, metric, exclude }), `${engine} ${metric}`);
        for (let q = 0; q < 61; q++) assert.ok(!graph.indices.subarray(q * 9, q * 9 + 9).includes(q), `row ${q} lists itself`);
      });
    }
  }

  for (const metric of METRICS) {
    it(`matches numpy's all-pairs top-k for ${metric} on clustered rows with a zero row`, async () => {
      const data = await loadMatrix('clusters.npy');
      assertMatchesNumpy(await allPairsKnn(data, 24, truth.k, { metric }), truth.allPairs[metric], metric);
    });
  }

  it('finds cross neighbours (rows of U against V by dot, nothing excluded) as numpy does, on both engines', async () => {
    const u = await loadMatrix('u.npy');
    const v = await loadMatrix('v.npy');
    assertMatchesNumpy(await topK({ data: v, cols: 24, queries: u, k: truth.k, metric: 'dot' }), truth.cross, 'cross');
    assertMatchesNumpy(await new KnnIndex(v, 24, { engine: 'js' }).search(u, truth.k, 'dot'), truth.cross, 'cross js');
  });

  it('answers one query with searchOne exactly as a one-query search and as exactNeighbors', async () => {
    const cols = 19;
    const data = gaussian(300, cols, 5);
    const query = gaussian(1, cols, 6);
    const index = knnIndexFor(data, cols);
    for (const metric of METRICS) {
      const one = index.searchOne(query, 6, metric, 42);
      assertSameGraph(one, await index.search(query, 6, metric, { exclude: Int32Array.of(42) }), metric);
      const listed = exactNeighbors(data, cols, query, 6, metric, 42);
      assert.deepEqual(
        Array.from(one.indices),
        listed.map((n) => n.row),
        `${metric}: exactNeighbors rows`,
      );
    }
  });

  it('caches one index per matrix, found again through a fresh view of the same rows', () => {
    const data = gaussian(20, 4, 7);
    assert.equal(knnIndexFor(data, 4), knnIndexFor(data, 4));
    assert.equal(knnIndexFor(data.subarray(0, 80), 4), knnIndexFor(data, 4));
    assert.notEqual(knnIndexFor(data.subarray(0, 40), 4), knnIndexFor(data, 4));
    assert.notEqual(knnIndexFor(data, 4), knnIndexFor(gaussian(20, 4, 7), 4));
  });

  it('sees values changed in place once the cached index is forgotten', async () => {
    const data = gaussian(50, 4, 12);
    const query = data.slice(0, 4);
    const before = await topK({ data, cols: 4, queries: query, k: 1, metric: 'euclidean', exclude: Int32Array.of(0) });
    const moved = before.indices[0] === 7 ? 8 : 7;
    data.set(query, moved * 4);
    forgetKnnIndex(data);
    const after = await topK({ data, cols: 4, queries: query, k: 1, metric: 'euclidean', exclude: Int32Array.of(0) });
    assert.equal(after.indices[0], moved);
  });

  it('fills slots past the eligible rows with -1 and NaN', async () => {
    const data = gaussian(4, 3, 8);
    const graph = await allPairsKnn(data, 3, 5);
    for (let q = 0; q < 4; q++) {
      const row = Array.from(graph.indices.subarray(q * 5, q * 5 + 5));
      assert.deepEqual(row.slice(3), [-1, -1]);
      assert.deepEqual(
        [...row.slice(0, 3)].sort(),
        [0, 1, 2, 3].filter((i) => i !== q),
      );
      assert.ok(Number.isNaN(graph.scores[q * 5 + 4]));
    }
  });

  it('orders exact ties by row, as the reference does', async () => {
    // Rows 0..5 are the same vector: every other one ties with it.
    const data = new Float32Array(6 * 2).fill(1);
    const graph = await allPairsKnn(data, 2, 3, { metric: 'euclidean' });
    assert.deepEqual(Array.from(graph.indices.subarray(0, 3)), [1, 2, 3]);
    assert.deepEqual(Array.from(graph.indices.subarray(9, 12)), [0, 1, 2]);
  });

  it('reports progress up to 1 and stops with a cancelled error when its signal fires', async () => {
    const data = gaussian(600, 8, 9);
    const seen: number[] = [];
    await allPairsKnn(data, 8, 5, { onProgress: (fraction) => seen.push(fraction) });
    assert.equal(seen.at(-1), 1);
    assert.ok(seen.every((value, i) => i === 0 || value >= (seen[i - 1] as number)));
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(allPairsKnn(data, 8, 5, { signal: controller.signal }), (error: CheckpointError) => error.code === 'cancelled');
  });

  it('embeds the bytes the committed .wat compiles to', async () => {
    const { expectedKernelsModule } = await import('../../../../scripts/build-wasm.mjs');
    const { path, text } = await expectedKernelsModule('knn');
    assert.equal(readFileSync(path, 'utf8'), text, 'run node scripts/build-wasm.mjs');
  });
});
