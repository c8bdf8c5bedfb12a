import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OrbitCamera, bounds3Of, radiusAround, type Projected } from '../../../webview/scatter/orbit-camera';
import { seededRandom } from '../helpers';

function camera(width: number, height: number): OrbitCamera {
  const cam = new OrbitCamera();
  cam.resize(width, height);
  return cam;
}

function close(actual: number, expected: number, tolerance = 1e-9): void {
  assert.ok(Math.abs(actual - expected) <= tolerance * Math.max(1, Math.abs(expected)), `${actual} ≠ ${expected}`);
}

const eyeDistance = (cam: OrbitCamera): number => Math.hypot(cam.eyeX - cam.targetX, cam.eyeY - cam.targetY, cam.eyeZ - cam.targetZ);

const at = (): Projected => ({ x: 0, y: 0, depth: 0 });

describe('orbit camera', () => {
  it('finds the bounds of the finite triples and skips any with a NaN or infinite value', () => {
    const b = bounds3Of(Float32Array.from([1, 2, 3, NaN, 0, 0, -3, 4, -1, 0, Infinity, 0, 0.5, -1, 7]));
    assert.deepEqual(b, { minX: -3, minY: -1, minZ: -1, maxX: 1, maxY: 4, maxZ: 7, count: 3 });
    assert.equal(bounds3Of(Float32Array.from([NaN, 1, 1])).count, 0);
  });

  it('projects known points: the target to the centre, x right and y up at yaw = pitch = 0, by focal / depth', () => {
    const cam = camera(800, 600);
    cam.orient(0, 0);
    cam.distance = 10;
    const p = at();
    assert.ok(cam.project(0, 0, 0, p));
    close(p.x, 400);
    close(p.y, 300);
    close(p.depth, 10);
    cam.project(1, 0, 0, p);
    close(p.x, 400 + cam.focal / 10);
    close(p.y, 300);
    cam.project(0, 2, 0, p);
    close(p.x, 400);
    close(p.y, 300 - (2 * cam.focal) / 10);
    // Nearer (z towards the eye) means larger offsets: the perspective divide.
    cam.project(1, 0, 5, p);
    close(p.depth, 5);
    close(p.x, 400 + cam.focal / 5);
    // A vertical field of view of 35°: a point at the top edge of the view sits at tan(17.5°) · depth.
    cam.project(0, Math.tan((17.5 * Math.PI) / 180) * 10, 0, p);
    close(p.y, 0, 1e-9);
  });

  it('hides points behind the eye and reports their depth', () => {
    const cam = camera(400, 400);
    cam.orient(0, 0);
    cam.distance = 10;
    const p = at();
    assert.equal(cam.project(0, 0, 11, p), false);
    assert.ok(Number.isNaN(p.x) && Number.isNaN(p.y));
    assert.ok(p.depth < 0);
  });

  it('keeps the eye at the same distance from the target, and the basis orthonormal, while orbiting', () => {
    const random = seededRandom(21);
    const cam = camera(640, 480);
    cam.fit({ minX: -5, minY: -2, minZ: 0, maxX: 5, maxY: 2, maxZ: 3, count: 9 }, 24);
    const distance = cam.distance;
    const target = [cam.targetX, cam.targetY, cam.targetZ];
    for (let k = 0; k < 500; k++) {
      cam.orbitBy((random() - 0.5) * 400, (random() - 0.5) * 400);
      close(eyeDistance(cam), distance, 1e-12);
      assert.deepEqual([cam.targetX, cam.targetY, cam.targetZ], target);
      const r = [cam.rx, cam.ry, cam.rz];
      const u = [cam.ux, cam.uy, cam.uz];
      const b = [cam.bx, cam.by, cam.bz];
      const dot = (a: number[], c: number[]): number => a.reduce((sum, v, i) => sum + v * (c[i] as number), 0);
      for (const [a, c, want] of [
        [r, r, 1],
        [u, u, 1],
        [b, b, 1],
        [r, u, 0],
        [r, b, 0],
        [u, b, 0],
      ] as const)
        close(dot(a, c), want, 1e-12);
      assert.ok(Math.abs(cam.pitch) < Math.PI / 2, 'pitch stops short of the poles');
    }
  });

  it('turns the cloud with the drag: a drag to the right moves the near side of the cloud right', () => {
    const cam = camera(600, 600);
    cam.fit({ minX: -1, minY: -1, minZ: -1, maxX: 1, maxY: 1, maxZ: 1, count: 2 }, 24);
    cam.orient(0, 0);
    const p = at();
    cam.project(0, 0, 1, p); // the point nearest the eye
    const before = p.x;
    cam.orbitBy(20, 0);
    cam.project(0, 0, 1, p);
    assert.ok(p.x > before, `${p.x} > ${before}`);
  });

  it('pans so a point at the target depth follows the drag exactly', () => {
    const random = seededRandom(22);
    const cam = camera(800, 500);
    cam.fit({ minX: 0, minY: 0, minZ: 0, maxX: 4, maxY: 4, maxZ: 4, count: 2 }, 24);
    cam.orbitBy(123, -45);
    const p = at();
    for (let k = 0; k < 50; k++) {
      const dx = (random() - 0.5) * 100;
      const dy = (random() - 0.5) * 100;
      cam.project(cam.targetX, cam.targetY, cam.targetZ, p);
      const [x0, y0] = [p.x, p.y];
      const distance = eyeDistance(cam);
      // The old target is no longer the target: measure the same world point.
      const [tx, ty, tz] = [cam.targetX, cam.targetY, cam.targetZ];
      cam.panBy(dx, dy);
      cam.project(tx, ty, tz, p);
      close(p.x, x0 + dx, 1e-9);
      close(p.y, y0 + dy, 1e-9);
      close(eyeDistance(cam), distance, 1e-12);
    }
  });

  it('dollies towards the point under the cursor, keeping it where it is on screen, within the zoom limits', () => {
    const random = seededRandom(23);
    const cam = camera(700, 500);
    cam.fit({ minX: -3, minY: -3, minZ: -3, maxX: 3, maxY: 3, maxZ: 3, count: 2 }, 24);
    cam.orbitBy(-60, 30);
    const p = at();
    for (let k = 0; k < 40; k++) {
      const sx = random() * 700;
      const sy = random() * 500;
      // The point of the target's plane under (sx, sy).
      const s = cam.distance / cam.focal;
      const ox = (sx - 350) * s;
      const oy = (250 - sy) * s;
      const world = [
        cam.targetX + ox * cam.rx + oy * cam.ux,
        cam.targetY + ox * cam.ry + oy * cam.uy,
        cam.targetZ + ox * cam.rz + oy * cam.uz,
      ] as const;
      cam.zoomAt(random() < 0.5 ? 1.3 : 1 / 1.3, sx, sy);
      cam.project(world[0], world[1], world[2], p);
      close(p.x, sx, 1e-9);
      close(p.y, sy, 1e-9);
    }
    for (let k = 0; k < 100; k++) cam.zoomAt(2, 350, 250);
    close(cam.zoom, 100, 1e-9);
    for (let k = 0; k < 100; k++) cam.zoomAt(0.5, 350, 250);
    close(cam.zoom, 1 / 8, 1e-9);
  });

  it('fits a box so every corner lands on the canvas with the margin free, from the starting direction', () => {
    const random = seededRandom(24);
    for (let trial = 0; trial < 30; trial++) {
      const cam = camera(200 + random() * 1000, 200 + random() * 800);
      const lo = [random() * 100 - 50, random() * 100 - 50, random() * 100 - 50];
      const span = [random() * 20, random() * 20, random() * 20];
      const b = {
        minX: lo[0]!,
        minY: lo[1]!,
        minZ: lo[2]!,
        maxX: lo[0]! + span[0]!,
        maxY: lo[1]! + span[1]!,
        maxZ: lo[2]! + span[2]!,
        count: 8,
      };
      cam.orbitBy(500, 300); // the fit turns the view back to the starting direction
      cam.fit(b, 24);
      close(cam.zoom, 1);
      const p = at();
      for (let corner = 0; corner < 8; corner++) {
        const x = corner & 1 ? b.maxX : b.minX;
        const y = corner & 2 ? b.maxY : b.minY;
        const z = corner & 4 ? b.maxZ : b.minZ;
        assert.ok(cam.project(x, y, z, p));
        assert.ok(p.x >= 24 - 1e-6 && p.x <= cam.width - 24 + 1e-6, `x ${p.x} of ${cam.width}`);
        assert.ok(p.y >= 24 - 1e-6 && p.y <= cam.height - 24 + 1e-6, `y ${p.y} of ${cam.height}`);
      }
    }
  });

  it('keeps every point on the canvas from any direction once fitted to the radius of the points themselves', () => {
    const random = seededRandom(25);
    const n = 2000;
    const xyz = new Float32Array(3 * n);
    // An elongated cloud: a box fit would waste most of the canvas on it.
    for (let i = 0; i < n; i++) {
      xyz[3 * i] = (random() - 0.5) * 40;
      xyz[3 * i + 1] = (random() - 0.5) * 4;
      xyz[3 * i + 2] = (random() - 0.5) * 4;
    }
    const bounds = bounds3Of(xyz);
    const radius = radiusAround(xyz, bounds);
    assert.ok(radius < Math.hypot(bounds.maxX - bounds.minX, bounds.maxY - bounds.minY, bounds.maxZ - bounds.minZ) / 2);
    const cam = camera(900, 500);
    cam.fit(bounds, 24, radius);
    const p = at();
    for (let turn = 0; turn < 20; turn++) {
      cam.orbitBy((random() - 0.5) * 800, (random() - 0.5) * 800);
      for (let i = 0; i < n; i++) {
        assert.ok(cam.project(xyz[3 * i]!, xyz[3 * i + 1]!, xyz[3 * i + 2]!, p));
        assert.ok(p.x >= 24 - 1e-6 && p.x <= 900 - 24 + 1e-6 && p.y >= 24 - 1e-6 && p.y <= 500 - 24 + 1e-6);
      }
    }
  });
});
