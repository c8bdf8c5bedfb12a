import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PickGrid } from '../../../webview/scatter/pick-grid';
import { seededRandom } from '../helpers';

/** The reference: a scan of every point, with the same distance arithmetic and the same tie rule (lowest index). */
function bruteNearest(xy: Float32Array, x: number, y: number, maxDist: number): number {
  let best = -1;
  let bestD2 = maxDist === Infinity ? Infinity : maxDist * maxDist;
  for (let i = 0; i < xy.length / 2; i++) {
    const px = xy[2 * i]!;
    const py = xy[2 * i + 1]!;
    if (!Number.isFinite(px) || !Number.isFinite(py)) continue;
    const dx = px - x;
    const dy = py - y;
    const d2 = dx * dx + dy * dy;
    if (d2 < bestD2 || (d2 === bestD2 && best < 0)) {
      bestD2 = d2;
      best = i;
    }
  }
  return best;
}

/** Clustered points (a few Gaussian blobs, one much denser) plus a uniform background, as a projection looks. */
function clustered(n: number, random: () => number): Float32Array {
  const xy = new Float32Array(2 * n);
  const centres = [
    [0, 0, 0.05],
    [3, 1, 0.5],
    [-2, 4, 1],
    [10, -6, 0.001],
  ] as const;
  for (let i = 0; i < n; i++) {
    const u = random();
    if (u < 0.1) {
      xy[2 * i] = -5 + random() * 20;
      xy[2 * i + 1] = -8 + random() * 14;
      continue;
    }
    const c = centres[Math.floor(random() * centres.length)]!;
    const r = Math.sqrt(-2 * Math.log(1 - random())) * c[2];
    const t = 2 * Math.PI * random();
    xy[2 * i] = c[0] + r * Math.cos(t);
    xy[2 * i + 1] = c[1] + r * Math.sin(t);
  }
  return xy;
}

describe('scatter pick grid', () => {
  it('agrees with a brute-force scan on 10k seeded clustered points, inside, at the edges and far outside', () => {
    const random = seededRandom(21);
    const xy = clustered(10_000, random);
    const grid = new PickGrid(xy);
    assert.equal(grid.count, 10_000);
    for (let q = 0; q < 3000; q++) {
      const far = q % 10 === 0;
      const x = far ? -50 + random() * 100 : -6 + random() * 22;
      const y = far ? -50 + random() * 100 : -9 + random() * 16;
      const maxDist = [0.01, 0.1, 1, Infinity][q % 4]!;
      assert.equal(grid.nearest(x, y, maxDist), bruteNearest(xy, x, y, maxDist), `query ${q} at (${x}, ${y}) within ${maxDist}`);
    }
  });

  it('finds each point itself when queried exactly at it (distance 0)', () => {
    const random = seededRandom(22);
    const xy = clustered(2000, random);
    const grid = new PickGrid(xy);
    for (let i = 0; i < 2000; i++) {
      const found = grid.nearest(xy[2 * i]!, xy[2 * i + 1]!, 0);
      assert.equal(found, bruteNearest(xy, xy[2 * i]!, xy[2 * i + 1]!, 0));
      assert.equal(xy[2 * found]!, xy[2 * i]!);
    }
  });

  it('breaks ties towards the lowest index, on a lattice where many points are equally near', () => {
    const side = 40;
    const xy = new Float32Array(2 * side * side * 2);
    let k = 0;
    // Every lattice point twice, the duplicate later: the earlier index must win.
    for (let copy = 0; copy < 2; copy++)
      for (let i = 0; i < side; i++)
        for (let j = 0; j < side; j++) {
          xy[k++] = i;
          xy[k++] = j;
        }
    const grid = new PickGrid(xy);
    const random = seededRandom(23);
    for (let q = 0; q < 2000; q++) {
      // Half-integer queries sit exactly between 2 or 4 lattice points.
      const x = Math.floor(random() * (side + 4)) / 2 - 1;
      const y = Math.floor(random() * (side + 4)) / 2 - 1;
      const found = grid.nearest(x, y, Infinity);
      assert.equal(found, bruteNearest(xy, x, y, Infinity), `tie at (${x}, ${y})`);
      assert.ok(found < side * side, 'the first copy wins');
    }
  });

  it('counts maxDist as inclusive and returns -1 beyond it', () => {
    const grid = new PickGrid(Float32Array.from([0, 0, 10, 0]));
    assert.equal(grid.nearest(3, 4, 5), 0);
    assert.equal(grid.nearest(3, 4, 4.999), -1);
    assert.equal(grid.nearest(100, 100, 1), -1);
    assert.equal(grid.nearest(7, 0, Infinity), 1);
  });

  it('answers -1 for an empty set, all-NaN points, and a NaN query, and skips NaN points otherwise', () => {
    assert.equal(new PickGrid(new Float32Array(0)).nearest(0, 0, Infinity), -1);
    const allNaN = new PickGrid(Float32Array.from([NaN, 1, 2, NaN]));
    assert.equal(allNaN.count, 0);
    assert.equal(allNaN.nearest(1, 2, Infinity), -1);
    const mixed = new PickGrid(Float32Array.from([NaN, NaN, 5, 5, 0, 0]));
    assert.equal(mixed.count, 2);
    assert.equal(mixed.nearest(0.1, 0.1, Infinity), 2);
    assert.equal(mixed.nearest(NaN, 0, Infinity), -1);
  });

  it('handles degenerate layouts: one point, coinciding points, points on a line', () => {
    assert.equal(new PickGrid(Float32Array.from([3, 3])).nearest(3.5, 3, 1), 0);
    const same = new PickGrid(Float32Array.from([1, 1, 1, 1, 1, 1]));
    assert.equal(same.nearest(1, 1, 0), 0);
    const random = seededRandom(24);
    const line = new Float32Array(2 * 1000);
    for (let i = 0; i < 1000; i++) line[2 * i] = random() * 100;
    const grid = new PickGrid(line);
    for (let q = 0; q < 500; q++) {
      const x = -10 + random() * 120;
      const y = (random() - 0.5) * 4;
      assert.equal(grid.nearest(x, y, 2), bruteNearest(line, x, y, 2));
    }
  });

  it('indexes a million clustered points and still agrees with brute force on sampled queries', () => {
    const random = seededRandom(25);
    const xy = clustered(1_000_000, random);
    const grid = new PickGrid(xy);
    assert.equal(grid.count, 1_000_000);
    for (let q = 0; q < 60; q++) {
      const x = -6 + random() * 22;
      const y = -9 + random() * 16;
      const maxDist = q % 2 === 0 ? 0.01 : Infinity;
      assert.equal(grid.nearest(x, y, maxDist), bruteNearest(xy, x, y, maxDist));
    }
  });
});
