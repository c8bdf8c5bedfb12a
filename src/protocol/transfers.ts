import type { CheckpointView, Projection, UvView } from './analysis';
import type { ViewData } from './worker';

// The buffers each binary message carries, for the sender's transfer list: one list per message shape, shared by
// the worker (which sends them to the host) and the host (which passes them on to the webview).

/** A panel view's buffers: tokens, shading and coordinates. */
export function viewBuffers(view: ViewData): ArrayBuffer[] {
  return [view.tokens.utf8, view.tokens.ends, view.xy, ...(view.shade ? [view.shade] : [])];
}

/** A projection's coordinates and rows. */
export function projectionBuffers(projection: Projection): ArrayBuffer[] {
  return [projection.coords, projection.rows];
}

/** A U-vs-V view's per-token columns. */
export function uvBuffers(view: UvView): ArrayBuffer[] {
  return [view.cos, view.jaccard, view.selfRank, ...(view.counts ? [view.counts] : [])];
}

/** A checkpoint comparison's per-token columns. */
export function checkpointViewBuffers(view: CheckpointView): ArrayBuffer[] {
  return [view.rows, view.drift, view.jaccard, ...(view.counts ? [view.counts] : [])];
}
