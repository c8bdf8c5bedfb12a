import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { referenceTopK } from '../../../../src/core/analysis/knn';
import { Pacer } from '../../../../src/core/analysis/pacer';
import { fillGaussian, seededRandom } from '../../../../src/core/analysis/seeded-random';
import { fuzzyGraph, knnDistances, smoothKnn, type SparseGraph } from '../../../../src/core/analysis/umap/fuzzy-graph';
import { initialLayout } from '../../../../src/core/analysis/umap/initial-layout';
import { lobpcg, type BlockOperator } from '../../../../src/core/analysis/umap/lobpcg';
import { connectedComponents, spectralLayout } from '../../../../src/core/analysis/umap/spectral-init';
import { expected } from '../../helpers';

interface GraphCase {
  rows: number;
  cols: number;
  k: number;
  data: number[];
  spectral: number[];
}
const truth = expected<{ graph: GraphCase }>('analysis/umap/expected.json').graph;
const pacer = (): Pacer => new Pacer(1, undefined, undefined, 'umap');

/** UMAP's fuzzy graph of a matrix, from its exact kNN graph. */
async function fuzzyOf(data: Float32Array, cols: number, k: number, metric: 'cosine' | 'euclidean'): Promise<SparseGraph> {
  const rows = data.length / cols;
  const exclude = Int32Array.from({ length: rows }, (_, i) => i);
  const graph = await referenceTopK({ data, cols, queries: data, exclude, k, metric });
  const distances = knnDistances(graph, metric);
  return fuzzyGraph(graph, distances, await smoothKnn(graph, distances, pacer()), pacer());
}

/** `rows` Gaussian points around `centre` (cols values) with the given spread. */
function blob(rows: number, cols: number, centre: number[], spread: number, seed: number): Float32Array {
  const noise = new Float64Array(rows * cols);
  fillGaussian(noise, seededRandom(seed));
  return Float32Array.from(noise, (value, i) => (centre[i % cols] as number) + spread * value);
}

