// The scatter's drawing surface: picks the renderer (WebGL2, else Canvas2D), keeps what it was given so a new
// renderer can be filled again, and survives WebGL context loss (restore, or fall back to Canvas2D on a fresh canvas).
import { CanvasPoints } from './canvas-points';
import { GL_CONTEXT_ATTRIBUTES, GlPoints } from './gl-points';
import type { Frame, LayerName, PointsRenderer, RendererKind } from './renderer';

// After a context loss, wait this long for the browser to restore the context before falling back to Canvas2D.
const RESTORE_TIMEOUT_MS = 3000;

/** What the surface tells the scatter. */
export interface SurfaceEvents {
  /** The canvas was replaced by `fresh` (same attributes, in the same place): move listeners and observers. */
  onCanvasReplaced(old: HTMLCanvasElement, fresh: HTMLCanvasElement): void;
  /** The context was lost (nothing can be drawn until onRestored). */
  onLost(): void;
  /** Drawing works again (context restored or fallback ready): draw a frame. */
  onRestored(): void;
}

/** A renderer on a canvas, with the data it draws kept for re-creation. */
export class Surface {
  private canvasEl: HTMLCanvasElement;
  private points: PointsRenderer;
  private positions: Float32Array = new Float32Array(0);
  private colours: Uint8Array = new Uint8Array(0);
  private cue: Float32Array | undefined;
  private order: Uint32Array | undefined;
  private readonly layers: Record<LayerName, Uint32Array> = { neighbors: new Uint32Array(0), highlighted: new Uint32Array(0) };
  private width = 0;
  private height = 0;
  private restoreTimer: ReturnType<typeof setTimeout> | undefined;
  private disposed = false;

  /** Draws on `canvas` with `preferred` when it works, else Canvas2D (possibly on a replacement canvas: see `canvas`). */
  constructor(
    canvas: HTMLCanvasElement,
    preferred: RendererKind,
    private readonly events: SurfaceEvents,
  ) {
    this.canvasEl = canvas;
    this.points = this.create(preferred);
  }

  /** The canvas drawn on (a replacement after a fallback). */
  get canvas(): HTMLCanvasElement {
    return this.canvasEl;
  }

  /** Which renderer draws now. */
  get kind(): RendererKind {
    return this.points.kind;
  }

  /** Normalised float32 x,y pairs (kept by reference). */
  setPositions(positions: Float32Array): void {
    this.positions = positions;
    this.points.setPositions(positions);
  }

  /** Straight RGBA8 per point (kept by reference). */
  setColours(colours: Uint8Array): void {
    this.colours = colours;
    this.points.setColours(colours);
  }

  /** Per-point (size, opacity) factors of the cloud, or undefined (kept by reference). */
  setCue(cue: Float32Array | undefined): void {
    this.cue = cue;
    this.points.setCue(cue);
  }

  /** The cloud's drawing order, or undefined for index order (kept by reference). */
  setOrder(order: Uint32Array | undefined): void {
    this.order = order;
    this.points.setOrder(order);
  }

  /** Point indices of an emphasis layer (kept by reference). */
  setLayer(layer: LayerName, indices: Uint32Array): void {
    this.layers[layer] = indices;
    this.points.setLayer(layer, indices);
  }

  /** Drawing-buffer size in device px. */
  resize(width: number, height: number): void {
    this.width = width;
    this.height = height;
    this.points.resize(width, height);
  }

  /** Draws one frame; false while the context is lost. */
  draw(frame: Frame): boolean {
    return this.points.draw(frame);
  }

  /** Releases the renderer and stops listening. */
  dispose(): void {
    this.disposed = true;
    clearTimeout(this.restoreTimer);
    this.unlisten(this.canvasEl);
    this.points.dispose();
  }

  private create(preferred: RendererKind): PointsRenderer {
    if (preferred === 'webgl2') {
      const gl = this.canvasEl.getContext('webgl2', GL_CONTEXT_ATTRIBUTES);
      if (gl) {
        try {
          const points = new GlPoints(gl);
          this.canvasEl.addEventListener('webglcontextlost', this.onContextLost);
          this.canvasEl.addEventListener('webglcontextrestored', this.onContextRestored);
          return points;
        } catch (error) {
          console.warn(`Embedding Lens scatter: WebGL2 failed (${String(error)}); drawing with Canvas2D`);
          // The canvas now holds a WebGL context and cannot give a 2d one: draw on a fresh canvas in its place.
          return this.replaceCanvas();
        }
      }
    }
    const ctx = this.canvasEl.getContext('2d');
    if (!ctx) throw new Error('the scatter canvas gives neither a WebGL2 nor a 2d context');
    return new CanvasPoints(ctx);
  }

  private unlisten(canvas: HTMLCanvasElement): void {
    canvas.removeEventListener('webglcontextlost', this.onContextLost);
    canvas.removeEventListener('webglcontextrestored', this.onContextRestored);
  }

  private readonly onContextLost = (e: Event): void => {
    e.preventDefault(); // tells the browser we want the context back
    clearTimeout(this.restoreTimer);
    this.restoreTimer = setTimeout(this.fallBack, RESTORE_TIMEOUT_MS);
    this.events.onLost();
  };

  private readonly onContextRestored = (): void => {
    clearTimeout(this.restoreTimer);
    try {
      if (this.points instanceof GlPoints) this.points.restore();
      this.events.onRestored();
    } catch (error) {
      console.warn(`Embedding Lens scatter: WebGL2 restore failed (${String(error)}); drawing with Canvas2D`);
      this.fallBack();
    }
  };

  private readonly fallBack = (): void => {
    if (this.disposed || this.points.kind === 'canvas2d') return;
    const old = this.canvasEl;
    this.points = this.replaceCanvas();
    this.points.setPositions(this.positions);
    this.points.setColours(this.colours);
    this.points.setCue(this.cue);
    this.points.setOrder(this.order);
    this.points.setLayer('highlighted', this.layers.highlighted);
    this.points.setLayer('neighbors', this.layers.neighbors);
    if (this.width > 0) this.points.resize(this.width, this.height);
    this.events.onCanvasReplaced(old, this.canvasEl);
    this.events.onRestored();
  };

  /** Swaps in a clone of the canvas (same id, classes, attributes; no listeners, no context) with a 2d context. */
  private replaceCanvas(): PointsRenderer {
    const old = this.canvasEl;
    const fresh = old.cloneNode(false) as HTMLCanvasElement;
    const ctx = fresh.getContext('2d');
    if (!ctx) throw new Error('the scatter cannot get a 2d context for its Canvas2D fallback');
    this.unlisten(old);
    old.replaceWith(fresh);
    this.canvasEl = fresh;
    return new CanvasPoints(ctx);
  }
}
