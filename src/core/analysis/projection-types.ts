/** What a projection request asks for, and the facts a finished projection reports (types only). */

/** Rows a projection places: U's, V's, or both in one layout (U rows first, then V rows). */
export type ProjectionSpace = 'input' | 'output' | 'joint';

/** How points are placed: principal axes, UMAP, or axes the user defines by word differences. */
export type ProjectionMethod = 'pca' | 'umap' | 'axes';

/** One custom axis: from the mean of the `negative` words' vectors to the mean of the `positive` words' vectors. */
export interface AxisWords {
  readonly positive: readonly string[];
  readonly negative: readonly string[];
}

/** What to project. */
export interface ProjectionRequest {
  readonly method: ProjectionMethod;
  readonly dims: 2 | 3;
  readonly space: ProjectionSpace;
  /** The N most frequent tokens (the first N rows when the file has no counts); omitted: the whole vocabulary. */
  readonly limit?: number;
  /** Seed of every random choice (UMAP's sampling and initialisation, PCA's fitting sample); default 1. */
  readonly seed?: number;
  /** Custom axes (method 'axes'): x, then y (and z for 3 dims). */
  readonly axes?: readonly AxisWords[];
}

/** How well a layout keeps neighbours: mean share of each row's k original-space neighbours among its k layout neighbours. */
export interface Preservation {
  readonly k: number;
  readonly recall: number;
  /** Rows the figure was measured on (a seeded sample on large layouts). */
  readonly measuredRows: number;
}

/** A finished projection's facts, for the caption. */
export interface ProjectionFacts {
  readonly method: ProjectionMethod;
  readonly space: ProjectionSpace;
  readonly dims: 2 | 3;
  /** Names of the matrices projected. */
  readonly matrices: readonly string[];
  readonly points: number;
  /** PCA: share of variance per axis; axes: share of variance along each custom axis; UMAP: empty. */
  readonly explainedVarianceRatio: readonly number[];
  /** Axis titles ("king − queen"), for custom axes. */
  readonly axisTitles: readonly string[];
  /** Words of a custom axis that are not in the vocabulary (left out of the mean). */
  readonly missingWords: readonly string[];
  readonly preservation: Preservation | null;
  readonly seed: number;
  /** UMAP epochs run. */
  readonly epochs: number;
  /** Milliseconds: neighbour graph (UMAP), layout, and quality measurement. */
  readonly knnMs: number;
  readonly layoutMs: number;
  readonly preservationMs: number;
}
