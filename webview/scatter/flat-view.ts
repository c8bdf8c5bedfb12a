// The 2-D geometry of the scatter: x,y points under a pan-and-zoom camera, picked through a grid built once per
// placement. Positions reach the renderer normalised to [-1, 1] once; a view change only changes the frame's transform.
import { Camera, boundsOf } from './camera';
import type { Bounds } from './camera';
import type { Picture, PointGeometry, PositionSink } from './geometry';
import { PickGrid } from './pick-grid';
import type { Frame } from './renderer';

// Where non-finite points are parked in normalised coordinates: far outside any zoom's clip space, still finite.
const PARKED = 1e6;

/** x,y points seen through a 2-D camera. */
export class FlatView implements PointGeometry {
  readonly dims = 2;
  readonly camera = new Camera();
  private xy: Float32Array = new Float32Array(0);
  private count = 0;
  private bounds: Bounds = boundsOf(new Float32Array(0));
  private grid: PickGrid | undefined;
  // Normalisation: data = n * normScale + (normX, normY), so the GPU sees coordinates in [-1, 1].
  private normX = 0;
  private normY = 0;
  private normScale = 1;

  constructor(private readonly sink: PositionSink) {}

  get finiteCount(): number {
    return this.bounds.count;
  }

  get zoom(): number {
    return this.camera.zoom;
  }

  /** Takes new coordinates: bounds, picking grid and the GPU's normalised positions. */
  place(xy: Float32Array, count: number): void {
    const n = count;
    this.xy = xy;
    this.count = n;
    this.bounds = boundsOf(xy);
    this.grid = new PickGrid(xy);
    const b = this.bounds;
    this.normX = (b.minX + b.maxX) / 2;
    this.normY = (b.minY + b.maxY) / 2;
    this.normScale = Math.max(b.maxX - b.minX, b.maxY - b.minY) / 2 || 1;
    const positions = new Float32Array(2 * n);
    for (let i = 0; i < n; i++) {
      const x = xy[2 * i]!;
      const y = xy[2 * i + 1]!;
      const finite = Number.isFinite(x) && Number.isFinite(y);
      positions[2 * i] = finite ? (x - this.normX) / this.normScale : PARKED;
      positions[2 * i + 1] = finite ? (y - this.normY) / this.normScale : PARKED;
    }
    this.sink.setPositions(positions);
  }

  resize(width: number, height: number): void {
    this.camera.resize(width, height);
  }

  fit(marginPx: number): void {
    this.camera.fit(this.bounds, marginPx);
  }

  panBy(dx: number, dy: number): void {
    this.camera.panBy(dx, dy);
  }

  zoomAt(factor: number, x: number, y: number): void {
    this.camera.zoomAt(factor, x, y);
  }

  orbitBy(): void {
    // A flat view has nothing to turn.
  }

  /**
   * Pans so the point is centred. The zoom stays, unless the point was off-screen while zoomed in beyond 4× the
   * fitted view: then it zooms out to 4×, so the jump lands with some context.
   */
  centerOn(index: number): boolean {
    const at = this.finite(index);
    if (!at) return false;
    const cam = this.camera;
    if (!cam.isVisible(at.x, at.y) && cam.zoom > 4) cam.scale = 4 * cam.fitScale;
    cam.centerOn(at.x, at.y);
    return true;
  }

  toClient(index: number): { x: number; y: number } | undefined {
    const at = this.finite(index);
    if (!at || !this.camera.isVisible(at.x, at.y)) return undefined;
    return { x: this.camera.toScreenX(at.x), y: this.camera.toScreenY(at.y) };
  }

  pick(x: number, y: number, radiusPx: number): number {
    if (!this.grid) return -1;
    const cam = this.camera;
    return this.grid.nearest(cam.toDataX(x), cam.toDataY(y), radiusPx / cam.scale);
  }

  prepare(f: Frame, rx: number, ry: number): void {
    const cam = this.camera;
    f.ax = this.normScale * cam.scale * rx;
    f.bx = ((this.normX - cam.centerX) * cam.scale + cam.width / 2) * rx;
    f.ay = -this.normScale * cam.scale * ry;
    f.by = (cam.height / 2 - (this.normY - cam.centerY) * cam.scale) * ry;
  }

  picture(): Picture {
    const cam = this.camera;
    const xy = new Float32Array(2 * this.count);
    for (let i = 0; i < this.count; i++) {
      const x = this.xy[2 * i]!;
      const y = this.xy[2 * i + 1]!;
      const shown = Number.isFinite(x) && Number.isFinite(y);
      xy[2 * i] = shown ? cam.toScreenX(x) : Number.NaN;
      xy[2 * i + 1] = shown ? cam.toScreenY(y) : Number.NaN;
    }
    return { xy };
  }

  /** The point's coordinates when the index is valid and they are finite. */
  private finite(index: number): { x: number; y: number } | undefined {
    const x = this.xy[2 * index];
    const y = this.xy[2 * index + 1];
    if (!Number.isInteger(index) || index < 0 || index >= this.count || !Number.isFinite(x) || !Number.isFinite(y)) return undefined;
    return { x: x!, y: y! };
  }
}
