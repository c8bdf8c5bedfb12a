import type { Word2vecKernel } from './word2vec-kernel';
import { WORD2VEC_KERNELS_BASE64 } from './wasm/word2vec-kernels-wasm';

/** A WebAssembly memory (the part of the JS API used here). */
export interface WasmMemory {
  readonly buffer: ArrayBufferLike;
}

/** The part of the WebAssembly JS API used here (the project's TypeScript libs do not declare its values). */
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: { env: { memory: WasmMemory } }) => { readonly exports: object };
  Memory: new (descriptor: { initial: number; maximum: number; shared: boolean }) => WasmMemory;
}

const PAGE_BYTES = 65536;
/** wasm32 memory tops out at 4 GiB (65536 pages). */
const MAX_PAGES = 65536;

const wasmApi = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

/** The compiled kernels, built once per thread; null where WebAssembly SIMD or shared memory is unavailable. */
let compiled: object | null | undefined;

function kernelModule(): object | null {
  if (compiled === undefined) {
    try {
      const bytes = decodeBase64(WORD2VEC_KERNELS_BASE64);
      compiled = wasmApi && wasmApi.validate(bytes) && createWasmMemory(1) !== null ? new wasmApi.Module(bytes) : null;
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

/** True when the WebAssembly SIMD kernel (with a shared memory) can run here. */
export function wasmWord2vecAvailable(): boolean {
  return kernelModule() !== null;
}

/** A zeroed shared memory of at least `bytes` (fixed size); null past 4 GiB or where shared memory is missing. */
export function createWasmMemory(bytes: number): WasmMemory | null {
  const pages = Math.max(1, Math.ceil(bytes / PAGE_BYTES));
  if (!wasmApi || pages > MAX_PAGES) return null;
  try {
    return new wasmApi.Memory({ initial: pages, maximum: pages, shared: true });
  } catch (error) {
    if (error instanceof RangeError || error instanceof TypeError) return null;
    throw error;
  }
}

/** The kernel instantiated over `memory`; throws where wasmWord2vecAvailable() is false. */
export function instantiateWord2vecKernel(memory: WasmMemory): Word2vecKernel {
  const module = kernelModule();
  if (!module || !wasmApi) throw new Error('word2vec: WebAssembly SIMD with shared memory is not available here');
  return new wasmApi.Instance(module, { env: { memory } }).exports as Word2vecKernel;
}

/**
 * Standard base64 to bytes (no atob: the core runs where it may be missing). The same decoder as knn-wasm.ts's, which
 * does not export it.
 */
function decodeBase64(text: string): Uint8Array {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const clean = text.replace(/=+$/, '');
  const out = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let bits = 0;
  let value = 0;
  let at = 0;
  for (const char of clean) {
    value = (value << 6) | alphabet.indexOf(char);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[at++] = (value >> bits) & 255;
    }
  }
  return out;
}
