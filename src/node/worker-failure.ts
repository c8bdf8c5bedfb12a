// How the pools' worker threads (kNN, word2vec, GloVe) report an error and how the pools turn it back into one.
import { CheckpointError, type CheckpointErrorCode } from '../core/errors';

/** A pool worker's reply when its task threw: the CheckpointError code ('internal' for any other error) and message. */
export interface WorkerFailure {
  readonly type: 'failed';
  readonly code: string;
  readonly message: string;
}

/** The reply a worker sends for an error its task threw. */
export function failureReply(error: unknown): WorkerFailure {
  return {
    type: 'failed',
    code: error instanceof CheckpointError ? error.code : 'internal',
    message: error instanceof Error ? error.message : String(error),
  };
}

/** The error a pool rejects with for a worker's failure reply. */
export function failureError(reply: WorkerFailure): CheckpointError {
  return new CheckpointError(reply.code as CheckpointErrorCode, reply.message);
}
