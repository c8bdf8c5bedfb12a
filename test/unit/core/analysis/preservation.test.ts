import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { referenceTopK, type KnnGraph } from '../../../../src/core/analysis/knn';
import { neighborhoodPreservation } from '../../../../src/core/analysis/preservation';
import { seededRandom } from '../../../../src/core/analysis/seeded-random';
import type { CheckpointError } from '../../../../src/core/errors';

/** A random "original space" graph: k distinct neighbours per row, none the row itself. */
function randomGraph(n: number, k: number, seed: number): KnnGraph {
  const random = seededRandom(seed);
  const indices = new Int32Array(n * k);
  for (let row = 0; row < n; row++) {
    const chosen = new Set<number>();
    while (chosen.size < k) {
      const candidate = Math.floor(random() * n);
      if (candidate !== row) chosen.add(candidate);
    }
    indices.set([...chosen], row * k);
  }
  return { queries: n, k, indices, scores: new Float32Array(n * k) };
}

/** The definition, by brute force: layout neighbours sorted by (squared distance, row). */
function bruteForceRecall(graph: KnnGraph, coords: Float32Array, dims: number, k: number): number {
  const n = graph.queries;
  let total = 0;
  for (let row = 0; row < n; row++) {
    const order = Array.from({ length: n }, (_, j) => j)
      .filter((j) => j !== row)
      .map((j) => {
        let squared = 0;
        for (let c = 0; c < dims; c++) squared += (coords[row * dims + c]! - coords[j * dims + c]!) ** 2;
        return [squared, j] as const;
      })
      .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    const near = new Set(order.slice(0, k).map(([, j]) => j));
    let shared = 0;
    for (let j = 0; j < k; j++) if (near.has(graph.indices[row * graph.k + j]!)) shared++;
    total += shared / k;
  }
  return total / n;
}

describe('neighborhoodPreservation', () => {
  it('equals the brute-force definition in 2-D and 3-D, ties and duplicate points included', async () => {
    for (const dims of [2, 3]) {
      const n = 700;
      const random = seededRandom(dims);
      // Coordinates on a coarse grid: many equal distances and some coinciding points.
      const coords = Float32Array.from({ length: n * dims }, () => Math.floor(random() * 12));
      const graph = randomGraph(n, 15, dims + 10);
      for (const k of [1, 10, 15]) {
        const result = await neighborhoodPreservation(graph, coords, dims, k);
        assert.ok(Math.abs(result.recall - bruteForceRecall(graph, coords, dims, k)) < 1e-12, `${dims}-D, k = ${k}`);
        assert.equal(result.rows, n);
        assert.equal(result.sampled, null);
      }
    }
  });

  it('is 1 for a layout that is the original space itself, and about k/n for an unrelated one', async () => {
    const n = 500;
    const random = seededRandom(4);
    const coords = Float32Array.from({ length: n * 2 }, () => random());
    const same = await referenceTopK({
      data: coords,
      cols: 2,
      queries: coords,
      exclude: Int32Array.from({ length: n }, (_, i) => i),
      k: 10,
      metric: 'euclidean',
    });
    assert.equal((await neighborhoodPreservation(same, coords, 2, 10)).recall, 1);
    const unrelated = await neighborhoodPreservation(randomGraph(n, 10, 5), coords, 2, 10);
    assert.ok(unrelated.recall < 0.05, `chance level is 10/499, got ${unrelated.recall}`);
  });

  it('measures on the first k of longer lists, and on fewer when a row has fewer neighbours (−1, or itself)', async () => {
    // Four points on a line at 0, 1, 3, 7.
    const coords = Float32Array.from([0, 0, 1, 0, 3, 0, 7, 0]);
    const graph: KnnGraph = {
      queries: 4,
      k: 3,
      // Row 0: 1 then 3 (1 is a layout neighbour at k = 2, 3 is not). Row 1: itself, then 0. Row 2: nothing. Row 3: 2.
      indices: Int32Array.from([1, 3, 2, 1, 0, -1, -1, -1, -1, 2, -1, -1]),
      scores: new Float32Array(12),
    };
    const result = await neighborhoodPreservation(graph, coords, 2, 2);
    // Row 0 keeps 1 of {1, 3}; row 1 asks for {0} (itself dropped) and its nearest is 0; row 3's nearest is 2.
    assert.equal(result.rows, 3, 'a row without neighbours is left out');
    assert.ok(Math.abs(result.recall - (0.5 + 1 + 1) / 3) < 1e-12);
  });

  it('measures a seeded sample of rows when asked, says so, and lands near the full figure', async () => {
    const n = 3000;
    const random = seededRandom(6);
    const coords = Float32Array.from({ length: n * 2 }, () => random());
    const graph = await referenceTopK({
      data: coords,
      cols: 2,
      queries: coords,
      exclude: Int32Array.from({ length: n }, (_, i) => i),
      k: 10,
      metric: 'euclidean',
    });
    // Jitter the layout so the recall is neither 0 nor 1.
    const jittered = coords.map((value) => value + 0.01 * (random() - 0.5));
    const full = await neighborhoodPreservation(graph, jittered, 2, 10);
    const sample = await neighborhoodPreservation(graph, jittered, 2, 10, { maxRows: 1000, seed: 3 });
    const again = await neighborhoodPreservation(graph, jittered, 2, 10, { maxRows: 1000, seed: 3 });
    assert.equal(sample.sampled, 1000);
    assert.equal(sample.rows, 1000);
    assert.equal(again.recall, sample.recall);
    assert.ok(full.recall > 0.2 && full.recall < 0.95, `full ${full.recall}`);
    assert.ok(Math.abs(sample.recall - full.recall) < 0.03, `sample ${sample.recall} vs full ${full.recall}`);
  });

  it('rejects k beyond the graph, mismatched coordinates and a fired signal', async () => {
    const graph = randomGraph(20, 5, 1);
    const coords = new Float32Array(40);
    await assert.rejects(neighborhoodPreservation(graph, coords, 2, 6), /k = 6 needs a graph of at least k neighbours per row, got 5/);
    await assert.rejects(neighborhoodPreservation(graph, coords, 3, 5), /coords must hold 20 rows × 3, got 40 values/);
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(
      neighborhoodPreservation(graph, coords, 2, 5, { signal: controller.signal }),
      (error: unknown) => (error as CheckpointError).code === 'cancelled',
    );
  });
});
