import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { depthCue, depthOrder } from '../../../webview/scatter/depth-cue';
import type { PositionSink } from '../../../webview/scatter/geometry';
import { OrbitView } from '../../../webview/scatter/orbit-view';
import { emptyFrame } from '../../../webview/scatter/renderer';
import { seededRandom } from '../helpers';

/** Records what the view hands the renderer. */
class Sink implements PositionSink {
  positions: Float32Array = new Float32Array(0);
  cue: Float32Array | undefined;
  order: Uint32Array | undefined;
  uploads = 0;
  setPositions(positions: Float32Array): void {
    this.positions = positions;
    this.uploads++;
  }
  setCue(cue: Float32Array | undefined): void {
    this.cue = cue;
  }
  setOrder(order: Uint32Array | undefined): void {
    this.order = order;
  }
}

function cloud(n: number, seed: number): Float32Array {
  const random = seededRandom(seed);
  const xyz = new Float32Array(3 * n);
  for (let i = 0; i < xyz.length; i++) xyz[i] = (random() - 0.5) * 20;
  return xyz;
}

function view(xyz: Float32Array, width = 640, height = 480): { view: OrbitView; sink: Sink } {
  const sink = new Sink();
  const v = new OrbitView(sink);
  v.resize(width, height);
  v.place(xyz, xyz.length / 3);
  v.fit(24);
  return { view: v, sink };
}

/** Reference picking: every point projected by the camera, nearest on screen within the radius, lowest index on ties. */
function bruteNearest(v: OrbitView, xyz: Float32Array, x: number, y: number, radius: number): number {
  const p = { x: 0, y: 0, depth: 0 };
  let best = -1;
  let bestD2 = radius * radius;
  for (let i = 0; i < xyz.length / 3; i++) {
    if (!v.camera.project(xyz[3 * i]!, xyz[3 * i + 1]!, xyz[3 * i + 2]!, p)) continue;
    // Same float32 rounding as the view's screen array.
    const d2 = (Math.fround(p.x) - x) ** 2 + (Math.fround(p.y) - y) ** 2;
    if (d2 < bestD2 || (d2 === bestD2 && best < 0)) {
      bestD2 = d2;
      best = i;
    }
  }
  return best;
}

