import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { customAxes } from '../../../../src/core/analysis/custom-axes';
import { fillGaussian, seededRandom } from '../../../../src/core/analysis/seeded-random';

const close = (actual: number, expected: number, what: string): void =>
  assert.ok(Math.abs(actual - expected) < 1e-6, `${what}: ${actual}, expected ${expected}`);

describe('customAxes', () => {
  // Four rows in 2-D: (1, 0), (0, 1), (2, 2), (−1, 0).
  const data = Float32Array.from([1, 0, 0, 1, 2, 2, -1, 0]);

  it('projects every row on mean(+ words) − mean(− words), in units of that axis (whatlies’ scalar projection)', () => {
    const result = customAxes(data, 4, 2, { x: { positive: [0], negative: [3] }, y: { positive: [1] }, normalizeRows: false });
    // x direction (2, 0): row·d / d·d; y direction (0, 1).
    assert.deepEqual(Array.from(result.coords), [0.5, 0, 0, 1, 1, 2, -0.5, 0]);
    assert.deepEqual(Array.from(result.directions), [2, 0, 0, 1]);
    assert.equal(result.axisCosine, 0);
  });

  it('works on unit rows by default (cosine geometry), zero rows staying at the origin', () => {
    const withZero = Float32Array.from([...data, 0, 0]);
    const result = customAxes(withZero, 5, 2, { x: { positive: [0], negative: [3] }, y: { positive: [1] } });
    close(result.coords[4]!, Math.SQRT1_2 / 2, 'x of the unit (2, 2)');
    close(result.coords[5]!, Math.SQRT1_2, 'y of the unit (2, 2)');
    assert.equal(result.coords[8], 0);
    assert.equal(result.coords[9], 0);
  });

  it('can make y orthogonal to x, and reports how far apart the two axes were', () => {
    const result = customAxes(data, 4, 2, {
      x: { positive: [0], negative: [3] },
      y: { positive: [2] },
      normalizeRows: false,
      orthogonalize: true,
    });
    close(result.axisCosine, Math.SQRT1_2, 'cosine of (2, 0) and (2, 2)');
    assert.deepEqual(Array.from(result.directions), [2, 0, 0, 2]);
    close(result.coords[5]!, 1, 'y of (2, 2) on (0, 2)');
  });

  it('puts the + words’ mean one unit beyond the − words’ mean on each axis, in any dimension', () => {
    const rows = 300;
    const cols = 50;
    const values = new Float64Array(rows * cols);
    fillGaussian(values, seededRandom(12));
    const matrix = Float32Array.from(values, (value, i) => value + (i % cols === 0 ? 3 : 0));
    const x = { positive: [1, 2, 3], negative: [4, 5] };
    const y = { positive: [10, 11], negative: [12, 13, 14, 15] };
    for (const orthogonalize of [false, true]) {
      for (const normalizeRows of [false, true]) {
        const { coords, directions } = customAxes(matrix, rows, cols, { x, y, orthogonalize, normalizeRows });
        const mean = (list: number[], axis: number): number =>
          list.reduce((total, row) => total + coords[2 * row + axis]!, 0) / list.length;
        close(mean(x.positive, 0) - mean(x.negative, 0), 1, `x, orthogonalize ${orthogonalize}, normalizeRows ${normalizeRows}`);
        if (!orthogonalize) close(mean(y.positive, 1) - mean(y.negative, 1), 1, `y, normalizeRows ${normalizeRows}`);
        else {
          let dot = 0;
          for (let c = 0; c < cols; c++) dot += directions[c]! * directions[cols + c]!;
          close(dot, 0, 'orthogonalised directions');
        }
      }
    }
  });

  it('rejects an axis without + words, a word outside the rows, a zero-length axis and a y parallel to x', () => {
    assert.throws(
      () => customAxes(data, 4, 2, { x: { positive: [] }, y: { positive: [1] } }),
      /the x axis needs at least one positive word/,
    );
    assert.throws(() => customAxes(data, 4, 2, { x: { positive: [0] }, y: { positive: [9] } }), /the y axis names row 9, outside 0..3/);
    assert.throws(
      () => customAxes(data, 4, 2, { x: { positive: [0], negative: [0] }, y: { positive: [1] } }),
      /the x axis has zero length/,
    );
    assert.throws(
      () => customAxes(data, 4, 2, { x: { positive: [0] }, y: { positive: [3] }, orthogonalize: true }),
      /the y direction is parallel to the x direction/,
    );
    assert.throws(
      () => customAxes(data, 5, 2, { x: { positive: [0] }, y: { positive: [1] } }),
      /data must hold rows × cols = 5 × 2 values, got 8/,
    );
  });

  it('adds a z coordinate for a third axis, and with orthogonalising makes all three directions orthogonal', () => {
    const rows = 200;
    const cols = 20;
    const values = new Float64Array(rows * cols);
    fillGaussian(values, seededRandom(13));
    const matrix = Float32Array.from(values);
    const x = { positive: [1, 2], negative: [3] };
    const y = { positive: [4], negative: [5, 6] };
    const z = { positive: [7, 8, 9], negative: [10] };
    const flat = customAxes(matrix, rows, cols, { x, y });
    for (const orthogonalize of [false, true]) {
      const { coords, directions } = customAxes(matrix, rows, cols, { x, y, z, orthogonalize });
      assert.equal(coords.length, 3 * rows);
      assert.equal(directions.length, 3 * cols);
      const mean = (list: number[], axis: number): number => list.reduce((total, row) => total + coords[3 * row + axis]!, 0) / list.length;
      close(mean(x.positive, 0) - mean(x.negative, 0), 1, `x, orthogonalize ${orthogonalize}`);
      if (!orthogonalize) {
        close(mean(z.positive, 2) - mean(z.negative, 2), 1, 'z');
        // x and y are the 2-D projection's, unchanged by a third axis.
        for (let r = 0; r < rows; r++) {
          assert.equal(coords[3 * r], flat.coords[2 * r]);
          assert.equal(coords[3 * r + 1], flat.coords[2 * r + 1]);
        }
      } else {
        for (const [a, b] of [
          [0, 1],
          [0, 2],
          [1, 2],
        ] as const) {
          let dot = 0;
          for (let c = 0; c < cols; c++) dot += directions[a * cols + c]! * directions[b * cols + c]!;
          close(dot, 0, `directions ${a} and ${b}`);
        }
      }
    }
    assert.throws(
      () => customAxes(matrix, rows, cols, { x, y, z: { positive: [1, 2], negative: [3] }, orthogonalize: true }),
      /the z direction lies in the plane of x and y/,
    );
  });
});
