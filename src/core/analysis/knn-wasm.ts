import { KNN_KERNELS_BASE64 } from './wasm/knn-kernels-wasm';

/** A WebAssembly memory (the part of the JS API the kernels use). */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
}

/** The exports of knn-kernels.wat; every pointer is a byte offset into the instance's memory. */
export interface KnnKernels {
  tile4x8(queries: number, groups: number, panels: number, count: number, dims: number, scale: number, out: number, stride: number): void;
  above(scores: number, count: number, threshold: number, hits: number): number;
  pairDots(data: number, rowBytes: number, pairs: number, count: number, out: number): void;
}

/** The part of the WebAssembly JS API used here (the project's TypeScript libs do not declare its values). */
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: { env: { memory: WasmMemory } }) => { readonly exports: object };
  Memory: new (descriptor: { initial: number }) => WasmMemory;
}

const PAGE_BYTES = 65536;
/** wasm32 memory tops out at 4 GiB (65536 pages). */
const MAX_PAGES = 65536;

const wasmApi = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

/** The compiled kernels, built once per process; null where WebAssembly SIMD is unavailable. */
let compiled: object | null | undefined;

function kernelModule(): object | null {
  if (compiled === undefined) {
    try {
      const bytes = decodeBase64(KNN_KERNELS_BASE64);
      compiled = wasmApi && wasmApi.validate(bytes) ? new wasmApi.Module(bytes) : null;
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

/** True when the WebAssembly SIMD kernels can run here. */
export function wasmKernelsAvailable(): boolean {
  return kernelModule() !== null;
}

/**
 * A fresh instance of the kernels over a memory of at least `bytes`; null when WebAssembly SIMD is unavailable or
 * the memory would pass wasm32's 4 GiB (or cannot be had).
 */
export function instantiateKernels(bytes: number): { kernels: KnnKernels; memory: WasmMemory } | null {
  const module = kernelModule();
  const pages = Math.ceil(bytes / PAGE_BYTES);
  if (!module || !wasmApi || pages > MAX_PAGES) return null;
  try {
    const memory = new wasmApi.Memory({ initial: Math.max(pages, 1) });
    const instance = new wasmApi.Instance(module, { env: { memory } });
    return { kernels: instance.exports as KnnKernels, memory };
  } catch (error) {
    if (error instanceof RangeError) return null;
    throw error;
  }
}

/** Byte offsets of named regions laid out one after another, each 64-byte aligned, and the total. */
export function layoutRegions<Name extends string>(
  regions: readonly (readonly [Name, number])[],
): { at: Record<Name, number>; bytes: number } {
  const at = {} as Record<Name, number>;
  let end = 0;
  for (const [name, bytes] of regions) {
    at[name] = end;
    // 64 bytes: a cache line, so no two regions share one.
    end += Math.ceil(bytes / 64) * 64;
  }
  return { at, bytes: end };
}

/** Standard base64 to bytes (no atob: the core runs where it may be missing). */
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
