import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UMAP } from 'umap-js';
import type { CheckpointError } from '../../../../src/core/errors';
import { referenceTopK, type KnnGraph } from '../../../../src/core/analysis/knn';
import { neighborhoodPreservation } from '../../../../src/core/analysis/preservation';
import { fillGaussian, seededRandom } from '../../../../src/core/analysis/seeded-random';
import { prepareUmap, runUmap, type RunUmapOptions } from '../../../../src/core/analysis/umap/umap';

/** Seeded Gaussian blobs: `blobs` centres ~N(0, spread²) in `cols` dimensions, unit noise around each. */
function gaussianBlobs(
  blobs: number,
  perBlob: number,
  cols: number,
  spread: number,
  seed: number,
): { data: Float32Array; labels: Int32Array } {
  const random = seededRandom(seed);
  const centres = new Float64Array(blobs * cols);
  fillGaussian(centres, random);
  const rows = blobs * perBlob;
  const noise = new Float64Array(rows * cols);
  fillGaussian(noise, random);
  const data = new Float32Array(rows * cols);
  const labels = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    labels[i] = i % blobs;
    for (let c = 0; c < cols; c++) data[i * cols + c] = spread * centres[labels[i]! * cols + c]! + noise[i * cols + c]!;
  }
  return { data, labels };
}

/** Exact kNN graph of the rows among themselves (UMAP's input: k = 14 is umap-learn's n_neighbors = 15). */
function knnOf(data: Float32Array, cols: number, k: number, metric: 'cosine' | 'euclidean'): Promise<KnnGraph> {
  const rows = data.length / cols;
  return referenceTopK({ data, cols, queries: data, exclude: Int32Array.from({ length: rows }, (_, i) => i), k, metric });
}

/** Share of each point's `k` nearest layout neighbours (brute force) carrying its label. */
function labelPurity(coords: ArrayLike<number>, dims: number, labels: Int32Array, k: number): number {
  const n = labels.length;
  let same = 0;
  for (let i = 0; i < n; i++) {
    const distances: [number, number][] = [];
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      let squared = 0;
      for (let c = 0; c < dims; c++) squared += ((coords[i * dims + c] as number) - (coords[j * dims + c] as number)) ** 2;
      distances.push([squared, j]);
    }
    distances.sort((a, b) => a[0] - b[0]);
    for (let q = 0; q < k; q++) if (labels[distances[q]![1]] === labels[i]) same++;
  }
  return same / (n * k);
}

const blobs = gaussianBlobs(5, 80, 20, 3, 7);
const COLS = 20;

describe('runUmap against umap-js', () => {
  it('keeps seeded Gaussian blobs in 20-D apart as umap-js does, with as good a neighbourhood preservation', async () => {
    const graph = await knnOf(blobs.data, COLS, 14, 'euclidean');
    const ours = await runUmap(graph, { data: blobs.data, cols: COLS }, { metric: 'euclidean', seed: 3 });
    const reference = new UMAP({ nNeighbors: 15, random: seededRandom(3) });
    const rows = Array.from({ length: blobs.labels.length }, (_, i) => Array.from(blobs.data.subarray(i * COLS, (i + 1) * COLS)));
    const theirs = Float32Array.from(reference.fit(rows).flat());

    const oursPurity = labelPurity(ours.coords, 2, blobs.labels, 10);
    const theirPurity = labelPurity(theirs, 2, blobs.labels, 10);
    assert.ok(theirPurity > 0.9, `umap-js purity ${theirPurity} (the reference itself separates the blobs)`);
    assert.ok(oursPurity >= 0.97, `our 10-NN label purity ${oursPurity}`);
    assert.ok(oursPurity >= theirPurity - 0.02, `ours ${oursPurity} vs umap-js ${theirPurity}`);

    const high = await knnOf(blobs.data, COLS, 10, 'euclidean');
    const oursKept = (await neighborhoodPreservation(high, ours.coords, 2, 10)).recall;
    const theirsKept = (await neighborhoodPreservation(high, theirs, 2, 10)).recall;
    assert.ok(oursKept >= theirsKept - 0.05, `preservation ours ${oursKept} vs umap-js ${theirsKept}`);
    assert.ok(Math.abs(oursKept - theirsKept) < 0.15, `preservation ours ${oursKept} vs umap-js ${theirsKept} should be alike`);
  });
});

