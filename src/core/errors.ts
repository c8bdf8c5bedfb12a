/** Stable machine-readable reasons a checkpoint could not be read. */
export type CheckpointErrorCode =
  | 'not-found' // the file or a required side file does not exist
  | 'empty' // the file has no bytes
  | 'unknown-format' // no reader recognises the bytes
  | 'truncated' // the file ends before what its header promises
  | 'bad-header' // a header or index that cannot be parsed or is inconsistent
  | 'unsupported' // a valid file using a feature we do not read (e.g. an exotic dtype)
  | 'unsafe' // a pickle that asks to run code, or a path escaping its folder
  | 'too-large' // a declared size beyond what the file or the platform can hold
  | 'no-embedding' // a readable file without any matrix we can show
  | 'cancelled' // the caller aborted
  | 'internal'; // a reader failed in a way it did not foresee: our bug, still reported as one line

/**
 * The one error type readers throw. `message` is a single line naming the file, what was expected
 * and what was found; the CLI prints it as is and the panel shows it in place.
 */
export class CheckpointError extends Error {
  override readonly name = 'CheckpointError';
  constructor(
    readonly code: CheckpointErrorCode,
    message: string,
  ) {
    super(message.replace(/\s*\n\s*/g, ' '));
  }
}

/** Throws a `cancelled` error when the signal has fired; call it between chunks of long work. */
export function throwIfAborted(signal: AbortSignal | undefined, what: string): void {
  if (signal?.aborted) throw new CheckpointError('cancelled', `${what}: cancelled`);
}

/** Shorthand for the assertion readers make on every size they are handed by a file. */
export function ensure(condition: unknown, code: CheckpointErrorCode, message: () => string): asserts condition {
  if (!condition) throw new CheckpointError(code, message());
}
