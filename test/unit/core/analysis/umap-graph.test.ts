import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { referenceTopK, type KnnGraph } from '../../../../src/core/analysis/knn';
import { Pacer } from '../../../../src/core/analysis/pacer';
import { findAbParams } from '../../../../src/core/analysis/umap/ab-params';
import { powerTable, tablePow } from '../../../../src/core/analysis/umap/fast-pow';
import {
  fuzzyGraph,
  knnDistances,
  maxWeight,
  pruneGraph,
  smoothKnn,
  type SparseGraph,
} from '../../../../src/core/analysis/umap/fuzzy-graph';
import { expected } from '../../helpers';

interface GraphCase {
  rows: number;
  cols: number;
  k: number;
  data: number[];
  knnIndices: number[];
  sigmas: number[];
  rhos: number[];
  row: number[];
  col: number[];
  value: number[];
  spectral: number[];
}
const truth = expected<{ ab: { spread: number; minDist: number; a: number; b: number }[]; graph: GraphCase }>(
  'analysis/umap/expected.json',
);

/** The fixture's matrix and its exact cosine kNN graph (each row itself excluded), as our engine computes it. */
async function fixtureGraph(): Promise<{ data: Float32Array; graph: KnnGraph }> {
  const { rows, cols, k } = truth.graph;
  const data = Float32Array.from(truth.graph.data);
  const exclude = Int32Array.from({ length: rows }, (_, i) => i);
  const graph = await referenceTopK({ data, cols, queries: data, exclude, k, metric: 'cosine' });
  return { data, graph };
}

const pacer = (): Pacer => new Pacer(1, undefined, undefined, 'umap');
const relative = (a: number, b: number): number => Math.abs(a - b) / Math.max(Math.abs(b), 1e-12);

/** Asserts the invariants of a fuzzy graph: square, CSR sorted, symmetric, weights in (0, 1], no self-loops. */
function assertFuzzyGraph(graph: SparseGraph): void {
  const weightOf = new Map<string, number>();
  for (let row = 0; row < graph.rows; row++) {
    let previous = -1;
    for (let e = graph.indptr[row]!; e < graph.indptr[row + 1]!; e++) {
      const col = graph.indices[e]!;
      assert.ok(col > previous, `row ${row}: columns ascending`);
      assert.notEqual(col, row, 'no self-loop');
      const weight = graph.weights[e]!;
      assert.ok(weight > 0 && weight <= 1, `weight ${weight} in (0, 1]`);
      weightOf.set(`${row},${col}`, weight);
      previous = col;
    }
  }
  for (const [key, weight] of weightOf) {
    const [row, col] = key.split(',');
    assert.equal(weightOf.get(`${col},${row}`), weight, `(${key}) and its transpose carry the same weight`);
  }
}

describe('findAbParams', () => {
  it("fits the same a and b as umap-learn's find_ab_params (scipy curve_fit) for every setting", () => {
    for (const { spread, minDist, a, b } of truth.ab) {
      const fitted = findAbParams(spread, minDist);
      // scipy stops at its ftol (1.5e-8 of the squared error); both are the same least-squares minimum.
      assert.ok(relative(fitted.a, a) < 2e-5, `a(${spread}, ${minDist}) = ${fitted.a}, umap-learn ${a}`);
      assert.ok(relative(fitted.b, b) < 2e-5, `b(${spread}, ${minDist}) = ${fitted.b}, umap-learn ${b}`);
    }
  });

  it('gives the same b for problems that are the same up to scale (spread and minDist scaled together)', () => {
    const base = findAbParams(1, 0.5);
    const scaled = findAbParams(3, 1.5);
    assert.ok(Math.abs(base.b - scaled.b) < 1e-9, `${base.b} vs ${scaled.b}`);
    // a·(3x)^(2b) = a'·x^(2b) ⇒ a' = a·3^(−2b).
    assert.ok(relative(scaled.a, base.a * Math.pow(3, -2 * base.b)) < 1e-7);
  });

  it('rejects a spread that is not positive and a negative minDist, naming the argument', () => {
    assert.throws(() => findAbParams(0, 0.1), /spread must be a positive number, got 0/);
    assert.throws(() => findAbParams(1, -1), /minDist must be a number ≥ 0, got -1/);
  });
});

