// Pure 3-D camera math for the scatter: an orbit camera (target, distance, yaw, pitch) with a perspective projection
// onto the canvas in CSS px (y down). No DOM, no allocation per call.

/** Axis-aligned bounds of the finite points of an xyz array; `count` is how many points were finite. */
export interface Bounds3 {
  minX: number;
  minY: number;
  minZ: number;
  maxX: number;
  maxY: number;
  maxZ: number;
  count: number;
}

/** Bounds of the finite x,y,z triples in `xyz` (a triple with any non-finite value is skipped); zero extents when none is finite. */
export function bounds3Of(xyz: Float32Array): Bounds3 {
  const b = { minX: Infinity, minY: Infinity, minZ: Infinity, maxX: -Infinity, maxY: -Infinity, maxZ: -Infinity, count: 0 };
  const n = Math.floor(xyz.length / 3);
  for (let i = 0; i < n; i++) {
    const x = xyz[3 * i]!;
    const y = xyz[3 * i + 1]!;
    const z = xyz[3 * i + 2]!;
    if (!Number.isFinite(x) || !Number.isFinite(y) || !Number.isFinite(z)) continue;
    if (x < b.minX) b.minX = x;
    if (x > b.maxX) b.maxX = x;
    if (y < b.minY) b.minY = y;
    if (y > b.maxY) b.maxY = y;
    if (z < b.minZ) b.minZ = z;
    if (z > b.maxZ) b.maxZ = z;
    b.count++;
  }
  return b.count === 0 ? { minX: 0, minY: 0, minZ: 0, maxX: 0, maxY: 0, maxZ: 0, count: 0 } : b;
}

/** The largest distance of a finite point of `xyz` from the centre of `bounds`: the radius of the sphere `fit` shows. */
export function radiusAround(xyz: Float32Array, bounds: Bounds3): number {
  const cx = (bounds.minX + bounds.maxX) / 2;
  const cy = (bounds.minY + bounds.maxY) / 2;
  const cz = (bounds.minZ + bounds.maxZ) / 2;
  let max = 0;
  const n = Math.floor(xyz.length / 3);
  for (let i = 0; i < n; i++) {
    const d = (xyz[3 * i]! - cx) ** 2 + (xyz[3 * i + 1]! - cy) ** 2 + (xyz[3 * i + 2]! - cz) ** 2;
    if (d > max) max = d; // NaN fails
  }
  return Math.sqrt(max);
}

// The view a fit or reset shows: turned 30° about the vertical and looking 20° down, so the third axis shows at once
// (straight along z, a 3-D PCA would look exactly like the 2-D one).
const DEFAULT_YAW = -Math.PI / 6;
const DEFAULT_PITCH = Math.PI / 9;
// Vertical field of view. 35° is a moderate lens: near points visibly larger than far ones, little distortion.
const FOV_Y = (35 * Math.PI) / 180;
// A drag of about 390 px turns the cloud half way round (π rad).
const ORBIT_RADIANS_PER_PX = 0.008;
// Pitch stops just short of straight up or down, where yaw would spin about the line of sight and flip the picture.
const MAX_PITCH = Math.PI / 2 - 0.01;
// Dolly limits relative to the fitted distance: 100× closer (inside a cluster), 8× farther (the cloud a speck).
const MIN_DISTANCE = 0.01;
const MAX_DISTANCE = 8;
// Points nearer the eye than this share of the cloud's radius are not drawn (they would blow up to the whole canvas).
const NEAR = 1e-3;

/** Where a point lands: CSS px from the canvas's top-left corner, and its depth along the line of sight (data units). */
export interface Projected {
  x: number;
  y: number;
  /** Distance in front of the eye along the viewing axis; ≤ the near plane means not visible. */
  depth: number;
}

/**
 * An orbit camera: the eye sits `distance` from `target`, at longitude `yaw` (about the data's y axis) and latitude
 * `pitch`; x points right and y up on screen at yaw = pitch = 0, z towards the viewer.
 */
export class OrbitCamera {
  targetX = 0;
  targetY = 0;
  targetZ = 0;
  /** Eye-to-target distance, data units. */
  distance = 1;
  /** The distance `fit` chose; zoom is relative to it. */
  fitDistance = 1;
  yaw = DEFAULT_YAW;
  pitch = DEFAULT_PITCH;
  /** Radius of the fitted cloud around its centre (data units): depth cue and near plane are relative to it. */
  radius = 1;
  /** Canvas size in CSS px. */
  width = 1;
  height = 1;
  // Orthonormal basis, kept in step with yaw and pitch: right, up, and back (from the target towards the eye).
  rx = 1;
  ry = 0;
  rz = 0;
  ux = 0;
  uy = 1;
  uz = 0;
  bx = 0;
  by = 0;
  bz = 1;

  constructor() {
    this.orient(DEFAULT_YAW, DEFAULT_PITCH);
  }

  /** Sets the canvas size in CSS px. */
  resize(width: number, height: number): void {
    this.width = Math.max(1, width);
    this.height = Math.max(1, height);
  }

  /** Zoom relative to the fitted view (1 = fitted, larger = closer). */
  get zoom(): number {
    return this.fitDistance / this.distance;
  }

  /** CSS px per data unit at depth 1: a point at depth d and lateral offset o lands o · focal / d px from the centre. */
  get focal(): number {
    return this.height / 2 / Math.tan(FOV_Y / 2);
  }

