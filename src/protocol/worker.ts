import type { Role } from '../core/checkpoint';
import type { Metric } from '../core/neighbors';
import type { CheckpointDescription } from '../core/summary';

/** What the compute worker serves. */
export interface WorkerSide {
  requests: {
    /** Opens a checkpoint and describes it without loading any matrix. */
    'checkpoint/inspect': { params: { path: string; format?: string }; result: CheckpointDescription };
    /** Exact top-k neighbours of a token in U or V, excluding the token. */
    'checkpoint/neighbors': {
      params: { path: string; token: string; k: number; matrix: Extract<Role, 'input' | 'output'>; metric: Metric };
      result: { token: string; neighbors: { token: string; score: number }[] };
    };
  };
  events: Record<never, never>;
}

/** What the host serves to the worker (nothing yet: the worker only answers). */
export interface HostSide {
  requests: Record<never, never>;
  events: Record<never, never>;
}
