import type { Metric } from '../core/neighbors';
import type { WorkerFailure } from './worker-failure';

/** What the pool sends a kNN worker: its share of one exact top-k over shared memory. */
export interface KnnTaskMessage {
  readonly type: 'task';
  /** The searched matrix, rows × cols float32. */
  readonly data: SharedArrayBuffer;
  readonly cols: number;
  /** All queries, row-major float32; this worker answers queries `from..to`. */
  readonly queries: SharedArrayBuffer;
  readonly from: number;
  readonly to: number;
  /** Int32 per query: a data row to leave out, or -1; null: nothing left out. */
  readonly exclude: SharedArrayBuffer | null;
  readonly k: number;
  readonly metric: Metric;
  /** Int32 queries × k and float32 queries × k: where the worker writes its rows of the graph. */
  readonly indices: SharedArrayBuffer;
  readonly scores: SharedArrayBuffer;
}

/** Stops the running task (it ends with a `failed` reply whose code is 'cancelled'). */
export interface KnnCancelMessage {
  readonly type: 'cancel';
}

/** What a kNN worker sends back. */
export type KnnWorkerReply =
  { readonly type: 'progress'; readonly fraction: number } | { readonly type: 'done'; readonly engine: string } | WorkerFailure;