  /** The eye's position. */
  get eyeX(): number {
    return this.targetX + this.distance * this.bx;
  }
  get eyeY(): number {
    return this.targetY + this.distance * this.by;
  }
  get eyeZ(): number {
    return this.targetZ + this.distance * this.bz;
  }

  /** Depth (from the eye) below which points are not drawn. */
  get near(): number {
    return NEAR * this.radius;
  }

  /** Sets yaw and pitch (pitch clamped short of the poles) and the basis that goes with them. */
  orient(yaw: number, pitch: number): void {
    this.yaw = yaw;
    this.pitch = Math.max(-MAX_PITCH, Math.min(MAX_PITCH, pitch));
    const cy = Math.cos(this.yaw);
    const sy = Math.sin(this.yaw);
    const cp = Math.cos(this.pitch);
    const sp = Math.sin(this.pitch);
    // back = (cos p sin y, sin p, cos p cos y); right = normalise(worldUp × back); up = back × right.
    this.bx = cp * sy;
    this.by = sp;
    this.bz = cp * cy;
    this.rx = cy;
    this.ry = 0;
    this.rz = -sy;
    this.ux = -sp * sy;
    this.uy = cp;
    this.uz = -sp * cy;
  }

  /**
   * Shows all of `bounds` with at least `marginPx` CSS px free on every side, from the default direction and from
   * any direction it is turned to: the target goes to the centre of the bounds, the eye back far enough for the
   * sphere of `radius` around it (default: the one through the box's corners) to fit.
   */
  fit(bounds: Bounds3, marginPx: number, radius?: number): void {
    this.targetX = (bounds.minX + bounds.maxX) / 2;
    this.targetY = (bounds.minY + bounds.maxY) / 2;
    this.targetZ = (bounds.minZ + bounds.maxZ) / 2;
    const r = radius ?? Math.hypot(bounds.maxX - bounds.minX, bounds.maxY - bounds.minY, bounds.maxZ - bounds.minZ) / 2;
    // All points in one spot (or none): any positive radius shows them.
    this.radius = r > 0 && Number.isFinite(r) ? r : 1;
    const room = Math.max(1, Math.min(this.width, this.height) / 2 - marginPx);
    // A sphere of radius R seen from distance D fills a cone of half-angle asin(R / D): make that the room's angle.
    const halfAngle = Math.atan(room / this.focal);
    this.distance = this.radius / Math.sin(halfAngle);
    this.fitDistance = this.distance;
    this.orient(DEFAULT_YAW, DEFAULT_PITCH);
  }

  /** Turns the view as a drag of (dx, dy) CSS px would: right turns the cloud right, down tilts its top towards you. */
  orbitBy(dx: number, dy: number): void {
    this.orient(this.yaw - dx * ORBIT_RADIANS_PER_PX, this.pitch + dy * ORBIT_RADIANS_PER_PX);
  }

  /** Data units per CSS px in the plane through the target facing the eye. */
  private unitsPerPx(): number {
    return this.distance / this.focal;
  }

  /** Moves the target (and the eye with it) so the plane through the target follows a drag of (dx, dy) CSS px. */
  panBy(dx: number, dy: number): void {
    const s = this.unitsPerPx();
    this.targetX += (-dx * this.rx + dy * this.ux) * s;
    this.targetY += (-dx * this.ry + dy * this.uy) * s;
    this.targetZ += (-dx * this.rz + dy * this.uz) * s;
  }

  /**
   * Moves the eye `factor` times closer to the target (clamped to the dolly limits), keeping the point of the
   * target's plane under (sx, sy) CSS px where it is on screen.
   */
  zoomAt(factor: number, sx: number, sy: number): void {
    const distance = Math.min(this.fitDistance * MAX_DISTANCE, Math.max(this.fitDistance * MIN_DISTANCE, this.distance / factor));
    // The point under the cursor in the target's plane is offset (ox, oy) px · unitsPerPx from the target; after the
    // dolly the same pixel offset spans distance'/distance of that, so the target moves by the rest.
    const ox = sx - this.width / 2;
    const oy = this.height / 2 - sy;
    const shift = (1 - distance / this.distance) * this.unitsPerPx();
    this.targetX += (ox * this.rx + oy * this.ux) * shift;
    this.targetY += (ox * this.ry + oy * this.uy) * shift;
    this.targetZ += (ox * this.rz + oy * this.uz) * shift;
    this.distance = distance;
  }

  /** Makes (x, y, z) the point the view turns about, keeping distance and direction. */
  centerOn(x: number, y: number, z: number): void {
    this.targetX = x;
    this.targetY = y;
    this.targetZ = z;
  }

  /** Projects (x, y, z) into `out`; returns false (out.x, out.y NaN) when the point is behind the near plane. */
  project(x: number, y: number, z: number, out: Projected): boolean {
    const dx = x - this.eyeX;
    const dy = y - this.eyeY;
    const dz = z - this.eyeZ;
    const depth = -(dx * this.bx + dy * this.by + dz * this.bz);
    out.depth = depth;
    if (!(depth > this.near)) {
      out.x = Number.NaN;
      out.y = Number.NaN;
      return false;
    }
    const f = this.focal / depth;
    out.x = this.width / 2 + (dx * this.rx + dy * this.ry + dz * this.rz) * f;
    out.y = this.height / 2 - (dx * this.ux + dy * this.uy + dz * this.uz) * f;
    return true;
  }
}
