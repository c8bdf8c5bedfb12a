import { createWasmMemory, type WasmMemory } from '../wasm/wasm-module';
import { JsWord2vecKernel } from './word2vec-js';
import { instantiateWord2vecKernel, wasmWord2vecAvailable } from './word2vec-wasm';

/** The two entry points of word2vec-kernels.wat (and of its plain-JavaScript twin); pointers are byte offsets. */
export interface Word2vecKernel {
  /** Trains on sentences from..to-1 of the memory's corpus with learning rate alpha; returns the words kept by subsampling. */
  train(ctx: number, from: number, to: number, alpha: number): number;
  /** One SGD step with given samples: int32 input rows and target rows (the first the positive) at these offsets. */
  step(ctx: number, inputs: number, inputCount: number, targets: number, targetCount: number, alpha: number): void;
}

/** Which implementation runs: WebAssembly SIMD or the plain-JavaScript fallback (bit-identical results). */
export type Word2vecEngine = 'wasm' | 'js';

/**
 * The training memory: a shared WebAssembly.Memory for the wasm kernel, a SharedArrayBuffer (or, where there is none,
 * an ArrayBuffer) for the JS one. Both can be posted to worker threads, which then share U and V (Hogwild).
 */
export type Word2vecMemory =
  { readonly engine: 'wasm'; readonly memory: WasmMemory } | { readonly engine: 'js'; readonly buffer: ArrayBufferLike };

/** The engine 'auto' resolves to here: wasm when WebAssembly SIMD with shared memory works. */
export function bestWord2vecEngine(): Word2vecEngine {
  return wasmWord2vecAvailable() ? 'wasm' : 'js';
}

/** A zeroed training memory of at least `bytes` for the engine; null when it cannot be had (over 4 GiB for wasm). */
export function createWord2vecMemory(bytes: number, engine: Word2vecEngine): Word2vecMemory | null {
  if (engine === 'wasm') {
    const memory = createWasmMemory(bytes, true);
    return memory ? { engine, memory } : null;
  }
  const Shared = (globalThis as { SharedArrayBuffer?: typeof SharedArrayBuffer }).SharedArrayBuffer;
  try {
    return { engine, buffer: Shared ? new Shared(bytes) : new ArrayBuffer(bytes) };
  } catch (error) {
    if (error instanceof RangeError) return null;
    throw error;
  }
}

/** The bytes behind a training memory. */
export function memoryBuffer(memory: Word2vecMemory): ArrayBufferLike {
  return memory.engine === 'wasm' ? memory.memory.buffer : memory.buffer;
}

/** A kernel running on the memory (a fresh wasm instance per call: one per thread). */
export function kernelFor(memory: Word2vecMemory): Word2vecKernel {
  return memory.engine === 'wasm' ? instantiateWord2vecKernel(memory.memory) : new JsWord2vecKernel(memory.buffer);
}
