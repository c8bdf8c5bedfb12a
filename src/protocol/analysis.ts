/** Analysis data shapes shared by the worker and panel channels (types only). */
import type { CheckpointSummary, UvSummary } from '../core/analysis/compare/compare-report';
import type { RowScore } from './view-data';
import type { ProjectionFacts } from '../core/analysis/projection-types';

export type {
  AxisWords,
  Preservation,
  ProjectionFacts,
  ProjectionMethod,
  ProjectionRequest,
  ProjectionSpace,
} from '../core/analysis/projection-types';

/** A projection: coordinates per point and the row each point stands for. */
export interface Projection {
  /** float32 tuples of `dims` per point. */
  readonly coords: ArrayBuffer;
  /** int32 vocabulary row of each point (joint layouts list each row twice: U points, then V points). */
  readonly rows: ArrayBuffer;
  readonly facts: ProjectionFacts;
}

/** A partial layout while UMAP optimises. */
export interface ProjectionStep {
  readonly epoch: number;
  readonly epochs: number;
  /** float32 tuples of `dims` per point, same points as the final projection. */
  readonly coords: ArrayBuffer;
  /** int32 vocabulary row per point, on a job's first step only (the points do not change after it). */
  readonly rows?: ArrayBuffer;
}

/** U vs V of one checkpoint, as the panel shows it: the CLI's figures plus per-token columns and spectra. */
export interface UvView {
  /** The `compare --json` figures (schema 1). */
  readonly summary: UvSummary;
  /** Names of U and V (the same name twice when a tied checkpoint stores one matrix). */
  readonly matrices: readonly [string, string];
  readonly cols: number;
  /** Median self rank over the rows ranked. */
  readonly medianSelfRank: number;
  /** float32 per row: cos(uᵢ, vᵢ). */
  readonly cos: ArrayBuffer;
  /** float32 per row: Jaccard@k of the row's U and V neighbour lists; NaN for rows outside the sample. */
  readonly jaccard: ArrayBuffer;
  /** int32 per row: rank of vᵢ among all of V scored by uᵢ (1 = first); 0 for rows outside the sample. */
  readonly selfRank: ArrayBuffer;
  /** float64 per row: training counts, when the file has them. */
  readonly counts: ArrayBuffer | null;
  /** Singular values, largest first, of U, V and U + V. */
  readonly singularValues: { readonly u: readonly number[]; readonly v: readonly number[]; readonly sum: readonly number[] };
  readonly effectiveRankSum: number;
  /** Milliseconds the worker spent. */
  readonly ms: number;
}

/** This checkpoint's U against a second checkpoint's U′ on their shared vocabulary (U′ aligned to U). */
export interface CheckpointView {
  /** The `compare --against --json` figures (schema 1). */
  readonly summary: CheckpointSummary;
  /** The second checkpoint's path, as it was asked for. */
  readonly against: string;
  /** Names of the two matrices compared (this checkpoint's, then the other's). */
  readonly matrices: readonly [string, string];
  readonly cols: number;
  /** int32 per shared token: its row in this checkpoint's vocabulary. */
  readonly rows: ArrayBuffer;
  /** float32 per shared token: drift = 1 − cos after alignment, in [0, 2]. */
  readonly drift: ArrayBuffer;
  /** float32 per shared token: Jaccard@k of its lists in U and U′; NaN outside the sample. */
  readonly jaccard: ArrayBuffer;
  /** float64 per vocabulary row of this checkpoint: training counts, when the file has them. */
  readonly counts: ArrayBuffer | null;
  /** Milliseconds the worker spent. */
  readonly ms: number;
}

/** A token's cosine neighbours among the shared vocabulary in this checkpoint and in the other (rows of this one). */
export interface NeighborPair {
  readonly row: number;
  readonly here: RowScore[];
  readonly there: RowScore[];
}