describe('tablePow', () => {
  it('agrees with Math.pow to 2e-8 relative (float32 rounding is 6e-8) over the range a layout produces and beyond', () => {
    for (const p of [0.7904949734010681, 0.8950608779914887, 1.3341669929263487, 1.9163904159174419]) {
      const table = powerTable(p);
      let worst = 0;
      for (let i = 0; i <= 20_000; i++) {
        const x = Math.exp(-40 + (80 * i) / 20_000);
        const got = tablePow(x, p, table.values, table.c1, table.c2, table.c3);
        worst = Math.max(worst, relative(got, Math.pow(x, p)));
      }
      assert.ok(worst < 2e-8, `p = ${p}: worst relative error ${worst}`);
    }
  });

  it('falls back to Math.pow outside the table (0, subnormal, huge, infinite)', () => {
    const table = powerTable(0.9);
    for (const x of [0, 1e-300, 5e-324, 1e30, 1e300, Infinity]) {
      assert.equal(tablePow(x, 0.9, table.values, table.c1, table.c2, table.c3), Math.pow(x, 0.9), `x = ${x}`);
    }
  });
});

describe('knnDistances', () => {
  const graph: KnnGraph = {
    queries: 2,
    k: 2,
    indices: Int32Array.from([1, -1, 0, -1]),
    scores: Float32Array.from([0.25, NaN, 1.0000001, NaN]),
  };

  it('turns cosine similarities into 1 − s, clamped at 0, and missing neighbours into NaN', () => {
    const d = knnDistances(graph, 'cosine');
    assert.equal(d[0], 0.75);
    assert.ok(Number.isNaN(d[1]!));
    assert.equal(d[2], 0, 'a duplicate whose float32 cosine rounds above 1 is at distance 0');
  });

  it('keeps euclidean distances and refuses dot-product scores', () => {
    assert.equal(knnDistances(graph, 'euclidean')[0], 0.25);
    assert.throws(() => knnDistances(graph, 'dot'), /metric must be 'cosine' or 'euclidean'/);
  });
});

