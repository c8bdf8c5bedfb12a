/** Data shapes shared by the worker and panel channels (types only). */

/** Token strings as one UTF-8 buffer and their end offsets: cheap to post, decoded once in the webview. */
export interface TokenTable {
  /** UTF-8 bytes of all tokens, concatenated. */
  readonly utf8: ArrayBuffer;
  /** uint32 end offset of each token in `utf8` (token i spans ends[i-1]..ends[i]). */
  readonly ends: ArrayBuffer;
}

/** A neighbour by row, with its cosine similarity. */
export interface RowScore {
  readonly row: number;
  readonly score: number;
}

/** How the 2-D picture was made. */
export interface ProjectionInfo {
  readonly method: 'pca';
  /** Name of the matrix projected (U when the checkpoint has one). */
  readonly matrix: string;
  readonly rows: number;
  /** Share of the variance each axis explains. */
  readonly explainedVarianceRatio: readonly number[];
  /** Rows the PCA basis was fitted on (a seeded sample when the vocabulary is large). */
  readonly fittedRows: number;
  /** Milliseconds spent in the worker: opening the file and loading U (from the request's arrival), and projecting it. */
  readonly loadMs: number;
  readonly projectMs: number;
}
