import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KnnGraph } from '../../../../src/core/analysis/knn';
import { allPairsKnn } from '../../../../src/core/analysis/knn';
import { approximateKnn } from '../../../../src/core/analysis/nn-descent';
import { fillGaussian } from '../../../../src/core/analysis/seeded-random';
import type { CheckpointError } from '../../../../src/core/errors';
import { seededRandom } from '../../helpers';

/** `rows` points around `clusters` random centres in `cols` dimensions (spread 1 around centres of spread 3). */
function clustered(rows: number, cols: number, clusters: number, seed: number): Float32Array {
  const random = seededRandom(seed);
  const centres = new Float64Array(clusters * cols);
  fillGaussian(centres, random);
  const noise = new Float64Array(rows * cols);
  fillGaussian(noise, random);
  const data = new Float32Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    const centre = Math.floor(random() * clusters);
    for (let c = 0; c < cols; c++) data[i * cols + c] = 3 * (centres[centre * cols + c] as number) + (noise[i * cols + c] as number);
  }
  return data;
}

/** Share of the exact lists' rows the approximate lists found (recall@k). */
function recall(found: KnnGraph, exact: KnnGraph): number {
  let hits = 0;
  for (let q = 0; q < exact.queries; q++) {
    const truth = new Set(exact.indices.subarray(q * exact.k, (q + 1) * exact.k));
    for (let j = 0; j < found.k; j++) if (truth.has(found.indices[q * found.k + j] as number)) hits++;
  }
  return hits / (exact.queries * exact.k);
}

describe('approximateKnn (NN-descent)', () => {
  const cols = 24;
  const data = clustered(3000, cols, 30, 3);

  for (const metric of ['cosine', 'euclidean'] as const) {
    it(`finds at least 95% of the exact ${metric} top-10 on clustered data`, async () => {
      const exact = await allPairsKnn(data, cols, 10, { metric });
      const found = await approximateKnn(data, cols, 10, { metric, seed: 7 });
      const share = recall(found, exact);
      assert.ok(share >= 0.95, `recall@10 ${share.toFixed(4)}`);
    });
  }

  it('gives the same graph for the same seed', async () => {
    const a = await approximateKnn(data, cols, 10, { seed: 11, trees: 2, maxIterations: 3 });
    const b = await approximateKnn(data, cols, 10, { seed: 11, trees: 2, maxIterations: 3 });
    assert.deepEqual(a.indices, b.indices);
    assert.deepEqual(a.scores, b.scores);
  });

  it('lists each row at most once, never itself, best first, with exact cosine scores', async () => {
    const graph = await approximateKnn(data, cols, 10, { seed: 5 });
    for (let q = 0; q < graph.queries; q++) {
      const row = Array.from(graph.indices.subarray(q * 10, q * 10 + 10));
      assert.ok(!row.includes(q), `row ${q} lists itself`);
      assert.equal(new Set(row).size, 10, `row ${q} repeats a neighbour`);
      for (let j = 1; j < 10; j++) assert.ok((graph.scores[q * 10 + j] as number) <= (graph.scores[q * 10 + j - 1] as number));
    }
    // Spot-check a score against its definition.
    const [a, b] = [0, graph.indices[0] as number];
    let dot = 0;
    let na = 0;
    let nb = 0;
    for (let c = 0; c < cols; c++) {
      const x = data[a * cols + c] as number;
      const y = data[b * cols + c] as number;
      dot += x * y;
      na += x * x;
      nb += y * y;
    }
    assert.ok(Math.abs((graph.scores[0] as number) - dot / Math.sqrt(na * nb)) < 1e-6);
  });

  it('also reaches high recall with the plain JavaScript engine', async () => {
    const small = data.subarray(0, 800 * cols);
    const exact = await allPairsKnn(small, cols, 10);
    const share = recall(await approximateKnn(small, cols, 10, { engine: 'js' }), exact);
    assert.ok(share >= 0.95, `recall@10 ${share.toFixed(4)}`);
  });

  it('returns a complete graph when there are barely more rows than k', async () => {
    const tiny = clustered(12, 4, 2, 9);
    const graph = await approximateKnn(tiny, 4, 10);
    const exact = await allPairsKnn(tiny, 4, 10);
    assert.equal(recall(graph, exact), 1);
  });

  it('reports progress up to 1 and stops with a cancelled error when its signal fires', async () => {
    const seen: number[] = [];
    await approximateKnn(data.subarray(0, 500 * cols), cols, 5, { onProgress: (fraction) => seen.push(fraction) });
    assert.equal(seen.at(-1), 1);
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(
      approximateKnn(data, cols, 5, { signal: controller.signal }),
      (error: CheckpointError) => error.code === 'cancelled',
    );
  });
});
