import type { CheckpointDescription } from '../core/summary';
import type { CheckpointView, NeighborPair, Projection, ProjectionRequest, ProjectionStep, UvView } from './analysis';
import type { ProjectionInfo, TokenTable } from './view-data';
import type { ProjectorExportResult, RowNeighbors } from './worker';

/** Bumped on any incompatible change to the messages below; the webview sends its own in `webview/ready`. */
export const PANEL_PROTOCOL_VERSION = 3;

/** The header facts of an opened checkpoint, ready to print. */
export interface PanelHeader {
  readonly path: string;
  readonly fileName: string;
  readonly description: CheckpointDescription;
  /** The compute worker's backend, e.g. "JavaScript float32 (worker_threads)". */
  readonly backend: string;
}

/** Everything the panel shows, sent whole (snapshots, not deltas) and re-sent when the webview is re-created. */
export type PanelSnapshot =
  | { readonly state: 'loading'; readonly fileName: string; readonly path: string; readonly message: string }
  | { readonly state: 'error'; readonly fileName: string; readonly path: string; readonly code: string; readonly message: string }
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