describe('smoothKnn and fuzzyGraph', () => {
  it('finds the neighbours umap-learn was given (the fixture is self-consistent)', async () => {
    const { graph } = await fixtureGraph();
    assert.deepEqual(Array.from(graph.indices), truth.graph.knnIndices);
  });

  it("computes umap-learn's sigma and rho for every row (n_neighbors = k + 1 with the row itself)", async () => {
    const { graph } = await fixtureGraph();
    const smooth = await smoothKnn(graph, knnDistances(graph, 'cosine'), pacer());
    for (let row = 0; row < graph.queries; row++) {
      // umap-learn works in float32 (its distances, and its binary search stops within 1e-5 of the target sum).
      assert.ok(
        relative(smooth.rhos[row]!, truth.graph.rhos[row]!) < 1e-5,
        `rho[${row}] = ${smooth.rhos[row]}, umap-learn ${truth.graph.rhos[row]}`,
      );
      assert.ok(
        relative(smooth.sigmas[row]!, truth.graph.sigmas[row]!) < 1e-4,
        `sigma[${row}] = ${smooth.sigmas[row]}, umap-learn ${truth.graph.sigmas[row]}`,
      );
    }
  });

  it("builds umap-learn's fuzzy simplicial set: the same edges with the same weights", async () => {
    const { graph } = await fixtureGraph();
    const distances = knnDistances(graph, 'cosine');
    const fuzzy = await fuzzyGraph(graph, distances, await smoothKnn(graph, distances, pacer()), pacer());
    assertFuzzyGraph(fuzzy);
    assert.equal(fuzzy.weights.length, truth.graph.value.length, 'number of directed edges');
    let worst = 0;
    for (let e = 0; e < truth.graph.row.length; e++) {
      const row = truth.graph.row[e]!;
      assert.equal(fuzzy.indices[e], truth.graph.col[e], `edge ${e} of row ${row}`);
      assert.ok(fuzzy.indptr[row]! <= e && e < fuzzy.indptr[row + 1]!, `edge ${e} belongs to row ${row}`);
      worst = Math.max(worst, Math.abs(fuzzy.weights[e]! - truth.graph.value[e]!));
    }
    assert.ok(worst < 2e-5, `largest weight difference ${worst}`);
  });

  it('unites a pair listed both ways by the fuzzy union a + b − ab, and keeps a one-way pair as it is', async () => {
    // Rows 0 and 1 list each other; row 2 lists row 0, which does not list it back.
    const graph: KnnGraph = { queries: 3, k: 1, indices: Int32Array.from([1, 0, 0]), scores: Float32Array.from([0.5, 0.5, 0.2]) };
    const smooth = { rhos: Float64Array.from([0.1, 0.1, 0.1]), sigmas: Float64Array.from([1, 1, 1]) };
    const fuzzy = await fuzzyGraph(graph, Float64Array.from([0.2, 0.3, 0.6]), smooth, pacer());
    const w01 = Math.exp(-(0.2 - 0.1));
    const w10 = Math.exp(-(0.3 - 0.1));
    const w20 = Math.exp(-(0.6 - 0.1));
    assert.deepEqual(Array.from(fuzzy.indptr), [0, 2, 3, 4]);
    assert.deepEqual(Array.from(fuzzy.indices), [1, 2, 0, 0]);
    const union = w01 + w10 - w01 * w10;
    assert.ok(Math.abs(fuzzy.weights[0]! - union) < 1e-12 && Math.abs(fuzzy.weights[2]! - union) < 1e-12);
    assert.ok(Math.abs(fuzzy.weights[1]! - w20) < 1e-12 && Math.abs(fuzzy.weights[3]! - w20) < 1e-12);
  });

  it('gives duplicates (distance 0) full membership and never NaN, and skips missing neighbours and self-references', async () => {
    // Rows 0–2 are identical; row 3 has only one neighbour; row 1 lists itself.
    const graph: KnnGraph = {
      queries: 4,
      k: 2,
      indices: Int32Array.from([1, 2, 1, 0, 0, 1, 0, -1]),
      scores: Float32Array.from([1, 1, 1, 1, 1, 1, 0.5, NaN]),
    };
    const distances = knnDistances(graph, 'cosine');
    const smooth = await smoothKnn(graph, distances, pacer());
    for (let row = 0; row < 4; row++) assert.ok(Number.isFinite(smooth.sigmas[row]!) && smooth.sigmas[row]! > 0, `sigma[${row}]`);
    const fuzzy = await fuzzyGraph(graph, distances, smooth, pacer());
    assertFuzzyGraph(fuzzy);
    assert.deepEqual(Array.from(fuzzy.indices.subarray(fuzzy.indptr[0]!, fuzzy.indptr[1]!)), [1, 2, 3]);
    assert.equal(fuzzy.weights[0], 1, 'duplicates are fully connected');
  });

  it('prunes the weights below a threshold and keeps the graph symmetric', async () => {
    const { graph } = await fixtureGraph();
    const distances = knnDistances(graph, 'cosine');
    const fuzzy = await fuzzyGraph(graph, distances, await smoothKnn(graph, distances, pacer()), pacer());
    const threshold = maxWeight(fuzzy) / 5;
    const pruned = pruneGraph(fuzzy, threshold);
    assertFuzzyGraph(pruned);
    assert.ok(pruned.weights.length < fuzzy.weights.length);
    assert.equal(pruned.weights.length, Array.from(fuzzy.weights).filter((w) => w >= threshold).length);
  });
});
