import type { Vocabulary } from './corpus';

/** Where a running training is: reported at least once a second. */
export interface TrainProgress {
  /** 0–1 of all the work planned. */
  readonly fraction: number;
  /** 1-based epoch being run. */
  readonly epoch: number;
  readonly epochs: number;
  /** Mean training loss over the steps since the last report (null when the trainer has none to report yet). */
  readonly loss: number | null;
  /** Raw corpus tokens per second of wall time so far. */
  readonly tokensPerSecond: number;
  /** Current learning rate, for trainers that decay it. */
  readonly learningRate?: number;
}

/** Hooks every trainer takes. */
export interface TrainHooks {
  readonly signal?: AbortSignal;
  onProgress?(progress: TrainProgress): void;
}

/** A trained row-major matrix with its role in the output. */
export interface TrainedMatrix {
  /** File stem in the output folder, e.g. 'U', 'V', 'glove_bias'. */
  readonly name: string;
  readonly data: Float32Array;
  readonly rows: number;
  readonly cols: number;
}

/** What every embedding trainer returns. */
export interface TrainedEmbeddings {
  readonly vocab: Vocabulary;
  /** The input matrix U (the lookup table). */
  readonly input: TrainedMatrix;
  /** The output matrix V; null when tied (U plays both roles) or when the model has none. */
  readonly output: TrainedMatrix | null;
  readonly tied: boolean;
  /** Further matrices worth saving (GloVe's biases and W + W̃, a classifier's dense layer, …). */
  readonly extras: readonly TrainedMatrix[];
  /** Final mean loss (last epoch), when the trainer has one. */
  readonly loss: number | null;
  /** Mean loss per epoch, for the loss curve and the manifest. */
  readonly lossPerEpoch: readonly number[];
  /** Raw corpus tokens processed over all epochs (tokens/s = this / seconds). */
  readonly tokensProcessed: number;
  /** Trainer-specific figures for the manifest (e.g. held-out perplexity, accuracy). */
  readonly metrics: Readonly<Record<string, number>>;
}
