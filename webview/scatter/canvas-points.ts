// Canvas2D fallback renderer: splats antialiased discs straight into one ImageData (per-pixel alpha blending in JS,
// far faster than 100k arc() calls) and puts it once per frame. Same look as the WebGL2 renderer, slower.
import type { Rgba } from './colour';
import type { Frame, LayerName, PointsRenderer } from './renderer';

// ImageData bytes are R, G, B, A in memory; a uint32 view reads them in the platform's byte order.
const LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;
// Largest splat footprint: the selection ring with its halo never exceeds ~40 px; 64 leaves room at HiDPI.
const MAX_STAMP = 64;

/** Draws the scatter with Canvas2D (used when WebGL2 is unavailable). */
export class CanvasPoints implements PointsRenderer {
  readonly kind = 'canvas2d';
  private positions: Float32Array = new Float32Array(0);
  private colours: Uint8Array = new Uint8Array(0);
  private cue: Float32Array | undefined;
  private order: Uint32Array | undefined;
  private readonly layers: Record<LayerName, Uint32Array> = { neighbors: new Uint32Array(0), highlighted: new Uint32Array(0) };
  private image: ImageData | undefined;
  /** The image's pixels as one uint32 each, for clearing with a single fill. */
  private pixels: Uint32Array = new Uint32Array(0);
  /** Coverage of a disc or ring footprint, (MAX_STAMP + 1)² cells, recomputed per splat pass (no allocation). */
  private readonly stamp = new Float32Array((MAX_STAMP + 1) * (MAX_STAMP + 1));
  private stampRadius = 0;

  /** Takes the canvas's 2d context. */
  constructor(private readonly ctx: CanvasRenderingContext2D) {}

  setPositions(positions: Float32Array): void {
    this.positions = positions;
  }

  setColours(colours: Uint8Array): void {
    this.colours = colours;
  }

  setCue(cue: Float32Array | undefined): void {
    this.cue = cue;
  }

  setOrder(order: Uint32Array | undefined): void {
    this.order = order;
  }

  setLayer(layer: LayerName, indices: Uint32Array): void {
    this.layers[layer] = indices;
  }

  resize(width: number, height: number): void {
    const canvas = this.ctx.canvas;
    if (canvas.width !== width) canvas.width = width;
    if (canvas.height !== height) canvas.height = height;
    if (!this.image || this.image.width !== width || this.image.height !== height) {
      this.image = this.ctx.createImageData(width, height);
      this.pixels = new Uint32Array(this.image.data.buffer);
    }
  }

  draw(frame: Frame): boolean {
    const image = this.image;
    if (!image) return false;
    const bg = frame.background;
    const r = Math.round(bg.r * 255);
    const g = Math.round(bg.g * 255);
    const b = Math.round(bg.b * 255);
    this.pixels.fill(LITTLE_ENDIAN ? (0xff000000 | (b << 16) | (g << 8) | r) >>> 0 : ((r << 24) | (g << 16) | (b << 8) | 0xff) >>> 0);
    const count = this.positions.length >> 1;
    if (count > 0) {
      this.splatCloud(frame, image, count);
      const halo = frame.emphasis + 2 * frame.halo;
      this.splatLayer(frame, image, this.layers.neighbors, frame.background, halo);
      this.splatLayer(frame, image, this.layers.highlighted, frame.background, halo);
      this.splatLayer(frame, image, this.layers.neighbors, frame.neighbor, frame.emphasis);
      this.splatLayer(frame, image, this.layers.highlighted, frame.highlight, frame.emphasis);
      const s = frame.selected;
      if (s >= 0 && s < count) {
        this.makeStamp(frame.ring + 2 * frame.halo, frame.ringWidth + 2 * frame.halo);
        this.splatOne(frame, image, s, frame.background);
        this.makeStamp(frame.ring, frame.ringWidth);
        this.splatOne(frame, image, s, frame.selection);
      }
    }
    this.ctx.putImageData(image, 0, 0);
    return true;
  }

