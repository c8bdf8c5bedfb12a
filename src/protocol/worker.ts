import type { NeighborSpace } from '../core/token-neighbors';
import type { Metric } from '../core/neighbors';
import type { CheckpointDescription } from '../core/summary';
import type { TrainSummary } from '../core/train/train-summary';
import type { TrainProgress } from '../core/train/train-types';
import type { CheckpointView, NeighborPair, Projection, ProjectionRequest, ProjectionStep, UvView } from './analysis';
import type { ProjectionInfo, RowScore, TokenTable } from './view-data';

/** Which compute backend runs in the worker, for the panel header and the CLI. */
export interface BackendInfo {
  /** e.g. "JavaScript float32 (worker_threads)". */
  readonly backend: string;
  readonly node: string;
}

/** A checkpoint opened for the panel: its description, tokens, per-row shading and a first 2-D projection. */
export interface ViewData {
  readonly description: CheckpointDescription;
  readonly tokens: TokenTable;
  /** float32 per projected row in [0, 1]: frequency rank (0 = most frequent); null when the file has no counts. */
  readonly shade: ArrayBuffer | null;
  /** float32 x,y pairs, one per projected row. */
  readonly xy: ArrayBuffer;
  readonly projection: ProjectionInfo;
}

/** A row's three neighbour lists. */
export interface RowNeighbors {
  readonly row: number;
  readonly input: RowScore[];
  readonly output: RowScore[] | null;
  /** V's rows scored by uᵢ·v (dot: the score SGNS trains), the row itself included. */
  readonly cross: RowScore[] | null;
}

/** A TensorBoard Projector export: which matrix, how many of the most frequent rows, and the two files to write. */
export interface ProjectorExport {
  readonly space: 'input' | 'output';
  /** The most frequent rows to write; null: every row. */
  readonly limit: number | null;
  readonly tensorsPath: string;
  readonly metadataPath: string;
}

/** What a Projector export wrote. */
export interface ProjectorExportResult {
  readonly rows: number;
  readonly cols: number;
  /** NaN/±Infinity values written as 0. */
  readonly nonFinite: number;
  /** The matrix written. */
  readonly matrix: string;
  readonly metadataColumns: string[];
}

/** Where a training's config comes from: a config file, or a run folder's manifest (Retrain from a checkpoint). */
export type TrainSource = { readonly configFile: string } | { readonly runFolder: string };

/** A training job: the config, `key=value` overrides on top of it (as the CLI's --set), and the run compared with. */
export interface TrainRequest {
  readonly source: TrainSource;
  readonly overrides: readonly string[];
}

/** What a training job returns: the CLI's summary, the run before it in the same output folder, and config warnings. */
export interface TrainResult {
  readonly summary: TrainSummary;
  /** The newest earlier run in the output folder (or the run retrained from); null when this is the first. */
  readonly previous: string | null;
  readonly warnings: readonly string[];
}

/** What the compute worker serves. Long requests carry a `jobId` that `job/cancel` aborts. */
export interface WorkerSide {
  requests: {
    /** The worker's compute backend. */
    'worker/info': { params: Record<string, never>; result: BackendInfo };
    /** Opens a checkpoint and describes it without loading any matrix. */
    'checkpoint/inspect': { params: { path: string; format?: string }; result: CheckpointDescription };
    /** Exact top-k neighbours of a token in U or V, excluding the token. */
    'checkpoint/neighbors': {
      params: { path: string; token: string; k: number; matrix: NeighborSpace; metric: Metric };
      result: { token: string; neighbors: { token: string; score: number }[] };
    };
    /** Opens a checkpoint for the panel: loads U, projects it with PCA, and returns the view's buffers. */
    'view/open': { params: { jobId: number; path: string; format?: string }; result: ViewData };
    /** Neighbours of one row: in U and V by cosine (excluding the row), and across, V's rows by uᵢ·v (null without V). */
    'view/neighbors': { params: { path: string; row: number; k: number }; result: RowNeighbors };
    /** A projection (PCA, UMAP or custom axes) of U, V or both; UMAP reports partial layouts as `job/step`. */
    'view/project': { params: { jobId: number; path: string; request: ProjectionRequest }; result: Projection };
    /** U vs V of the checkpoint: per-token cos, self rank and Jaccard@k, CKA, Procrustes, spectra (kept per k). */
    'view/compare-uv': { params: { jobId: number; path: string; k: number }; result: UvView };
    /** This checkpoint's U against `against`'s U on the shared vocabulary (kept per pair and k, for the neighbour lists). */
    'view/compare-checkpoints': { params: { jobId: number; path: string; against: string; k: number }; result: CheckpointView };
    /** A row's neighbours in both checkpoints of a comparison made before (rows of `path`'s vocabulary). */
    'view/compare-neighbors': { params: { path: string; against: string; k: number; row: number }; result: NeighborPair };
    /** Writes the TensorBoard Projector's tensors and metadata files of U or V. */
    'export/projector': { params: { jobId: number; path: string; request: ProjectorExport }; result: ProjectorExportResult };
    /**
     * Trains as a config says and writes a run folder (nothing on cancel or failure). Progress comes as
     * `train/progress` (the trainer's: loss, tokens/s) and `job/progress` (phases: reading, writing, evaluating).
     */
    'train/run': { params: { jobId: number; request: TrainRequest }; result: TrainResult };
    /** Aborts a running job; resolves whether or not the job was still running. */
    'job/cancel': { params: { jobId: number }; result: void };
  };
  events: {
    /** Progress of a long job: what it is doing now and, when known, how far along (0–1). */
    'job/progress': { jobId: number; message: string; fraction?: number };
    /** A partial layout of a running projection job. */
    'job/step': { jobId: number } & ProjectionStep;
    /** A training job's progress (at least once a second while it trains). */
    'train/progress': { jobId: number } & TrainProgress;
  };
}

/** What the host serves to the worker (nothing: the worker only answers and reports progress). */
export interface HostSide {
  requests: Record<never, never>;
  events: Record<never, never>;
}
