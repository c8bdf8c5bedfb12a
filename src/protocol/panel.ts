import type { CheckpointDescription } from '../core/summary';
import type { ProjectionInfo, RowScore, TokenTable } from './view-data';

/** Bumped on any incompatible change to the messages below; the webview sends its own in `webview/ready`. */
export const PANEL_PROTOCOL_VERSION = 1;

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

/** What the extension host serves to the webview. */
export interface HostPanelSide {
  requests: {
    /** Neighbours of a row in U and, when present, in V. */
    'panel/neighbors': { params: { row: number; k: number }; result: { row: number; input: RowScore[]; output: RowScore[] | null } };
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
