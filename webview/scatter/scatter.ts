// The vocabulary scatter: WebGL2 (or Canvas2D fallback) points in 2-D (pan, zoom) or 3-D (orbit, pan, dolly), with
// hover picking and click selection, coloured from the VS Code theme. Draws only when something changed, in one
// requestAnimationFrame.
import { FlatView } from './flat-view';
import type { PointGeometry, ScatterPicture } from './geometry';
import { CanvasInput } from './input';
import type { InputTarget } from './input';
import { OrbitView } from './orbit-view';
import { pointColours } from './point-colours';
import { pointStyle } from './point-style';
import type { PointStyle } from './point-style';
import { emptyFrame } from './renderer';
import type { RendererKind } from './renderer';
import { Surface } from './surface';
import { readTheme } from './theme';
import type { ScatterTheme } from './theme';

/** What the scatter tells its owner. */
export interface ScatterEvents {
  /** The pointer rests near point `index` (-1: none) at viewport position (clientX, clientY). */
  onHover(index: number, clientX: number, clientY: number): void;
  /** A click (not a drag) on point `index`, or on the background (-1). The scatter does not select by itself: call setSelected. */
  onSelect(index: number): void;
  /** The view moved (pan, zoom, fit, resize): DOM labels placed with toClient need moving. Called after the frame is drawn. */
  onViewChange?(): void;
}

/** Construction options. */
export interface ScatterOptions {
  /** Force a renderer (tests, benchmarks, a user setting); default: WebGL2 when available, else Canvas2D. */
  renderer?: RendererKind;
}

// Free space around the cloud when fitted (CSS px), so edge points and their rings are not clipped.
const FIT_MARGIN = 24;
// Hover and click pick the nearest point within this many CSS px of the pointer.
const PICK_RADIUS = 6;
// Largest side of an exported picture in device px: browsers refuse canvases much beyond 16k px a side, and 8k
// holds a 4× export of a 2,000 px plot.
const MAX_EXPORT_PX = 8192;

/** A 2-D or 3-D scatter of points on a canvas. See ScatterEvents for what it reports. */
export class Scatter implements InputTarget {
  private readonly surface: Surface;
  private input: CanvasInput;
  private view: PointGeometry;
  private readonly frame = emptyFrame();
  private readonly style: PointStyle = { diameter: 1, alpha: 1, emphasis: 1, ring: 1, ringWidth: 1, halo: 0 };
  private theme: ScatterTheme;
  private shade: Float32Array | undefined;
  private colours: Uint8Array = new Uint8Array(0);
  private selected = -1;
  private hovered = -1;
  private count = 0;
  private drawn = 0;
  private frameMs = 0;
  private sized = false;
  /** Canvas size in CSS px (from the resize observer). */
  private cssBox = { width: 1, height: 1 };
  private fitPending = true;
  private untouched = true; // no pan/zoom since the last fit: a resize refits
  private viewChanged = false;
  private raf = 0;
  private disposed = false;
  private readonly resizeObserver: ResizeObserver;
  private readonly themeObserver: MutationObserver;

