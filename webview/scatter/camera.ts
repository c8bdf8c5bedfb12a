// Pure 2-D camera math for the scatter: data space (y up) ↔ canvas CSS pixels (y down). No DOM, no allocation per call.

/** Axis-aligned bounds of the finite points of an xy array; `count` is how many points were finite. */
export interface Bounds {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
  count: number;
}

/** Bounds of the finite x,y pairs in `xy` (NaN/±Infinity pairs are skipped); count 0 and zero extents when none is finite. */
export function boundsOf(xy: Float32Array): Bounds {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  let count = 0;
  const n = xy.length >> 1;
  for (let i = 0; i < n; i++) {
    const x = xy[2 * i]!;
    const y = xy[2 * i + 1]!;
    if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
    count++;
  }
  return count === 0 ? { minX: 0, minY: 0, maxX: 0, maxY: 0, count } : { minX, minY, maxX, maxY, count };
}

// Zoom limits relative to the fitted view: a quarter of it out, 10,000× in. Positions reach the GPU as float32
// normalised to [-1, 1] (ulp ≈ 6e-8), so at 10,000× on a ~2,000 px canvas one ulp is still well under a pixel.
const MIN_ZOOM = 0.25;
const MAX_ZOOM = 1e4;

/** A 2-D view: `centerX/centerY` is the data point at the canvas centre, `scale` is CSS px per data unit. */
export class Camera {
  centerX = 0;
  centerY = 0;
  /** CSS px per data unit. */
  scale = 1;
  /** The scale `fit` chose; zoom limits and point sizing are relative to it. */
  fitScale = 1;
  /** Canvas size in CSS px. */
  width = 1;
  height = 1;

  /** Sets the canvas size in CSS px (the centre stays where it is). */
  resize(width: number, height: number): void {
    this.width = Math.max(1, width);
    this.height = Math.max(1, height);
  }

  /** Zoom relative to the fitted view (1 = fitted). */
  get zoom(): number {
    return this.scale / this.fitScale;
  }

  /** Data x → canvas CSS x. */
  toScreenX(x: number): number {
    return (x - this.centerX) * this.scale + this.width / 2;
  }

  /** Data y → canvas CSS y (y grows downwards on screen). */
  toScreenY(y: number): number {
    return this.height / 2 - (y - this.centerY) * this.scale;
  }

  /** Canvas CSS x → data x. */
  toDataX(sx: number): number {
    return (sx - this.width / 2) / this.scale + this.centerX;
  }

  /** Canvas CSS y → data y. */
  toDataY(sy: number): number {
    return (this.height / 2 - sy) / this.scale + this.centerY;
  }

  /** Shows all of `bounds` with `marginPx` CSS px free on every side (points are centred; a single point gets scale 1). */
  fit(bounds: Bounds, marginPx: number): void {
    const spanX = bounds.maxX - bounds.minX;
    const spanY = bounds.maxY - bounds.minY;
    const roomX = Math.max(1, this.width - 2 * marginPx);
    const roomY = Math.max(1, this.height - 2 * marginPx);
    let scale = Math.min(spanX > 0 ? roomX / spanX : Infinity, spanY > 0 ? roomY / spanY : Infinity);
    if (!Number.isFinite(scale)) scale = 1; // all points coincide (or none): any scale shows them
    this.centerX = (bounds.minX + bounds.maxX) / 2;
    this.centerY = (bounds.minY + bounds.maxY) / 2;
    this.scale = scale;
    this.fitScale = scale;
  }

  /** Multiplies the scale by `factor` (clamped to the zoom limits) keeping the data point under (sx, sy) CSS px fixed. */
  zoomAt(factor: number, sx: number, sy: number): void {
    const x = this.toDataX(sx);
    const y = this.toDataY(sy);
    const scale = Math.min(this.fitScale * MAX_ZOOM, Math.max(this.fitScale * MIN_ZOOM, this.scale * factor));
    this.scale = scale;
    // Solve toScreen(x, y) = (sx, sy) for the new centre.
    this.centerX = x - (sx - this.width / 2) / scale;
    this.centerY = y - (this.height / 2 - sy) / scale;
  }

  /** Moves the view so the content follows a drag of (dx, dy) CSS px. */
  panBy(dx: number, dy: number): void {
    this.centerX -= dx / this.scale;
    this.centerY += dy / this.scale;
  }

  /** Centres the view on data point (x, y). */
  centerOn(x: number, y: number): void {
    this.centerX = x;
    this.centerY = y;
  }

  /** True when data point (x, y) lies on the canvas (inside its CSS box, edges included). */
  isVisible(x: number, y: number): boolean {
    const sx = this.toScreenX(x);
    const sy = this.toScreenY(y);
    return sx >= 0 && sx <= this.width && sy >= 0 && sy <= this.height;
  }

  /** Copies another camera's state. */
  copyFrom(other: Camera): void {
    this.centerX = other.centerX;
    this.centerY = other.centerY;
    this.scale = other.scale;
    this.fitScale = other.fitScale;
    this.width = other.width;
    this.height = other.height;
  }
}
