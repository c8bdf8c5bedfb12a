import type { PowerTable } from './fast-pow';

/**
 * The layout optimiser's working state, shared by its epoch bookkeeping and its kernels. Edges are split into two
 * lanes (lane A: the first half of the edge list, lane B: the rest); each epoch lists the edges of each lane that
 * are due, and step q processes lane A's q-th and lane B's q-th due edge together.
 */
export interface LayoutState {
  readonly rows: number;
  /** rows × dims, row-major: the layout being optimised. */
  readonly embedding: Float64Array;
  /** Per directed edge: its head row, tail row, and sampling schedule (umap-learn's arrays). */
  readonly head: Int32Array;
  readonly tail: Int32Array;
  readonly epochsPerSample: Float64Array;
  readonly epochOfNextSample: Float64Array;
  readonly epochsPerNegativeSample: Float64Array;
  readonly epochOfNextNegativeSample: Float64Array;
  /** Due edges of each lane this epoch, and how many. */
  readonly dueA: Int32Array;
  readonly dueB: Int32Array;
  countA: number;
  countB: number;
  readonly a: number;
  readonly b: number;
  readonly power: PowerTable;
  /** Weight of the negative samples (gamma). */
  readonly repulsion: number;
  /** The current epoch's learning rate. */
  alpha: number;
  /** The current epoch (0-based). */
  epoch: number;
  /** xorshift32 states of the two lanes' negative-sample streams (non-zero). */
  randomA: number;
  randomB: number;
}

/** Gradients are clipped to ±4 per coordinate, as umap-learn's clip(). */
export const CLIP = 4;
/** umap-learn's 0.001 in the repulsive gradient: keeps it finite for points that (nearly) coincide. */
export const REPULSION_EPSILON = 0.001;
/** A uint32 times this, truncated, is a row in 0..rows-1 (multiply-shift; `%` on a uint32 above 2³¹ is a slow double modulo in V8). */
export const UINT32_SCALE = 1 / 4294967296;
