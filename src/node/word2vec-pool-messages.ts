import type { Word2vecMemory } from '../core/train/word2vec-kernel';
import type { Word2vecPlan } from '../core/train/word2vec-layout';
import type { WorkerFailure } from './worker-failure';

/** What the pool sends a word2vec worker: run thread `thread`'s share of every epoch on the shared memory. */
export interface Word2vecTaskMessage {
  readonly type: 'task';
  /** The shared training memory (a shared WebAssembly.Memory or a SharedArrayBuffer): U, V, corpus, tables. */
  readonly memory: Word2vecMemory;
  readonly plan: Word2vecPlan;
  readonly thread: number;
}

/** What a word2vec worker sends back once, at the end (progress is read from the shared memory). */
export type Word2vecWorkerReply = { readonly type: 'done' } | WorkerFailure;
