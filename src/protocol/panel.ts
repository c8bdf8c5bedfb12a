import type { CheckpointDescription } from '../core/summary';
import type { CheckpointView, NeighborPair, Projection, ProjectionRequest, ProjectionStep, UvView } from './analysis';
import type { ProjectionInfo, TokenTable } from './view-data';
import type { TrainProgress } from '../core/train/train-types';
import type { ProjectorExportResult, RowNeighbors } from './worker';

/** Bumped on any incompatible change to the messages below; the webview sends its own in `webview/ready`. */
export const PANEL_PROTOCOL_VERSION = 4;

/** The header facts of an opened checkpoint, ready to print. */
export interface PanelHeader {
  readonly path: string;
  readonly fileName: string;
  readonly description: CheckpointDescription;
  /** The compute worker's backend, e.g. "JavaScript float32 (worker_threads)". */
  readonly backend: string;
  /** Set when the checkpoint is a run folder Embedding Lens trained: it can be retrained from the panel. */
  readonly run: TrainedRunInfo | null;
}

/** A trained run's facts from its manifest, for the header. */
export interface TrainedRunInfo {
  readonly trainer: string;
  readonly tied: boolean;
  /** e.g. "5 epochs, dim 100, 1,000,000 tokens at 280,000 tokens/s, final loss 2.08". */
  readonly summary: string;
}

/** One point of the live loss curve: where in the training (0–1) and the mean loss since the last point. */
export interface LossPoint {
  readonly fraction: number;
  readonly loss: number;
}

/** A training shown in the panel until its run is written (then the panel opens the run). */
export interface TrainingState {
  readonly trainer: string;
  /** The config trained (a *.lens.json, or a run's manifest.json for Retrain). */
  readonly configPath: string;
  /** The overrides on top of it, e.g. ["epochs=10"]. */
  readonly overrides: readonly string[];
  /** What happens now: "Reading the corpus 40%", "Training sgns on 1,000,000 tokens…", "Evaluating sum". */
  readonly phase: string;
  readonly progress: TrainProgress | null;
  readonly curve: readonly LossPoint[];
}

/** Everything the panel shows, sent whole (snapshots, not deltas) and re-sent when the webview is re-created. */
export type PanelSnapshot =
  | { readonly state: 'loading'; readonly fileName: string; readonly path: string; readonly message: string }
  | {
      readonly state: 'error';
      readonly fileName: string;
      readonly path: string;
      readonly code: string;
      readonly message: string;
      /** false: nothing to read again (a training failed), so no "Try again". */
      readonly retry?: false;
    }
  | ({ readonly state: 'training'; readonly fileName: string; readonly path: string } & TrainingState)
  | {
      readonly state: 'ready';
      readonly header: PanelHeader;
      readonly tokens: TokenTable;
      /** float32 per row in [0, 1], frequency rank; null without counts. */
      readonly shade: ArrayBuffer | null;
      /** float32 x,y pairs, one per row. */
      readonly xy: ArrayBuffer;
      readonly projection: ProjectionInfo;
    };

/** File kinds the panel exports. */
export type ExportFormat = 'png' | 'svg' | 'csv' | 'json';

/** What the extension host serves to the webview. */
export interface HostPanelSide {
  requests: {
    /** A row's neighbours in U, in V, and across (V's rows by uᵢ·v). */
    'panel/neighbors': { params: { row: number; k: number }; result: RowNeighbors };
    /** A projection; `ticket` (chosen by the webview) tags its `panel/job` and `panel/step` events and cancels it. */
    'panel/project': { params: { ticket: number; request: ProjectionRequest }; result: Projection };
    /** U vs V of the checkpoint (progress as `panel/job` under `ticket`). */
    'panel/compare-uv': { params: { ticket: number; k: number }; result: UvView };
    /** Asks the user for a second checkpoint (workspace files or a file dialog); null when they cancel. */
    'panel/pick-checkpoint': { params: Record<string, never>; result: { path: string; name: string } | null };
    /** This checkpoint against another on the shared vocabulary (progress as `panel/job` under `ticket`). */
    'panel/compare-checkpoints': { params: { ticket: number; against: string; k: number }; result: CheckpointView };
    /** A row's neighbours in this checkpoint and in the other one of a comparison already made. */
    'panel/compare-neighbors': { params: { against: string; k: number; row: number }; result: NeighborPair };
    /**
     * Saves bytes the webview made (a plot, a CSV or JSON export) where the user chooses; null when they cancel.
     * Refused (code 'untrusted') in an untrusted workspace.
     */
    'panel/save': { params: { format: ExportFormat; name: string; data: ArrayBuffer }; result: { path: string } | null };
    /** Writes the TensorBoard Projector's tensors + metadata files of U or V (the `limit` most frequent rows). */
    'panel/export-projector': {
      params: { ticket: number; space: 'input' | 'output'; limit: number | null };
      result: ({ path: string; metadataPath: string } & ProjectorExportResult) | null;
    };
    /** Stops the job started under `ticket` (its request then fails with code 'cancelled'). */
    'panel/cancel': { params: { ticket: number }; result: void };
    /** Reads the checkpoint again (after an error, or when the file changed). */
    'panel/reload': { params: Record<string, never>; result: void };
    /** Stops the training the panel shows (the run is not written). */
    'panel/cancel-training': { params: Record<string, never>; result: void };
    /** Trains this run again from its manifest's config, asking what to change (epochs, dim, tied). */
    'panel/retrain': { params: Record<string, never>; result: void };
    /** Shows the "Embedding Lens" output channel. */
    'panel/showLog': { params: Record<string, never>; result: void };
  };
  events: {
    /** The current snapshot. */
    'panel/snapshot': PanelSnapshot;
    /** Progress while loading, shown in place. */
    'panel/progress': { message: string };
    /** Progress of a job the webview started. */
    'panel/job': { ticket: number; message: string; fraction?: number };
    /** A partial layout of a running projection. */
    'panel/step': { ticket: number } & ProjectionStep;
    /** The training shown moved on: a new phase, progress, and the curve's new point when there is one. */
    'panel/training': { phase: string; progress: TrainProgress | null; point: LossPoint | null };
    /** Open the Compare tab against this checkpoint (after a retrain: "Compare with previous"). */
    'panel/compare-with': { path: string; name: string };
  };
}

/** What the webview serves to the host. */
export interface WebviewPanelSide {
  requests: Record<never, never>;
  events: {
    /** The webview is listening; the host answers with the last snapshot. */
    'webview/ready': { protocol: number };
    /** The selection changed (for the status bar and tests). */
    'webview/selected': { row: number; token: string } | { row: -1 };
  };
}
