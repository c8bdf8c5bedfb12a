import type { LayersModel } from '@tensorflow/tfjs';
import type { TrainedMatrix, TrainHooks } from './train-types';

/**
 * Shared by the tfjs trainers (language model and classifier): progress pacing, yielding, and reading weights out.
 */

/** Time between progress reports (ms): twice a second keeps the loss curve live and stays under the 1 s promise. */
const REPORT_EVERY_MS = 500;

/** Yields to the event loop so a cancel message can arrive between two training steps. */
export function nextTick(): Promise<void> {
  return new Promise<void>((resolve) => setTimeout(resolve, 0));
}

/** Cost of a held-out token next to a training token: a forward pass is about a third of forward + backward. */
const EVALUATION_COST = 1 / 3;

/**
 * Accumulates loss and tokens between reports and sends TrainProgress at most every REPORT_EVERY_MS, during the
 * training steps and the held-out evaluation alike. The fraction counts an epoch as its training tokens plus its
 * held-out tokens at EVALUATION_COST each, so it rises steadily and an epoch ends at exactly epoch / epochs.
 */
export class ProgressClock {
  private readonly started = performance.now();
  private lastReport = this.started;
  private lossSum = 0;
  private lossWeight = 0;
  private tokens = 0;

  constructor(
    private readonly hooks: TrainHooks,
    private readonly epochs: number,
    /** Training tokens per epoch. */
    private readonly trainTokens: number,
    /** Held-out tokens evaluated per epoch. */
    private readonly heldOutTokens: number,
  ) {}

  /** Records a training step of `tokens` tokens with mean loss `loss`; `trainedInEpoch` tokens are done so far. */
  step(epoch: number, trainedInEpoch: number, loss: number, tokens: number, learningRate: number): void {
    this.lossSum += loss * tokens;
    this.lossWeight += tokens;
    this.tokens += tokens;
    if (performance.now() - this.lastReport >= REPORT_EVERY_MS) this.report(epoch, this.fraction(epoch, trainedInEpoch, 0), learningRate);
  }

  /** Records held-out evaluation progress: `evaluated` held-out tokens of this epoch are done. */
  evaluating(epoch: number, evaluated: number, learningRate: number): void {
    if (performance.now() - this.lastReport >= REPORT_EVERY_MS)
      this.report(epoch, this.fraction(epoch, this.trainTokens, evaluated), learningRate);
  }

  /** Reports the end of an epoch whatever the time since the last report. */
  epochEnd(epoch: number, learningRate: number): void {
    this.report(epoch, epoch / this.epochs, learningRate);
  }

  private fraction(epoch: number, trained: number, evaluated: number): number {
    const whole = this.trainTokens + EVALUATION_COST * this.heldOutTokens;
    return (epoch - 1 + (whole > 0 ? (trained + EVALUATION_COST * evaluated) / whole : 1)) / this.epochs;
  }

  /** Tokens per second of wall time since training started. */
  get tokensPerSecond(): number {
    const seconds = (performance.now() - this.started) / 1000;
    return seconds > 0 ? this.tokens / seconds : 0;
  }

  private report(epoch: number, fraction: number, learningRate: number): void {
    this.lastReport = performance.now();
    const loss = this.lossWeight > 0 ? this.lossSum / this.lossWeight : null;
    this.lossSum = 0;
    this.lossWeight = 0;
    this.hooks.onProgress?.({
      fraction: Math.min(1, fraction),
      epoch,
      epochs: this.epochs,
      loss,
      tokensPerSecond: this.tokensPerSecond,
      learningRate,
    });
  }
}

/**
 * A layer's weight copied out as a TrainedMatrix (rows × cols; a vector is rows × 1). `transpose` turns a Dense
 * kernel [d, V] into rows = V, the layout of U.
 */
export function weightOf(model: LayersModel, layerName: string, index: number, name: string, transpose = false): TrainedMatrix {
  const tensor = model.getLayer(layerName).getWeights()[index];
  if (!tensor) throw new Error(`${layerName}: expected weight ${index}, the layer has fewer`);
  // dataSync may hand out the backend's own array (cpu): copy before anything else can write to it.
  const values = new Float32Array(tensor.dataSync() as Float32Array);
  const [rows = values.length, cols = 1] = tensor.shape;
  if (!transpose || tensor.shape.length !== 2) return { name, data: values, rows, cols };
  const out = new Float32Array(values.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = values[r * cols + c] as number;
  return { name, data: out, rows: cols, cols: rows };
}