describe('runUmap', () => {
  it('gives the same coordinates for the same seed, different ones for another seed, and runs umap-learn’s 500 epochs on small graphs', async () => {
    const graph = await knnOf(blobs.data, COLS, 14, 'euclidean');
    const rows = { data: blobs.data, cols: COLS };
    const first = await runUmap(graph, rows, { metric: 'euclidean', seed: 11, nEpochs: 60 });
    const again = await runUmap(graph, rows, { metric: 'euclidean', seed: 11, nEpochs: 60 });
    const other = await runUmap(graph, rows, { metric: 'euclidean', seed: 12, nEpochs: 60 });
    assert.deepEqual(again.coords, first.coords);
    assert.notDeepEqual(other.coords, first.coords);
    assert.equal(first.epochs, 60);
    assert.equal((await prepareUmap(graph, rows, { metric: 'euclidean' })).epochs, 500);
  });

  it('does not depend on how the work is sliced: the time-boxed run equals whole epochs stepped in one go', async () => {
    const graph = await knnOf(blobs.data, COLS, 14, 'cosine');
    const rows = { data: blobs.data, cols: COLS };
    const options = { metric: 'cosine', seed: 5, nEpochs: 80 } as const;
    const sliced = await runUmap(graph, rows, { ...options, signal: new AbortController().signal });
    const optimizer = await prepareUmap(graph, rows, options);
    assert.equal(optimizer.step(30), false);
    optimizer.advance(17);
    optimizer.advance(1);
    assert.equal(optimizer.step(1000), true);
    assert.equal(optimizer.epoch, 80);
    assert.deepEqual(optimizer.coords(), sliced.coords);
  });

  it('reports the starting layout, then monotone epochs, then the end, each with a copy of the coordinates', async () => {
    const graph = await knnOf(blobs.data, COLS, 14, 'euclidean');
    const reports: { epoch: number; epochs: number; coords: Float32Array }[] = [];
    const result = await runUmap(graph, undefined, {
      metric: 'euclidean',
      seed: 2,
      nEpochs: 50,
      onProgress: (epoch, epochs, coords) => reports.push({ epoch, epochs, coords }),
    });
    assert.ok(reports.length >= 2);
    assert.equal(reports[0]!.epoch, 0);
    assert.equal(reports.at(-1)!.epoch, 50);
    for (let r = 1; r < reports.length; r++) assert.ok(reports[r]!.epoch >= reports[r - 1]!.epoch, 'epochs never go back');
    for (const report of reports) {
      assert.equal(report.epochs, 50);
      assert.equal(report.coords.length, blobs.labels.length * 2);
    }
    reports.at(-1)!.coords.fill(NaN);
    assert.ok(result.coords.every(Number.isFinite), 'the reported copy is not the result');
    assert.notDeepEqual(reports[0]!.coords, result.coords, 'the first report is the start, not the end');
  });

  it('lays out in 3-D as well', async () => {
    const graph = await knnOf(blobs.data, COLS, 14, 'euclidean');
    const result = await runUmap(graph, { data: blobs.data, cols: COLS }, { metric: 'euclidean', dims: 3, seed: 4, nEpochs: 200 });
    assert.equal(result.dims, 3);
    assert.equal(result.coords.length, blobs.labels.length * 3);
    assert.ok(result.coords.every(Number.isFinite));
    assert.ok(labelPurity(result.coords, 3, blobs.labels, 10) > 0.97);
  });

  it('starts from PCA or uniform noise when asked, and says which start it used', async () => {
    const graph = await knnOf(blobs.data, COLS, 14, 'euclidean');
    for (const init of ['pca', 'random', 'spectral'] as const) {
      const result = await runUmap(graph, { data: blobs.data, cols: COLS }, { metric: 'euclidean', init, seed: 1, nEpochs: 100 });
      assert.equal(result.info.init, init);
      assert.ok(labelPurity(result.coords, 2, blobs.labels, 10) > 0.95, `${init} start`);
    }
  });
});

describe('runUmap cancellation', () => {
  const cancelled = (error: unknown): boolean => (error as CheckpointError).code === 'cancelled';

  it('refuses to start when the signal has already fired', async () => {
    const graph = await knnOf(blobs.data, COLS, 14, 'euclidean');
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(runUmap(graph, undefined, { metric: 'euclidean', signal: controller.signal }), cancelled);
  });

  it('stops while preparing (graph, start) once the signal fires', async () => {
    const graph = await knnOf(blobs.data, COLS, 14, 'euclidean');
    const controller = new AbortController();
    let epochsSeen = 0;
    const options: RunUmapOptions = {
      metric: 'euclidean',
      signal: controller.signal,
      onPrepareProgress: (fraction) => {
        if (fraction > 0) controller.abort();
      },
      onProgress: () => epochsSeen++,
    };
    await assert.rejects(runUmap(graph, { data: blobs.data, cols: COLS }, options), cancelled);
    assert.equal(epochsSeen, 0, 'no layout was reported');
  });

  it('stops between epochs once the signal fires, before finishing', async () => {
    const graph = await knnOf(blobs.data, COLS, 14, 'euclidean');
    const controller = new AbortController();
    let last = 0;
    const options: RunUmapOptions = {
      metric: 'euclidean',
      nEpochs: 100_000,
      signal: controller.signal,
      onProgress: (epoch) => {
        last = epoch;
        if (epoch > 0) controller.abort();
      },
    };
    await assert.rejects(runUmap(graph, undefined, options), cancelled);
    assert.ok(last > 0 && last < 100_000, `stopped at epoch ${last}`);
  });
});

