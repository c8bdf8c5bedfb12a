import type { Pacer } from '../pacer';

/**
 * Tracks where a multi-stage computation stands on one Pacer (in the caller's work units), so a stage that reports
 * its own fractions (the top-k engine) can be mapped into its slice of the total.
 */
export class WorkMeter {
  private at = 0;

  constructor(readonly pacer: Pacer) {}

  /** Records `work` units done; may yield and throws `cancelled` once the signal fires. */
  async step(work: number): Promise<void> {
    this.at += work;
    await this.pacer.step(work);
  }

  /** A fraction callback for a stage of `size` units starting here; call `end(size)` when the stage returns. */
  slice(size: number): (fraction: number) => void {
    const start = this.at;
    return (fraction) => this.pacer.jumpTo(start + Math.min(1, Math.max(0, fraction)) * size);
  }

  /** Closes a stage reported through `slice`. */
  end(size: number): void {
    this.at += size;
    this.pacer.jumpTo(this.at);
  }
}
