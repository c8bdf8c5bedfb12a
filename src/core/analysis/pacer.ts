import { throwIfAborted } from '../errors';

/**
 * Longest stretch of synchronous work between yields when a signal is given (ms): short enough that a cancel
 * arrives promptly, long enough that the ~1 ms a timer yield costs stays a few percent.
 */
const YIELD_EVERY_MS = 40;

/**
 * Paces a long computation: counts work done against an estimated total for `onProgress`, and when there is a
 * signal, yields to the event loop every YIELD_EVERY_MS (so an abort message can be delivered) and then checks it.
 */
export class Pacer {
  private done = 0;
  private lastYield = performance.now();
  private lastReported = -1;

  constructor(
    /** Estimated work units in all. */
    readonly total: number,
    private readonly signal: AbortSignal | undefined,
    private readonly onProgress: ((fraction: number) => void) | undefined,
    /** Names the work in the `cancelled` error's message. */
    private readonly what = 'pca',
  ) {
    throwIfAborted(signal, what);
  }

  /** Records `work` more units done; may yield, and throws a `cancelled` CheckpointError once the signal fires. */
  async step(work: number): Promise<void> {
    this.advance(this.done + work);
    if (this.signal === undefined) return;
    if (performance.now() - this.lastYield >= YIELD_EVERY_MS) {
      await new Promise<void>((resolve) => setTimeout(resolve, 0));
      this.lastYield = performance.now();
    }
    throwIfAborted(this.signal, this.what);
  }

  /** Moves progress forward to `work` units (when a phase ends earlier than estimated); never backwards. */
  jumpTo(work: number): void {
    this.advance(work);
  }

  /** Reports completion. */
  finish(): void {
    this.done = this.total;
    this.report(1);
  }

  private advance(work: number): void {
    this.done = Math.max(this.done, Math.min(work, this.total));
    this.report(this.total > 0 ? this.done / this.total : 0);
  }

  private report(fraction: number): void {
    // Whole percents only: a progress message per chunk would flood the channel on small matrices.
    const percent = Math.floor(fraction * 100);
    if (percent === this.lastReported || this.onProgress === undefined) return;
    this.lastReported = percent;
    this.onProgress(fraction);
  }
}