describe('runUmap on degenerate input', () => {
  it('lays out no rows, one row and two rows without NaN', async () => {
    const empty = await runUmap({ queries: 0, k: 0, indices: new Int32Array(0), scores: new Float32Array(0) }, undefined, {
      metric: 'cosine',
    });
    assert.equal(empty.coords.length, 0);
    const one = await runUmap({ queries: 1, k: 0, indices: new Int32Array(0), scores: new Float32Array(0) }, undefined, {
      metric: 'cosine',
    });
    assert.deepEqual(Array.from(one.coords), [0, 0]);
    const data = Float32Array.from([1, 0, 0, 1]);
    const two = await runUmap(await knnOf(data, 2, 1, 'cosine'), { data, cols: 2 }, { metric: 'cosine', seed: 1 });
    assert.equal(two.coords.length, 4);
    assert.ok(two.coords.every(Number.isFinite));
  });

  it('copes with fewer rows than neighbours asked for (lists padded with −1)', async () => {
    const { data } = gaussianBlobs(1, 6, 4, 1, 3);
    const graph = await knnOf(data, 4, 14, 'cosine');
    assert.equal(graph.indices[5 * 14 + 13], -1);
    const result = await runUmap(graph, { data, cols: 4 }, { metric: 'cosine', dims: 3 });
    assert.ok(result.coords.length === 18 && result.coords.every(Number.isFinite));
  });

  it('keeps duplicate rows together and finite', async () => {
    const { data: base } = gaussianBlobs(3, 30, 8, 4, 9);
    const data = new Float32Array(base.length + 30 * 8);
    data.set(base);
    for (let r = 0; r < 30; r++) data.set(base.subarray(0, 8), base.length + r * 8);
    const graph = await knnOf(data, 8, 14, 'cosine');
    const result = await runUmap(graph, { data, cols: 8 }, { metric: 'cosine', seed: 3, nEpochs: 150 });
    assert.ok(result.coords.every(Number.isFinite));
    // The 31 copies of row 0 end up in one small patch of the layout.
    const xs = [0, ...Array.from({ length: 30 }, (_, r) => 90 + r)].map((row) => result.coords[2 * row]!);
    const layoutSpan = Math.max(...result.coords) - Math.min(...result.coords);
    assert.ok(Math.max(...xs) - Math.min(...xs) < 0.2 * layoutSpan, 'duplicates stay together');
  });

  it('lays out a disconnected graph: each component finite and apart', async () => {
    const far = gaussianBlobs(2, 40, 6, 50, 21);
    const graph = await knnOf(far.data, 6, 5, 'euclidean');
    const result = await runUmap(graph, { data: far.data, cols: 6 }, { metric: 'euclidean', seed: 8, nEpochs: 200 });
    assert.ok(result.info.components >= 2, `${result.info.components} components`);
    assert.ok(result.coords.every(Number.isFinite));
    assert.equal(labelPurity(result.coords, 2, far.labels, 5), 1);
  });

  it('rejects bad arguments, naming them', async () => {
    const graph = await knnOf(blobs.data, COLS, 14, 'euclidean');
    await assert.rejects(runUmap(graph, undefined, { metric: 'dot' as 'cosine' }), /metric must be 'cosine' or 'euclidean', got 'dot'/);
    await assert.rejects(runUmap(graph, undefined, { metric: 'cosine', dims: 4 as 2 }), /dims must be 2 or 3, got 4/);
    await assert.rejects(runUmap(graph, undefined, { metric: 'cosine', nEpochs: 0 }), /nEpochs must be a whole number ≥ 1, got 0/);
    const foreign = { ...graph, indices: graph.indices.map((index) => index + 1000) };
    await assert.rejects(runUmap(foreign, undefined, { metric: 'cosine' }), /graph must be square/);
    await assert.rejects(
      runUmap(graph, { data: new Float32Array(10), cols: COLS }, { metric: 'cosine' }),
      /rows must hold 400 × 20 values, got 10/,
    );
  });
});
