import { matrixWithRole, type Checkpoint, type Matrix } from '../core/checkpoint';
import { CheckpointError } from '../core/errors';
import { openCheckpoint } from '../core/open';
import { nodeFiles } from '../node/node-files';
import { Memo } from './memo';

/** One opened checkpoint with its loaded matrices (loaded once, on first use). */
export interface OpenedCheckpoint {
  readonly checkpoint: Checkpoint;
  /** The matrix shown as U: the input matrix, or the first matrix when none has the input role. */
  readonly inputMatrix: Matrix | undefined;
  /** U (`inputMatrix`) and its float32 rows. */
  input(signal?: AbortSignal): Promise<{ matrix: Matrix; data: Float32Array }>;
  /** V when the checkpoint has one (tied checkpoints alias U). */
  output(signal?: AbortSignal): Promise<{ matrix: Matrix; data: Float32Array } | null>;
  /** Analysis results of this checkpoint (neighbour graphs, layouts, reports), kept while it stays open. */
  readonly results: Memo;
}

/**
 * The checkpoints the worker holds open. Only the most recent few stay (matrices can be large); a failed open
 * does not stick, so a fixed file can be retried.
 */
export class OpenCheckpoints {
  private readonly entries = new Map<string, { format: string | undefined; opened: Promise<OpenedCheckpoint> }>();

  /** Keeps this many checkpoints; one per panel is typical, and each holds its matrices in memory. */
  constructor(private readonly capacity = 3) {}

  /** The opened checkpoint at `path`, opening it if needed (or if a different `format` is asked for). */
  get(path: string, format?: string): Promise<OpenedCheckpoint> {
    let entry = this.entries.get(path);
    if (entry && format !== undefined && entry.format !== format) {
      this.forget(path);
      entry = undefined;
    }
    if (entry) {
      this.entries.delete(path); // re-inserted below: Map order is our recency order
    } else {
      const opened = openCheckpoint(path, nodeFiles, format === undefined ? {} : { format }).then(withMatrices);
      const created = { format, opened };
      opened.catch(() => this.entries.get(path) === created && this.entries.delete(path));
      entry = created;
    }
    this.entries.set(path, entry);
    this.evict();
    return entry.opened;
  }

  /** Forgets a path (the file changed on disk) and closes it. */
  forget(path: string): void {
    const entry = this.entries.get(path);
    if (!entry) return;
    this.entries.delete(path);
    void entry.opened.then((opened) => opened.checkpoint.close()).catch(() => undefined);
  }

  private evict(): void {
    for (const path of this.entries.keys()) {
      if (this.entries.size <= this.capacity) break;
      this.forget(path);
    }
  }
}

function withMatrices(checkpoint: Checkpoint): OpenedCheckpoint {
  const loaded = new Memo(); // a cancelled load is retried next time
  const load = (matrix: Matrix, signal?: AbortSignal): Promise<Float32Array> =>
    loaded.get(`matrix ${checkpoint.matrices.indexOf(matrix)}`, () => matrix.load(signal));
  const input = matrixWithRole(checkpoint, 'input') ?? checkpoint.matrices[0];
  const output = matrixWithRole(checkpoint, 'output');
  return {
    checkpoint,
    inputMatrix: input,
    results: new Memo(),
    async input(signal) {
      if (!input) throw new CheckpointError('no-embedding', `${checkpoint.path}: expected an embedding matrix, found none`);
      return { matrix: input, data: await load(input, signal) };
    },
    async output(signal) {
      if (!output) return null;
      return { matrix: output, data: await load(output, signal) };
    },
  };
}
