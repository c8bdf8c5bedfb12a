// How big and how opaque the points of a cloud are drawn, from the point count and the zoom. Pure.

/** Sizes in CSS px and the cloud's opacity for one frame. */
export interface PointStyle {
  /** Diameter of a cloud point. */
  diameter: number;
  /** Opacity multiplier of cloud points. */
  alpha: number;
  /** Diameter of a search hit or a neighbour (drawn opaque over a halo). */
  emphasis: number;
  /** Outer diameter and line width of the ring around the selection. */
  ring: number;
  ringWidth: number;
  /** Width of the background-coloured halo around emphasised points. */
  halo: number;
}

// A 1,000-point cloud gets 6 px discs, 100k get 3 px, and no cloud goes below 2.5 px (smaller reads as noise).
const DIAMETER_AT_1K = 6;
const DIAMETER_PER_DECADE = 1.5;
const MIN_DIAMETER = 2.5;
// Zooming in grows points with the 0.35th power of the zoom (×2.2 at 10×) up to 14 px, so a zoomed-in cluster
// separates without points turning into blobs; zooming out shrinks them to at most 1.5 px.
const ZOOM_EXPONENT = 0.35;
const MAX_DIAMETER = 14;
const MIN_ZOOMED_OUT_DIAMETER = 1.5;
// Opacity falls with density (0.89 at 1k, 0.55 at 100k, 0.38 at 1M) so dense clusters show their structure,
// and rises again as zooming in spreads the points.
const ALPHA_AT_1 = 1.4;
const ALPHA_PER_DECADE = 0.17;
const MIN_ALPHA = 0.35;
const MAX_ALPHA = 0.9;

/** Point style for `count` points at `zoom` (1 = fitted); high-contrast themes get opaque points. */
export function pointStyle(count: number, zoom: number, highContrast: boolean, out: PointStyle): PointStyle {
  const decades = Math.log10(Math.max(1, count));
  const base = Math.max(MIN_DIAMETER, Math.min(DIAMETER_AT_1K, DIAMETER_AT_1K - DIAMETER_PER_DECADE * (decades - 3)));
  const grow = Math.pow(Math.max(zoom, 1e-6), ZOOM_EXPONENT);
  const diameter = Math.max(MIN_ZOOMED_OUT_DIAMETER, Math.min(MAX_DIAMETER, base * grow));
  const baseAlpha = Math.max(MIN_ALPHA, Math.min(MAX_ALPHA, ALPHA_AT_1 - ALPHA_PER_DECADE * decades));
  out.diameter = diameter;
  out.alpha = highContrast ? 1 : Math.min(MAX_ALPHA, baseAlpha * Math.pow(Math.max(zoom, 1), 0.25));
  // Emphasised points stay visible among the cloud: at least 7 px and 1.6× a cloud point.
  out.emphasis = Math.max(7, diameter * 1.6);
  out.halo = highContrast ? 2 : 1.5;
  out.ring = Math.max(14, diameter * 2.5);
  out.ringWidth = highContrast ? 3 : 2;
  return out;
}