  /** Fills `stamp` with the coverage of a disc (ring = 0) or ring of the given diameter, centred on a pixel. */
  private makeStamp(diameter: number, ring: number): void {
    const d = Math.min(MAX_STAMP, diameter);
    const radius = Math.min(MAX_STAMP >> 1, Math.ceil(d / 2));
    const side = 2 * radius + 1;
    const stamp = this.stamp;
    for (let j = -radius; j <= radius; j++) {
      for (let i = -radius; i <= radius; i++) {
        const r = Math.hypot(i, j);
        let cover = Math.min(1, Math.max(0, d / 2 - r + 0.5));
        if (ring > 0) cover *= Math.min(1, Math.max(0, r - (d / 2 - ring) + 0.5));
        stamp[(j + radius) * side + (i + radius)] = cover;
      }
    }
    this.stampRadius = radius;
  }

  private splatCloud(frame: Frame, image: ImageData, count: number): void {
    const colours = this.colours;
    const pos = this.positions;
    const order = this.order && this.order.length === count ? this.order : undefined;
    const cue = this.cue && this.cue.length === 2 * count ? this.cue : undefined;
    let stamped = -1;
    for (let k = 0; k < count; k++) {
      const i = order ? order[k]! : k;
      // With a depth cue each point has its own size: rounded to quarter pixels, and drawn far to near (sizes
      // mostly rising), the stamp is rebuilt a few dozen times per frame, not per point.
      const diameter = cue ? Math.round(frame.diameter * cue[2 * i]! * 4) / 4 : frame.diameter;
      if (diameter !== stamped) {
        this.makeStamp(diameter, 0);
        stamped = diameter;
      }
      const o = 4 * i;
      this.blend(
        image,
        frame.ax * pos[2 * i]! + frame.bx,
        frame.ay * pos[2 * i + 1]! + frame.by,
        colours[o]!,
        colours[o + 1]!,
        colours[o + 2]!,
        (colours[o + 3]! / 255) * frame.alpha * (cue ? cue[2 * i + 1]! : 1),
      );
    }
  }

  private splatLayer(frame: Frame, image: ImageData, indices: Uint32Array, colour: Rgba, diameter: number): void {
    if (indices.length === 0) return;
    this.makeStamp(diameter, 0);
    for (let k = 0; k < indices.length; k++) this.splatOne(frame, image, indices[k]!, colour);
  }

  private splatOne(frame: Frame, image: ImageData, index: number, c: Rgba): void {
    const pos = this.positions;
    this.blend(
      image,
      frame.ax * pos[2 * index]! + frame.bx,
      frame.ay * pos[2 * index + 1]! + frame.by,
      c.r * 255,
      c.g * 255,
      c.b * 255,
      c.a,
    );
  }

  /** Blends the current stamp centred at device px (x, y) with colour (r, g, b) 0–255 and opacity `alpha`. */
  private blend(image: ImageData, x: number, y: number, r: number, g: number, b: number, alpha: number): void {
    const radius = this.stampRadius;
    const cx = Math.floor(x);
    const cy = Math.floor(y);
    const w = image.width;
    const h = image.height;
    if (cx + radius < 0 || cy + radius < 0 || cx - radius >= w || cy - radius >= h || !(alpha > 0)) return;
    const data = image.data;
    const stamp = this.stamp;
    const side = 2 * radius + 1;
    const j0 = Math.max(-radius, -cy);
    const j1 = Math.min(radius, h - 1 - cy);
    const i0 = Math.max(-radius, -cx);
    const i1 = Math.min(radius, w - 1 - cx);
    for (let j = j0; j <= j1; j++) {
      let p = 4 * ((cy + j) * w + cx + i0);
      let s = (j + radius) * side + i0 + radius;
      for (let i = i0; i <= i1; i++, p += 4, s++) {
        const a = stamp[s]! * alpha;
        if (a <= 0) continue;
        data[p] = data[p]! + (r - data[p]!) * a;
        data[p + 1] = data[p + 1]! + (g - data[p + 1]!) * a;
        data[p + 2] = data[p + 2]! + (b - data[p + 2]!) * a;
      }
    }
  }

  dispose(): void {
    this.image = undefined;
  }
}