function concat(...parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((total, part) => total + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** |cosine| between column c of an n × dims matrix and column r of another. */
function columnCosine(a: ArrayLike<number>, c: number, b: ArrayLike<number>, r: number, n: number, dims: number): number {
  let dot = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < n; i++) {
    dot += (a[i * dims + c] as number) * (b[i * dims + r] as number);
    aa += (a[i * dims + c] as number) ** 2;
    bb += (b[i * dims + r] as number) ** 2;
  }
  return dot / Math.sqrt(aa * bb);
}

describe('spectralLayout', () => {
  it("finds umap-learn's spectral layout (normalised Laplacian eigenvectors, same signs) whatever the seed", async () => {
    const data = Float32Array.from(truth.data);
    const fuzzy = await fuzzyOf(data, truth.cols, truth.k, 'cosine');
    for (const seed of [1, 2, 3]) {
      const layout = await spectralLayout(fuzzy, 2, seededRandom(seed), pacer(), { data, cols: truth.cols }, 'cosine');
      assert.ok(layout);
      for (let c = 0; c < 2; c++) {
        const cosine = columnCosine(layout, c, truth.spectral, c, truth.rows, 2);
        assert.ok(cosine > 0.999, `seed ${seed}, eigenvector ${c}: cosine with umap-learn's ${cosine}`);
      }
    }
  });

  it('lays out a disconnected graph per component: finite, each component apart, the big one given the most room', async () => {
    const cols = 5;
    const data = concat(
      blob(120, cols, [20, 0, 0, 0, 0], 1, 1),
      blob(40, cols, [0, 20, 0, 0, 0], 1, 2),
      blob(8, cols, [0, 0, 20, 0, 0], 1, 3),
      blob(7, cols, [0, 0, 0, 0, 20], 1, 4),
    );
    const fuzzy = await fuzzyOf(data, cols, 6, 'euclidean');
    const components = connectedComponents(fuzzy);
    // A group is its own component only when it has more rows than k (else its lists reach into another group).
    assert.equal(components.count, 4, `sizes ${Array.from(components.sizes)}`);
    assert.deepEqual(Array.from(components.sizes), [120, 40, 8, 7]);
    const layout = await spectralLayout(fuzzy, 2, seededRandom(1), pacer(), { data, cols }, 'euclidean');
    assert.ok(layout);
    assert.ok(layout.every(Number.isFinite));
    // Each component's bounding box is disjoint from the others'.
    const boxes = Array.from({ length: components.count }, () => [Infinity, Infinity, -Infinity, -Infinity]);
    for (let i = 0; i < fuzzy.rows; i++) {
      const box = boxes[components.labels[i]!]!;
      box[0] = Math.min(box[0]!, layout[2 * i]!);
      box[1] = Math.min(box[1]!, layout[2 * i + 1]!);
      box[2] = Math.max(box[2]!, layout[2 * i]!);
      box[3] = Math.max(box[3]!, layout[2 * i + 1]!);
    }
    // Disks of radius r around each centre never overlap; boxes of disks can only touch at the corners.
    const extent = (box: number[]): number => Math.max(box[2]! - box[0]!, box[3]! - box[1]!);
    assert.ok(extent(boxes[0]!) > extent(boxes[1]!) && extent(boxes[1]!) > extent(boxes[2]!), 'more rows, more room');
    const centre = (box: number[]): [number, number] => [(box[0]! + box[2]!) / 2, (box[1]! + box[3]!) / 2];
    for (let p = 0; p < boxes.length; p++) {
      for (let q = p + 1; q < boxes.length; q++) {
        const [px, py] = centre(boxes[p]!);
        const [qx, qy] = centre(boxes[q]!);
        const gap = Math.hypot(px - qx, py - qy);
        assert.ok(gap > 0.45 * (extent(boxes[p]!) + extent(boxes[q]!)), `components ${p} and ${q} overlap`);
      }
    }
  });

  it('labels connected components by first appearance', () => {
    // 0–1, 2 alone, 3–4; symmetric CSR.
    const graph: SparseGraph = {
      rows: 5,
      indptr: Int32Array.from([0, 1, 2, 2, 3, 4]),
      indices: Int32Array.from([1, 0, 4, 3]),
      weights: Float64Array.from([1, 1, 1, 1]),
    };
    const components = connectedComponents(graph);
    assert.equal(components.count, 3);
    assert.deepEqual(Array.from(components.labels), [0, 0, 1, 2, 2]);
    assert.deepEqual(Array.from(components.sizes), [2, 1, 2]);
  });
});

describe('lobpcg', () => {
  it('finds the largest eigenpairs of a clustered spectrum, leaving out a deflated vector', async () => {
    // A diagonal operator: eigenvalue 1 on e₀ (deflated), then 0.999, 0.998, 0.99, … — gaps as small as a big kNN graph's.
    const n = 400;
    const diagonal = Float64Array.from({ length: n }, (_, i) => (i === 0 ? 1 : i === 1 ? 0.999 : i === 2 ? 0.998 : 0.99 - i / (2 * n)));
    const operator: BlockOperator = {
      n,
      apply(x, y, stride, from, to) {
        for (let i = 0; i < n; i++) for (let c = from; c < to; c++) y[i * stride + c] = diagonal[i]! * x[i * stride + c]!;
      },
    };
    const deflate = new Float64Array(n);
    deflate[0] = 1;
    const found = await lobpcg(operator, {
      wanted: 2,
      blockSize: 4,
      deflate,
      tolerance: 1e-8,
      maxIterations: 500,
      random: seededRandom(5),
      pacer: pacer(),
    });
    assert.ok(
      Math.abs(found.values[0]! - 0.999) < 1e-12 && Math.abs(found.values[1]! - 0.998) < 1e-12,
      `values ${Array.from(found.values)}`,
    );
    assert.ok(found.residual <= 1e-8);
    assert.ok(Math.abs(Math.abs(found.vectors[1 * 2 + 0]!) - 1) < 1e-6, 'first vector is e₁');
    assert.ok(Math.abs(Math.abs(found.vectors[2 * 2 + 1]!) - 1) < 1e-6, 'second vector is e₂');
    assert.ok(Math.abs(found.vectors[0]!) < 1e-12 && Math.abs(found.vectors[1]!) < 1e-12, 'nothing along the deflated e₀');
  });
});

describe('initialLayout', () => {
  it('scales every start to [0, 10] on each axis, as umap-learn does, for spectral, PCA and random starts', async () => {
    const cols = 6;
    const data = concat(blob(80, cols, [5, 0, 0, 0, 0, 0], 1, 7), blob(80, cols, [0, 5, 0, 0, 0, 0], 1, 8));
    const fuzzy = await fuzzyOf(data, cols, 8, 'euclidean');
    for (const init of ['spectral', 'pca', 'random'] as const) {
      for (const dims of [2, 3] as const) {
        const start = await initialLayout(fuzzy, { data, cols }, dims, init, 'euclidean', seededRandom(1), pacer());
        assert.equal(start.init, init);
        assert.equal(start.embedding.length, 160 * dims);
        for (let c = 0; c < dims; c++) {
          const axis = Array.from({ length: 160 }, (_, i) => start.embedding[i * dims + c]!);
          assert.ok(Math.abs(Math.min(...axis)) < 1e-12 && Math.abs(Math.max(...axis) - 10) < 1e-9, `${init} ${dims}-D axis ${c}`);
        }
      }
    }
  });

  it('needs the vectors for a PCA start and says so', async () => {
    const fuzzy = await fuzzyOf(blob(20, 3, [0, 0, 0], 1, 9), 3, 4, 'euclidean');
    await assert.rejects(initialLayout(fuzzy, undefined, 2, 'pca', 'euclidean', seededRandom(1), pacer()), /init 'pca' needs the vectors/);
  });
});
