// The 3-D geometry of the scatter: x,y,z points under an orbit camera. After every view change the points are
// projected on the CPU (O(n): a few multiply-adds each), ordered far to near by a counting sort (O(n)) and given a
// depth cue; the renderer draws the projected CSS-px positions as it draws a 2-D view. The picking grid over the
// projected points is rebuilt only when a pick needs it (a drag turns the view without picking), so rotation costs
// one projection and one upload per frame. Pure: no DOM.
import { depthCue, depthOrder } from './depth-cue';
import type { Picture, PointGeometry, PositionSink } from './geometry';
import { OrbitCamera, bounds3Of, radiusAround, type Bounds3 } from './orbit-camera';
import { PickGrid } from './pick-grid';
import type { Frame } from './renderer';

// Where points behind the eye are parked, in CSS px: far outside the canvas at any size, still finite for the GPU.
const PARKED = 1e6;
// Depth slices of the back-to-front sort: at 4,096 slices two points drawn out of order are less than 1/4,096 of the
// cloud's depth apart, which no eye can tell.
const DEPTH_SLICES = 4096;

/** x,y,z points seen through an orbit camera. */
export class OrbitView implements PointGeometry {
  readonly dims = 3;
  readonly camera = new OrbitCamera();
  private xyz: Float32Array = new Float32Array(0);
  private count = 0;
  private bounds: Bounds3 = bounds3Of(new Float32Array(0));
  /** Largest distance of a point from the bounds' centre: the sphere a fit keeps on the canvas from every side. */
  private radius = 0;
  /** Projected CSS px per point, NaN when behind the eye (picking, labels, export). */
  private screen: Float32Array = new Float32Array(0);
  /** The same with hidden points parked (what the renderer gets). */
  private positions: Float32Array = new Float32Array(0);
  private depth: Float32Array = new Float32Array(0);
  private cue: Float32Array = new Float32Array(0);
  private order: Uint32Array = new Uint32Array(0);
  private readonly counts = new Uint32Array(DEPTH_SLICES + 2);
  private readonly cueOut = { size: 1, alpha: 1 };
  private grid: PickGrid | undefined;
  /** The view or the points changed since the last projection. */
  private stale = true;
  /** The projection changed since the grid was built. */
  private gridStale = true;
  /** Projections made (tests and diagnostics: a drag must not rebuild the grid). */
  projections = 0;
  gridBuilds = 0;

  constructor(private readonly sink: PositionSink) {}

  get finiteCount(): number {
    return this.bounds.count;
  }

  get zoom(): number {
    return this.camera.zoom;
  }

  place(xyz: Float32Array, count: number): void {
    this.xyz = xyz;
    if (count !== this.count) {
      this.count = count;
      this.screen = new Float32Array(2 * count);
      this.positions = new Float32Array(2 * count);
      this.depth = new Float32Array(count);
      this.cue = new Float32Array(2 * count);
      this.order = new Uint32Array(count);
    }
    this.bounds = bounds3Of(xyz);
    this.radius = radiusAround(xyz, this.bounds);
    this.changed();
  }

  resize(width: number, height: number): void {
    this.camera.resize(width, height);
    this.changed();
  }

  fit(marginPx: number): void {
    this.camera.fit(this.bounds, marginPx, this.radius);
    this.changed();
  }

  panBy(dx: number, dy: number): void {
    this.camera.panBy(dx, dy);
    this.changed();
  }

  zoomAt(factor: number, x: number, y: number): void {
    this.camera.zoomAt(factor, x, y);
    this.changed();
  }

  orbitBy(dx: number, dy: number): void {
    this.camera.orbitBy(dx, dy);
    this.changed();
  }

  /** Makes the point the centre the view turns about. */
  centerOn(index: number): boolean {
    if (!Number.isInteger(index) || index < 0 || index >= this.count) return false;
    const x = this.xyz[3 * index]!;
    const y = this.xyz[3 * index + 1]!;
    const z = this.xyz[3 * index + 2]!;
    if (!Number.isFinite(x) || !Number.isFinite(y) || !Number.isFinite(z)) return false;
    this.camera.centerOn(x, y, z);
    this.changed();
    return true;
  }

  toClient(index: number): { x: number; y: number } | undefined {
    if (!Number.isInteger(index) || index < 0 || index >= this.count) return undefined;
    this.project();
    const x = this.screen[2 * index]!;
    const y = this.screen[2 * index + 1]!;
    const cam = this.camera;
    // NaN (behind the eye) fails every comparison.
    return x >= 0 && x <= cam.width && y >= 0 && y <= cam.height ? { x, y } : undefined;
  }

  pick(x: number, y: number, radiusPx: number): number {
    this.project();
    if (this.gridStale || !this.grid) {
      this.grid = new PickGrid(this.screen);
      this.gridStale = false;
      this.gridBuilds++;
    }
    return this.grid.nearest(x, y, radiusPx);
  }

  prepare(f: Frame, rx: number, ry: number): void {
    this.project();
    f.ax = rx;
    f.bx = 0;
    f.ay = ry;
    f.by = 0;
  }

  picture(): Picture {
    this.project();
    return { xy: this.screen.slice(), order: this.order.slice(), cue: this.cue.slice() };
  }

  private changed(): void {
    this.stale = true;
  }

  /** Projects every point for the current view, orders them far to near, and hands the results to the sink. */
  private project(): void {
    if (!this.stale) return;
    this.stale = false;
    this.projections++;
    const cam = this.camera;
    const { xyz, screen, positions, depth, cue, count: n } = this;
    const ex = cam.eyeX;
    const ey = cam.eyeY;
    const ez = cam.eyeZ;
    const { rx, ry, rz, ux, uy, uz, bx, by, bz } = cam;
    const focal = cam.focal;
    const near = cam.near;
    const cx = cam.width / 2;
    const cy = cam.height / 2;
    const out = this.cueOut;
    for (let i = 0; i < n; i++) {
      const dx = xyz[3 * i]! - ex;
      const dy = xyz[3 * i + 1]! - ey;
      const dz = xyz[3 * i + 2]! - ez;
      const d = -(dx * bx + dy * by + dz * bz);
      // NaN coordinates give a NaN depth, which fails this test too.
      if (!(d > near)) {
        screen[2 * i] = screen[2 * i + 1] = Number.NaN;
        positions[2 * i] = positions[2 * i + 1] = PARKED;
        depth[i] = Number.NaN;
        cue[2 * i] = cue[2 * i + 1] = 0;
        continue;
      }
      const s = focal / d;
      const sx = cx + (dx * rx + dy * ry + dz * rz) * s;
      const sy = cy - (dx * ux + dy * uy + dz * uz) * s;
      screen[2 * i] = positions[2 * i] = sx;
      screen[2 * i + 1] = positions[2 * i + 1] = sy;
      depth[i] = d;
      depthCue(d, cam.distance, cam.radius, out);
      cue[2 * i] = out.size;
      cue[2 * i + 1] = out.alpha;
    }
    depthOrder(depth, n, this.order, this.counts);
    this.gridStale = true;
    this.sink.setPositions(positions);
    this.sink.setCue(cue);
    this.sink.setOrder(this.order);
  }
}
