import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Camera, boundsOf } from '../../../webview/scatter/camera';
import { seededRandom } from '../helpers';

function camera(width: number, height: number): Camera {
  const cam = new Camera();
  cam.resize(width, height);
  return cam;
}

function close(actual: number, expected: number, tolerance = 1e-9): void {
  assert.ok(Math.abs(actual - expected) <= tolerance * Math.max(1, Math.abs(expected)), `${actual} ≠ ${expected}`);
}

describe('scatter camera', () => {
  it('finds the bounds of the finite points and skips NaN and infinite pairs', () => {
    const b = boundsOf(Float32Array.from([1, 2, NaN, 50, -3, 4, Infinity, 0, 0.5, -1]));
    assert.deepEqual(b, { minX: -3, minY: -1, maxX: 1, maxY: 4, count: 3 });
    assert.equal(boundsOf(Float32Array.from([NaN, NaN])).count, 0);
  });

  it('maps data to screen and back to the same point, y pointing up in data and down on screen', () => {
    const random = seededRandom(11);
    const cam = camera(800, 600);
    cam.fit({ minX: -1e6, minY: 3, maxX: -1e6 + 10, maxY: 8, count: 2 }, 24);
    cam.zoomAt(3.7, 123, 456);
    cam.panBy(-40, 17);
    for (let k = 0; k < 1000; k++) {
      const x = -1e6 + random() * 10;
      const y = 3 + random() * 5;
      close(cam.toDataX(cam.toScreenX(x)), x);
      close(cam.toDataY(cam.toScreenY(y)), y);
    }
    assert.ok(cam.toScreenY(8) < cam.toScreenY(3), 'larger y is higher on screen');
  });

  it('keeps the data point under the cursor fixed while zooming in and out', () => {
    const random = seededRandom(12);
    const cam = camera(640, 480);
    cam.fit({ minX: 0, minY: 0, maxX: 100, maxY: 50, count: 2 }, 10);
    for (let k = 0; k < 200; k++) {
      const sx = random() * 640;
      const sy = random() * 480;
      const x = cam.toDataX(sx);
      const y = cam.toDataY(sy);
      cam.zoomAt(random() < 0.5 ? 1.3 : 1 / 1.3, sx, sy);
      close(cam.toScreenX(x), sx, 1e-7);
      close(cam.toScreenY(y), sy, 1e-7);
    }
  });

  it('still keeps the cursor point fixed when the zoom is clamped at its limits', () => {
    const cam = camera(500, 500);
    cam.fit({ minX: 0, minY: 0, maxX: 1, maxY: 1, count: 2 }, 0);
    const x = cam.toDataX(100);
    const y = cam.toDataY(400);
    cam.zoomAt(1e9, 100, 400);
    assert.equal(cam.zoom, 1e4);
    close(cam.toScreenX(x), 100, 1e-6);
    close(cam.toScreenY(y), 400, 1e-6);
    cam.zoomAt(1e-12, 100, 400);
    assert.equal(cam.zoom, 0.25);
  });

  it('fits every point inside the canvas with the margin free on every side, and touches the margin on one axis', () => {
    const random = seededRandom(13);
    for (let trial = 0; trial < 50; trial++) {
      const n = 1 + Math.floor(random() * 500);
      const xy = new Float32Array(2 * n);
      const ox = (random() - 0.5) * 1e4;
      const sx = random() * 100;
      const sy = random() * 100;
      for (let i = 0; i < n; i++) {
        xy[2 * i] = ox + (random() - 0.5) * sx;
        xy[2 * i + 1] = (random() - 0.5) * sy;
      }
      const width = 100 + random() * 1500;
      const height = 100 + random() * 1000;
      const margin = 24;
      const cam = camera(width, height);
      const b = boundsOf(xy);
      cam.fit(b, margin);
      let left = Infinity;
      let right = -Infinity;
      let top = Infinity;
      let bottom = -Infinity;
      for (let i = 0; i < n; i++) {
        const px = cam.toScreenX(xy[2 * i]!);
        const py = cam.toScreenY(xy[2 * i + 1]!);
        left = Math.min(left, px);
        right = Math.max(right, px);
        top = Math.min(top, py);
        bottom = Math.max(bottom, py);
      }
      const eps = 1e-6;
      assert.ok(left >= margin - eps && right <= width - margin + eps, `x range ${left}..${right} in ${width}`);
      assert.ok(top >= margin - eps && bottom <= height - margin + eps, `y range ${top}..${bottom} in ${height}`);
      if (n > 1 && b.maxX > b.minX && b.maxY > b.minY) {
        const tight = Math.abs(left - margin) < 1e-6 || Math.abs(top - margin) < 1e-6;
        assert.ok(tight, 'the fit uses the space: one axis reaches the margin');
        assert.equal(cam.zoom, 1);
      }
    }
  });

  it('fits a single point (or coinciding points) at the canvas centre', () => {
    const cam = camera(300, 200);
    cam.fit(boundsOf(Float32Array.from([5, -7, 5, -7])), 24);
    assert.equal(cam.toScreenX(5), 150);
    assert.equal(cam.toScreenY(-7), 100);
    assert.ok(Number.isFinite(cam.scale) && cam.scale > 0);
  });

  it('pans the content with the drag and reports what is on screen', () => {
    const cam = camera(400, 400);
    cam.fit({ minX: 0, minY: 0, maxX: 10, maxY: 10, count: 2 }, 0);
    const before = cam.toScreenX(5);
    cam.panBy(30, -20);
    assert.equal(cam.toScreenX(5), before + 30);
    assert.equal(cam.toScreenY(5), 200 - 20);
    cam.centerOn(10, 10);
    assert.deepEqual([cam.toScreenX(10), cam.toScreenY(10)], [200, 200]);
    assert.ok(cam.isVisible(10, 10));
    assert.ok(!cam.isVisible(100, 10));
  });
});
