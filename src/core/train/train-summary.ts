import type { EvalMatrix, EvalReport } from '../eval/evaluate';
import type { TrainerName } from './config';

/** `train --json` (schema 1), and what the extension's training job returns: where the run went and how it went. */
export interface TrainSummary {
  readonly schema: 1;
  /** The run's folder (a checkpoint: open it, compare it, evaluate it). */
  readonly out: string;
  readonly trainer: TrainerName;
  /** What computed: e.g. "word2vec kernel (WebAssembly SIMD), 2 threads" or "tfjs wasm". */
  readonly backend: string;
  /** Wall time of the whole run: reading the corpus, training, writing, evaluating. */
  readonly seconds: number;
  /** Raw corpus tokens per second of training time (all epochs). */
  readonly tokensPerSecond: number;
  readonly loss: number | null;
  /** Scores per matrix evaluated (input, output, sum), or null without evaluation sets. */
  readonly eval: Partial<Record<EvalMatrix, EvalReport>> | null;
}
