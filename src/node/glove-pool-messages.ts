import type { GloveEngine, GloveRates } from '../core/train/glove-kernel';
import type { GloveLayout } from '../core/train/glove-params';
import type { WasmMemory } from '../core/wasm/wasm-module';
import type { WorkerFailure } from './worker-failure';

/** Sets up a GloVe worker: the shared parameters and entries, and the worker's share of the entries. */
export interface GloveStartMessage {
  readonly type: 'start';
  readonly engine: GloveEngine;
  /** The parameters: a shared WebAssembly.Memory (wasm engine) or a SharedArrayBuffer (js engine). */
  readonly memory: WasmMemory | SharedArrayBuffer;
  readonly layout: GloveLayout;
  /** The training records (16 bytes each, see GloveEntries) and how many there are. */
  readonly records: SharedArrayBuffer;
  readonly count: number;
  /** This worker trains records from..to-1 and writes its batches at its own slot `thread`. */
  readonly thread: number;
  readonly from: number;
  readonly to: number;
  readonly seed: number;
  readonly rates: GloveRates;
  /**
   * Int32 [0]: set to 1 to stop (checked between batches). The worker also writes, after every batch, its
   * progress into `progress` (float64 pairs per thread: records done this epoch, cost summed this epoch).
   */
  readonly control: SharedArrayBuffer;
  readonly progress: SharedArrayBuffer;
}

/** Runs one epoch of the worker's share. */
export interface GloveEpochMessage {
  readonly type: 'epoch';
  /** 1-based. */
  readonly epoch: number;
}

/** What a GloVe worker sends back. */
export type GloveWorkerReply = { readonly type: 'epoch-done'; readonly epoch: number; readonly cost: number } | WorkerFailure;
