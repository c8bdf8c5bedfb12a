import { GLOVE_KERNELS_BASE64 } from './wasm/glove-kernels-wasm';

/** A WebAssembly memory (the part of the JS API used here). */
export interface WasmMemory {
  readonly buffer: ArrayBufferLike;
}

/** The exports of glove-kernels.wat (pointers are byte offsets into the memory). */
export interface GloveWasmExports {
  train(
    words: number,
    contexts: number,
    stride: number,
    pdim: number,
    batch: number,
    count: number,
    eta: number,
    biasEta: number,
    clip: number,
  ): number;
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

/** The compiled kernel, built once per thread; null where WebAssembly SIMD or shared memory is unavailable. */
let compiled: object | null | undefined;

function kernelModule(): object | null {
  if (compiled === undefined) {
    try {
      const bytes = decodeBase64(GLOVE_KERNELS_BASE64);
      compiled = wasmApi && wasmApi.validate(bytes) && createSharedMemory(1) !== null ? new wasmApi.Module(bytes) : null;
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

/** True when the WebAssembly SIMD kernel (over a shared memory) can run here. */
export function gloveWasmAvailable(): boolean {
  return kernelModule() !== null;
}

/** A zeroed, fixed-size shared memory of at least `bytes`; null past 4 GiB or where shared memory is missing. */
export function createSharedMemory(bytes: number): WasmMemory | null {
  const pages = Math.max(1, Math.ceil(bytes / PAGE_BYTES));
  if (!wasmApi || pages > MAX_PAGES) return null;
  try {
    return new wasmApi.Memory({ initial: pages, maximum: pages, shared: true });
  } catch (error) {
    if (error instanceof RangeError || error instanceof TypeError) return null;
    throw error;
  }
}

/** The kernel instantiated over `memory`; throws where gloveWasmAvailable() is false. */
export function instantiateGloveWasm(memory: WasmMemory): GloveWasmExports {
  const module = kernelModule();
  if (!module || !wasmApi) throw new Error('GloVe: WebAssembly SIMD with shared memory is not available here');
  return new wasmApi.Instance(module, { env: { memory } }).exports as GloveWasmExports;
}

/** Standard base64 to bytes (no atob: the core runs where it may be missing); knn-wasm.ts does not export its own. */
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
