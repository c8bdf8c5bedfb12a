// The contract between the Scatter and the geometry of its points: a 2-D view (pan and zoom over x,y) or a 3-D one
// (orbit, pan and dolly around x,y,z). The Scatter owns input, colours, selection and the frame loop; a geometry
// owns the coordinates, its camera, picking, and what the renderer gets as positions.
import type { Rgba } from './colour';
import type { Frame } from './renderer';

/** Where a geometry sends what the renderer draws (the scatter's Surface); arrays are kept by reference. */
export interface PositionSink {
  setPositions(positions: Float32Array): void;
  setCue(cue: Float32Array | undefined): void;
  setOrder(order: Uint32Array | undefined): void;
}

/** The points as the canvas shows them now: what an SVG export draws. */
export interface Picture {
  /** float32 x,y per point in canvas CSS px (y down); NaN for points not shown. */
  readonly xy: Float32Array;
  /** 3-D: the drawing order, far to near. */
  readonly order?: Uint32Array;
  /** 3-D: float32 (size factor, opacity factor) per point. */
  readonly cue?: Float32Array;
}

/** What an export needs to draw the points as the canvas shows them (Scatter.picture). */
export interface ScatterPicture extends Picture {
  /** Canvas size in CSS px. */
  readonly width: number;
  readonly height: number;
  /** RGBA8 per point as painted. */
  readonly colours: Uint8Array;
  /** Cloud point diameter (CSS px) and opacity multiplier of the last frame. */
  readonly diameter: number;
  readonly alpha: number;
  /** The theme's colours for the background and the emphasis marks. */
  readonly palette: { readonly background: Rgba; readonly selection: Rgba; readonly neighbor: Rgba; readonly highlight: Rgba };
  /** The selected point, -1 for none. */
  readonly selected: number;
}

/** Points with a camera: placing them, moving the view, picking, and each frame's transform. */
export interface PointGeometry {
  readonly dims: 2 | 3;
  /** Points with finite coordinates. */
  readonly finiteCount: number;
  /** Zoom relative to the fitted view (1 = fitted). */
  readonly zoom: number;
  /** Takes coordinates (`dims` float32 values per point; kept, not copied) for `count` points. */
  place(coords: Float32Array, count: number): void;
  /** Canvas size in CSS px. */
  resize(width: number, height: number): void;
  /** Shows every point with `marginPx` CSS px free around them (3-D: from the default direction). */
  fit(marginPx: number): void;
  panBy(dx: number, dy: number): void;
  zoomAt(factor: number, x: number, y: number): void;
  /** Turns a 3-D view as a drag of (dx, dy) CSS px would; a 2-D view ignores it. */
  orbitBy(dx: number, dy: number): void;
  /** Brings point `index` to the centre; false when it is invalid or not finite. */
  centerOn(index: number): boolean;
  /** Point `index` in CSS px from the canvas's top-left corner, or undefined when it is not on the canvas. */
  toClient(index: number): { x: number; y: number } | undefined;
  /** The point nearest to (x, y) CSS px within `radiusPx` on screen, or -1. */
  pick(x: number, y: number, radiusPx: number): number;
  /** Fills the frame's transform (device px per CSS px: rx, ry) and hands the sink anything that changed. */
  prepare(frame: Frame, rx: number, ry: number): void;
  /** The points where the canvas shows them. */
  picture(): Picture;
}