describe('3-D scatter view', () => {
  it('picks the point nearest to the pointer on screen, as projecting every point would, after turning', () => {
    const xyz = cloud(3000, 31);
    const { view: v } = view(xyz);
    const random = seededRandom(32);
    for (let turn = 0; turn < 5; turn++) {
      v.orbitBy((random() - 0.5) * 300, (random() - 0.5) * 300);
      v.zoomAt(1 + random(), random() * 640, random() * 480);
      for (let k = 0; k < 200; k++) {
        const x = random() * 640;
        const y = random() * 480;
        assert.equal(v.pick(x, y, 6), bruteNearest(v, xyz, x, y, 6), `turn ${turn}, query ${k}`);
      }
    }
  });

  it('picks a point drawn at the pointer, and nothing far from every point', () => {
    const xyz = cloud(500, 33);
    const { view: v } = view(xyz);
    v.orbitBy(80, -40);
    for (const i of [0, 17, 499]) {
      const at = v.toClient(i);
      assert.ok(at, `point ${i} is on the canvas`);
      const picked = v.pick(at.x, at.y, 6);
      const there = v.toClient(picked);
      assert.ok(there && Math.hypot(there.x - at.x, there.y - at.y) === 0, 'the pick lies exactly under the pointer');
    }
    assert.equal(v.pick(-100, -100, 6), -1);
  });

  it('turns without rebuilding the picking grid: one projection per frame, one grid when a pick needs it', () => {
    const xyz = cloud(2000, 34);
    const { view: v, sink } = view(xyz);
    const frame = emptyFrame();
    v.prepare(frame, 1, 1);
    const builds = v.gridBuilds;
    const projections = v.projections;
    for (let k = 0; k < 30; k++) {
      v.orbitBy(5, 2);
      v.prepare(frame, 1, 1);
    }
    assert.equal(v.projections - projections, 30);
    assert.equal(v.gridBuilds, builds, 'a drag builds no grid');
    v.pick(320, 240, 6);
    v.pick(100, 100, 6);
    assert.equal(v.gridBuilds, builds + 1, 'the first pick after the turn builds one grid, the next reuses it');
    assert.equal(v.projections - projections, 30, 'picking the frame just drawn projects nothing again');
    assert.ok(sink.uploads >= 31);
  });

  it('hands the renderer CSS px positions, a far-to-near order and a depth cue that shrinks and fades far points', () => {
    const xyz = cloud(4000, 35);
    const { view: v, sink } = view(xyz);
    v.orbitBy(40, 10);
    const frame = emptyFrame();
    v.prepare(frame, 2, 2);
    assert.deepEqual([frame.ax, frame.bx, frame.ay, frame.by], [2, 0, 2, 0]);
    const order = sink.order as Uint32Array;
    const cue = sink.cue as Float32Array;
    assert.equal(order.length, 4000);
    assert.equal(new Set(order).size, 4000, 'a permutation');
    const p = { x: 0, y: 0, depth: 0 };
    const depthOf = (i: number): number => (v.camera.project(xyz[3 * i]!, xyz[3 * i + 1]!, xyz[3 * i + 2]!, p), p.depth);
    const depths = Array.from(order, depthOf);
    const range = Math.max(...depths) - Math.min(...depths);
    for (let k = 1; k < depths.length; k++) {
      // Counting sort into 4,096 slices: out of order by less than a slice.
      assert.ok(depths[k]! <= depths[k - 1]! + range / 4000, `order at ${k}`);
    }
    const far = order[0]!;
    const near = order[order.length - 1]!;
    assert.ok(cue[2 * far]! < cue[2 * near]!, 'far points are smaller');
    assert.ok(cue[2 * far + 1]! < cue[2 * near + 1]!, 'and fainter');
    const at = v.toClient(near);
    assert.ok(at);
    assert.equal(sink.positions[2 * near], Math.fround(at.x));
  });

  it('parks points behind the eye off-canvas and leaves them out of picking, labels and the drawing order', () => {
    const xyz = Float32Array.from([-10, -10, -10, 10, 10, 10, 0, 0, 9]);
    const { view: v, sink } = view(xyz);
    v.camera.orient(0, 0); // looking down −z from +z
    v.orbitBy(0, 0);
    // Dolly as far in as allowed: the eye ends 1% of the fitted distance from the target (the origin), so the
    // point at z = 9 (and the corner at z = 10) are behind it.
    for (let k = 0; k < 30; k++) v.zoomAt(2, 320, 240);
    v.prepare(emptyFrame(), 1, 1);
    assert.ok(v.camera.eyeZ > 0 && v.camera.eyeZ < 9);
    for (const hidden of [1, 2]) {
      assert.equal(sink.positions[2 * hidden], 1e6);
      assert.equal(v.toClient(hidden), undefined);
    }
    assert.deepEqual([...(sink.order ?? [])].slice(0, 2).sort(), [1, 2], 'hidden points come first (never drawn over others)');
    assert.equal(v.pick(320, 240, 1e6), 0, 'only the visible point can be picked');
  });

  it('centres the view on a point and turns about it', () => {
    const xyz = cloud(100, 36);
    const { view: v } = view(xyz);
    assert.ok(v.centerOn(42));
    const at = v.toClient(42);
    assert.ok(at);
    assert.ok(Math.abs(at.x - 320) < 1e-3 && Math.abs(at.y - 240) < 1e-3);
    v.orbitBy(150, 60);
    const still = v.toClient(42);
    assert.ok(still && Math.abs(still.x - 320) < 1e-3 && Math.abs(still.y - 240) < 1e-3);
    assert.equal(v.centerOn(100), false);
  });
});

describe('depth order and cue', () => {
  it('sorts far to near with points that are not drawn first, and is a permutation', () => {
    const random = seededRandom(37);
    const n = 10_000;
    const depth = new Float32Array(n);
    for (let i = 0; i < n; i++) depth[i] = random() < 0.01 ? Number.NaN : 1 + random() * 99;
    const order = new Uint32Array(n);
    depthOrder(depth, n, order, new Uint32Array(4098));
    assert.equal(new Set(order).size, n);
    const hidden = depth.filter((d) => Number.isNaN(d)).length;
    for (let k = 0; k < hidden; k++) assert.ok(Number.isNaN(depth[order[k]!]!));
    for (let k = hidden + 1; k < n; k++) assert.ok(depth[order[k]!]! <= depth[order[k - 1]!]! + 99 / 4095);
  });

  it('orders well-separated depths exactly, and equal depths by index', () => {
    const depth = Float32Array.from([3, 1, 2, 5, 4, 2]);
    const order = new Uint32Array(6);
    depthOrder(depth, 6, order, new Uint32Array(66));
    assert.deepEqual([...order], [3, 4, 0, 2, 5, 1]);
  });

  it('makes nearer points larger and more opaque, within limits', () => {
    const near = { size: 0, alpha: 0 };
    const mid = { size: 0, alpha: 0 };
    const far = { size: 0, alpha: 0 };
    depthCue(2, 3, 1, near);
    depthCue(3, 3, 1, mid);
    depthCue(4, 3, 1, far);
    assert.ok(near.size > mid.size && mid.size > far.size);
    assert.ok(near.alpha > mid.alpha && mid.alpha > far.alpha);
    assert.equal(mid.size, 1);
    assert.equal(near.alpha, 1);
    const tiny = { size: 0, alpha: 0 };
    depthCue(0.001, 3, 1, tiny);
    assert.equal(tiny.size, 2.5);
    depthCue(1000, 3, 1, tiny);
    assert.equal(tiny.size, 0.4);
    assert.ok(Math.abs(tiny.alpha - 0.4) < 1e-12);
  });
});
