// The contract between the Scatter (state, camera, input) and its two point renderers (WebGL2, Canvas2D).
import type { Rgba } from './colour';

/** Which renderer draws the points. */
export type RendererKind = 'webgl2' | 'canvas2d';

/** Emphasis layers drawn over the cloud, in this order. */
export type LayerName = 'neighbors' | 'highlighted';

/**
 * Everything one frame needs, in device pixels. Positions are normalised ("n" coordinates); a point lands at
 * X = nx * ax + bx, Y = ny * ay + by device px from the canvas's top-left corner. One object is reused every frame.
 */
export interface Frame {
  ax: number;
  bx: number;
  ay: number;
  by: number;
  /** Canvas size in device px. */
  width: number;
  height: number;
  /** Cloud point diameter (device px) and opacity multiplier. */
  diameter: number;
  alpha: number;
  /** Emphasised point diameter and halo width (device px). */
  emphasis: number;
  halo: number;
  /** Selection ring outer diameter and line width (device px). */
  ring: number;
  ringWidth: number;
  /** Index of the selected point, -1 for none. */
  selected: number;
  background: Rgba;
  highlight: Rgba;
  neighbor: Rgba;
  selection: Rgba;
}

/** A frame with neutral values, to be filled in before each draw. */
export function emptyFrame(): Frame {
  const black = { r: 0, g: 0, b: 0, a: 1 };
  return {
    ax: 1,
    bx: 0,
    ay: 1,
    by: 0,
    width: 1,
    height: 1,
    diameter: 1,
    alpha: 1,
    emphasis: 1,
    halo: 0,
    ring: 1,
    ringWidth: 1,
    selected: -1,
    background: black,
    highlight: black,
    neighbor: black,
    selection: black,
  };
}

/** Draws points; owns its graphics resources. Arrays passed in are kept by reference (the Scatter owns them). */
export interface PointsRenderer {
  readonly kind: RendererKind;
  /** Normalised float32 x,y pairs; non-finite points must already be parked far off-screen. */
  setPositions(positions: Float32Array): void;
  /** Straight RGBA8 per point. */
  setColours(colours: Uint8Array): void;
  /** Per-point float32 (size factor, opacity factor) pairs for the cloud (a 3-D view's depth cue); undefined = 1, 1. */
  setCue(cue: Float32Array | undefined): void;
  /** The order the cloud's points are drawn in (a 3-D view: far to near), all n indices; undefined = index order. */
  setOrder(order: Uint32Array | undefined): void;
  /** Point indices (all < point count) of an emphasis layer. */
  setLayer(layer: LayerName, indices: Uint32Array): void;
  /** Sets the drawing-buffer size in device px. */
  resize(width: number, height: number): void;
  /** Draws one frame; false when nothing could be drawn (e.g. the context is lost). */
  draw(frame: Frame): boolean;
  dispose(): void;
}