  /**
   * Draws on `canvas` and reports to `events`. Size the canvas with CSS (e.g. `display: block; width: 100%; height: 100%`):
   * the scatter sets its drawing-buffer size from the CSS size × devicePixelRatio, so an unsized canvas would grow.
   */
  constructor(
    canvas: HTMLCanvasElement,
    private readonly events: ScatterEvents,
    options: ScatterOptions = {},
  ) {
    this.theme = readTheme(document.body);
    this.surface = new Surface(canvas, options.renderer ?? 'webgl2', {
      onCanvasReplaced: (old, fresh) => this.moveTo(old, fresh),
      onLost: () => this.setDrawn(0),
      onRestored: () => {
        this.writeDataset();
        this.viewChanged = true;
        this.requestDraw();
      },
    });
    this.view = new FlatView(this.surface);
    this.input = new CanvasInput(this.surface.canvas, this);
    this.resizeObserver = new ResizeObserver(this.onResize);
    this.observeSize(this.surface.canvas);
    this.themeObserver = new MutationObserver(this.onThemeChange);
    // VS Code switches theme kinds by body class and sets the variables in the <html> element's style attribute.
    this.themeObserver.observe(document.body, { attributes: true, attributeFilter: ['class'] });
    this.themeObserver.observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });
    this.writeDataset();
  }

  /** The canvas drawn on: the constructor's, unless a failed WebGL restore replaced it with a fresh 2d canvas. */
  get canvas(): HTMLCanvasElement {
    return this.surface.canvas;
  }

  /** Which renderer draws. */
  get renderer(): RendererKind {
    return this.surface.kind;
  }

  /** Points given to setPoints. */
  get pointCount(): number {
    return this.count;
  }

  /** 2 or 3: how the points were given, and whether a drag pans or turns the view. */
  get dims(): 2 | 3 {
    return this.view.dims;
  }

  /** @internal For the input layer: a 3-D view turns on drag. */
  get orbits(): boolean {
    return this.view.dims === 3;
  }

  /** Points with finite coordinates drawn in the last frame (0 before the first frame). */
  get drawnCount(): number {
    return this.drawn;
  }

  /** CPU time (ms) of the last draw call. */
  lastFrameMs(): number {
    return this.frameMs;
  }

  /**
   * Shows new points and fits the view. `coords`: float32 x,y pairs (dims 2) or x,y,z triples (dims 3), any range;
   * kept, not copied. `shade`: optional float32 per point in [0, 1] (0 → --vscode-charts-blue, 1 →
   * --vscode-charts-orange), NaN = no value. Clears the selection, highlights and neighbours (their indices belonged
   * to the old points).
   */
  setPoints(coords: Float32Array, shade?: Float32Array, dims: 2 | 3 = 2): void {
    if (dims !== 2 && dims !== 3) throw new RangeError(`setPoints: dims must be 2 or 3; got ${String(dims)}`);
    if (coords.length % dims !== 0) throw new RangeError(`setPoints: expected ${dims} values per point; got ${coords.length} values`);
    const n = coords.length / dims;
    if (shade && shade.length !== n) throw new RangeError(`setPoints: shade must have one value per point (${n}); got ${shade.length}`);
    if (dims !== this.view.dims) this.switchView(dims);
    this.count = n;
    this.view.place(coords, n);
    this.setShade(shade);
    this.selected = -1;
    this.hovered = -1;
    this.surface.setLayer('highlighted', new Uint32Array(0));
    this.surface.setLayer('neighbors', new Uint32Array(0));
    this.fit();
    this.writeDataset();
  }

  /**
   * Moves the same points (a layout being optimised; as many values per point as setPoints had): selection,
   * highlights and colours stay; the view refits unless the user has panned, zoomed or turned it since the last fit.
   */
  movePoints(coords: Float32Array): void {
    const dims = this.view.dims;
    if (coords.length !== dims * this.count)
      throw new RangeError(`movePoints: expected ${this.count} points of ${dims} values; got ${coords.length} values`);
    this.view.place(coords, this.count);
    if (this.untouched) this.fitPending = true;
    this.viewChanged = true;
    this.requestDraw();
  }

  /** New colours: float32 per point in [0, 1] on the theme's ramp, NaN = no value; undefined = one colour. */
  setShade(shade: Float32Array | undefined): void {
    if (shade && shade.length !== this.count)
      throw new RangeError(`setShade: expected one value per point (${this.count}); got ${shade.length}`);
    this.shade = shade;
    if (this.colours.length !== 4 * this.count) this.colours = new Uint8Array(4 * this.count);
    this.paint();
    this.requestDraw();
  }

  /** Search hits: drawn on top, emphasised. Indices out of range are ignored. */
  setHighlighted(indices: Uint32Array): void {
    this.surface.setLayer('highlighted', this.inRange(indices));
    this.requestDraw();
  }

  /** Neighbours of the selection: a second emphasis, under the search hits. */
  setNeighbors(indices: Uint32Array): void {
    this.surface.setLayer('neighbors', this.inRange(indices));
    this.requestDraw();
  }

  /** The selected point, drawn as a ring on top; -1 for none. */
  setSelected(index: number): void {
    this.selected = Number.isInteger(index) && index >= 0 && index < this.count ? index : -1;
    this.requestDraw();
  }

  /** Resets the view to show every point: pan and zoom, and in 3-D the default direction ("reset view"). */
  fit(): void {
    this.fitPending = true;
    this.untouched = true;
    this.viewChanged = true;
    this.requestDraw();
  }

  /**
   * Brings point `index` to the centre. 2-D: the zoom stays, unless the point was off-screen while zoomed in beyond
   * 4× the fitted view (then it zooms out to 4×, so the jump lands with some context). 3-D: the view turns about it.
   */
  centerOn(index: number): void {
    this.applyPendingFit();
    if (this.view.centerOn(index)) this.touched();
  }

  /** Point `index` in CSS px from the canvas's top-left corner, or undefined when it is not on the canvas (or invalid). */
  toClient(index: number): { x: number; y: number } | undefined {
    this.applyPendingFit();
    return this.view.toClient(index);
  }

  /**
   * The current view drawn now at `scale` device px per CSS px (clamped to MAX_EXPORT_PX a side), copied into a new
   * 2d canvas; returns it with the scale used. Drawing and copying happen in this one task: a WebGL canvas without preserveDrawingBuffer still holds
   * the picture until the page is composited. Throws when the plot has never been shown (no size yet).
   */
  snapshot(scale: number): { canvas: HTMLCanvasElement; scale: number } {
    if (!this.sized) throw new Error('the plot has not been shown yet: there is no picture to export');
    this.applyPendingFit();
    const canvas = this.surface.canvas;
    const { width, height } = this.cssBox;
    const fitScale = Math.min(scale, MAX_EXPORT_PX / width, MAX_EXPORT_PX / height);
    const w = Math.max(1, Math.round(width * fitScale));
    const h = Math.max(1, Math.round(height * fitScale));
    const oldW = canvas.width;
    const oldH = canvas.height;
    const out = document.createElement('canvas');
    out.width = w;
    out.height = h;
    try {
      this.surface.resize(w, h);
      this.drawNow();
      const ctx = out.getContext('2d');
      if (!ctx) throw new Error('no 2d canvas context for the export');
      ctx.drawImage(canvas, 0, 0);
    } finally {
      // Back to the shown size, and drawn again in this task, so the page never composites an empty canvas.
      this.surface.resize(oldW, oldH);
      this.drawNow();
    }
    return { canvas: out, scale: w / width };
  }

  /** The points as the canvas shows them, with colours and sizes, for an SVG export. */
  picture(): ScatterPicture {
    this.applyPendingFit();
    const { width, height } = this.cssBox;
    return {
      ...this.view.picture(),
      width,
      height,
      colours: this.colours,
      diameter: this.style.diameter,
      alpha: this.style.alpha,
      palette: {
        background: this.theme.background,
        selection: this.theme.selection,
        neighbor: this.theme.neighbor,
        highlight: this.theme.highlight,
      },
      selected: this.selected,
    };
  }

  /** Stops drawing and listening; releases the GPU resources. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.raf) cancelAnimationFrame(this.raf);
    this.resizeObserver.disconnect();
    this.themeObserver.disconnect();
    this.input.dispose();
    this.surface.dispose();
  }

  // ---- InputTarget -------------------------------------------------------------------------------------------

  /** Pans the view as a drag of (dx, dy) CSS px would. */
  panBy(dx: number, dy: number): void {
    this.applyPendingFit();
    this.view.panBy(dx, dy);
    this.touched();
  }

  /** Zooms by `factor` (clamped to the zoom limits) around (x, y) CSS px from the canvas's top-left corner (3-D: a dolly). */
  zoomAt(factor: number, x: number, y: number): void {
    this.applyPendingFit();
    this.view.zoomAt(factor, x, y);
    this.touched();
  }

  /** 3-D: turns the view as a drag of (dx, dy) CSS px would. 2-D: nothing. */
  orbitBy(dx: number, dy: number): void {
    if (this.view.dims !== 3) return;
    this.applyPendingFit();
    this.view.orbitBy(dx, dy);
    this.touched();
  }

  /** @internal The pointer rests at (x, y) canvas CSS px: pick and report. */
  hover(x: number, y: number, clientX: number, clientY: number): void {
    const index = this.pick(x, y);
    if (index < 0 && this.hovered < 0) return;
    this.hovered = index;
    this.events.onHover(index, clientX, clientY);
  }

  /** @internal Nothing is hovered any more. */
  hoverEnd(): void {
    if (this.hovered < 0) return;
    this.hovered = -1;
    this.events.onHover(-1, 0, 0);
  }

  /** @internal A click at (x, y) canvas CSS px: pick and report. */
  click(x: number, y: number): void {
    this.events.onSelect(this.pick(x, y));
  }

  // ---- internals ---------------------------------------------------------------------------------------------

  private pick(x: number, y: number): number {
    if (!this.sized || this.count === 0) return -1;
    this.applyPendingFit();
    return this.view.pick(x, y, PICK_RADIUS);
  }

  /** A new geometry for `dims` at the current canvas size; the renderer drops the old one's depth cue and order. */
  private switchView(dims: 2 | 3): void {
    const { width, height } = this.cssBox;
    this.view = dims === 3 ? new OrbitView(this.surface) : new FlatView(this.surface);
    this.view.resize(width, height);
    this.surface.setCue(undefined);
    this.surface.setOrder(undefined);
  }

  private touched(): void {
    this.untouched = false;
    this.viewChanged = true;
    this.requestDraw();
  }

  private applyPendingFit(): void {
    if (!this.fitPending || !this.sized) return;
    this.fitPending = false;
    this.view.fit(FIT_MARGIN);
  }

  private inRange(indices: Uint32Array): Uint32Array {
    const n = this.count;
    let ok = true;
    for (let k = 0; k < indices.length && ok; k++) ok = indices[k]! < n;
    return ok ? indices : indices.filter((i) => i < n);
  }

  /** Per-point colours from the shade ramp and the theme. */
  private paint(): void {
    pointColours(this.colours, this.count, this.shade, this.theme);
    this.surface.setColours(this.colours);
  }

  private requestDraw(): void {
    if (this.raf === 0 && !this.disposed) this.raf = requestAnimationFrame(this.onFrame);
  }

  private readonly onFrame = (): void => {
    this.raf = 0;
    if (this.disposed || !this.sized) return;
    this.drawNow();
  };

  /** Draws one frame at the surface's current size, then reports a view change. */
  private drawNow(): void {
    this.applyPendingFit();
    const started = performance.now();
    const canvas = this.surface.canvas;
    const f = this.frame;
    const theme = this.theme;
    const highContrast = theme.kind === 'high-contrast' || theme.kind === 'high-contrast-light';
    const view = this.view;
    const s = pointStyle(view.finiteCount, view.zoom, highContrast, this.style);
    // Device px per CSS px, per axis, from the actual buffer size (rounding makes it differ slightly from dpr).
    const { width, height } = this.cssBox;
    const rx = canvas.width / width;
    const ry = canvas.height / height;
    const dpr = (rx + ry) / 2;
    view.prepare(f, rx, ry);
    f.width = canvas.width;
    f.height = canvas.height;
    f.diameter = s.diameter * dpr;
    f.alpha = s.alpha;
    f.emphasis = s.emphasis * dpr;
    f.halo = s.halo * dpr;
    f.ring = s.ring * dpr;
    f.ringWidth = s.ringWidth * dpr;
    f.selected = this.selected;
    f.background = theme.background;
    f.highlight = theme.highlight;
    f.neighbor = theme.neighbor;
    f.selection = theme.selection;
    const ok = this.surface.draw(f);
    this.frameMs = performance.now() - started;
    this.setDrawn(ok ? view.finiteCount : 0);
    if (this.viewChanged) {
      this.viewChanged = false;
      this.events.onViewChange?.();
    }
  }

  private setDrawn(drawn: number): void {
    if (drawn === this.drawn) return;
    this.drawn = drawn;
    this.surface.canvas.dataset['drawn'] = String(drawn);
  }

  /** The surface replaced the canvas (WebGL fallback): listen and observe the new one. */
  private moveTo(old: HTMLCanvasElement, fresh: HTMLCanvasElement): void {
    this.input.dispose();
    this.input = new CanvasInput(fresh, this);
    this.resizeObserver.unobserve(old);
    this.observeSize(fresh);
  }

  private writeDataset(): void {
    const data = this.surface.canvas.dataset;
    data['renderer'] = this.surface.kind;
    data['points'] = String(this.count);
    data['dims'] = String(this.view.dims);
    data['drawn'] = String(this.drawn);
  }

  private observeSize(canvas: HTMLCanvasElement): void {
    try {
      this.resizeObserver.observe(canvas, { box: 'device-pixel-content-box' });
    } catch {
      this.resizeObserver.observe(canvas); // browsers without device-pixel-content-box
    }
  }

  private readonly onResize = (entries: ResizeObserverEntry[]): void => {
    const entry = entries[entries.length - 1];
    if (!entry) return;
    const css = entry.contentBoxSize[0];
    const width = css ? css.inlineSize : entry.contentRect.width;
    const height = css ? css.blockSize : entry.contentRect.height;
    const dpr = window.devicePixelRatio || 1;
    // The exact device-pixel box when the browser gives one that agrees with dpr (emulated dpr, as in headless
    // screenshots, leaves it at the real scale: then CSS size × dpr is what the page will be shown at).
    const device = entry.devicePixelContentBoxSize?.[0];
    const exact = device && Math.abs(device.inlineSize - width * dpr) <= 1 && Math.abs(device.blockSize - height * dpr) <= 1;
    const deviceW = Math.max(1, exact ? device.inlineSize : Math.round(width * dpr));
    const deviceH = Math.max(1, exact ? device.blockSize : Math.round(height * dpr));
    if (width <= 0 || height <= 0) return; // hidden (display: none): keep the last view
    this.cssBox = { width, height };
    this.view.resize(width, height);
    this.surface.resize(deviceW, deviceH);
    this.sized = true;
    if (this.untouched) this.fitPending = true;
    this.viewChanged = true;
    this.requestDraw();
  };

  private readonly onThemeChange = (): void => {
    this.theme = readTheme(document.body);
    this.paint();
    this.requestDraw();
  };
}
