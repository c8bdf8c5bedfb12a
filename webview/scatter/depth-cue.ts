// Depth in a 3-D view: the back-to-front drawing order (a counting sort, O(n) per frame) and the cue that makes
// farther points smaller and fainter. Pure: no DOM.

// A point at the target's depth is drawn at the style's size; nearer ones grow with perspective up to 2.5×, farther
// ones shrink to no less than 0.4× (smaller reads as noise).
const MIN_SIZE = 0.4;
const MAX_SIZE = 2.5;
// The far side of the cloud is drawn at 40% of the near side's opacity: clearly behind, still visible.
const FADE = 0.6;

/**
 * Size and opacity factors of a point at `depth` (from the eye) when the target sits at `distance` and the cloud has
 * radius `radius`: size follows perspective (distance / depth, clamped), opacity falls linearly from the cloud's near
 * side (1) to its far side (1 − FADE).
 */
export function depthCue(depth: number, distance: number, radius: number, out: { size: number; alpha: number }): void {
  out.size = Math.max(MIN_SIZE, Math.min(MAX_SIZE, distance / depth));
  const t = (depth - (distance - radius)) / (2 * radius);
  out.alpha = 1 - FADE * (t < 0 ? 0 : t > 1 ? 1 : t);
}

/**
 * Writes into `order` the indices 0..n-1 sorted far to near by `depth` (larger first), with points whose depth is
 * not finite first (they are not drawn). Depths are bucketed into `counts.length - 1` equal slices of their range
 * (counting sort): within a slice, lower indices come first. `counts` is scratch space, at least 2 long.
 */
export function depthOrder(depth: Float32Array, n: number, order: Uint32Array, counts: Uint32Array): void {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const d = depth[i]!;
    if (d < min) min = d;
    if (d > max) max = d;
  }
  const buckets = counts.length - 1;
  // Bucket 0 holds the points not drawn; 1..buckets-1 the depths, farthest first.
  const slices = buckets - 1;
  const scale = max > min ? (slices - 1) / (max - min) : 0;
  counts.fill(0);
  for (let i = 0; i < n; i++) counts[bucketOf(depth[i]!, max, scale) + 1]!++;
  for (let b = 0; b < buckets; b++) counts[b + 1]! += counts[b]!;
  for (let i = 0; i < n; i++) order[counts[bucketOf(depth[i]!, max, scale)]!++] = i;
}

/** Bucket of a depth: 0 when not finite, else 1 + its slice counted from the farthest. */
function bucketOf(d: number, max: number, scale: number): number {
  return Number.isFinite(d) ? 1 + Math.floor((max - d) * scale) : 0;
}
