// Loads the project's WebAssembly kernels from their generated base64 (scripts/build-wasm.mjs): compiled once per
// thread on first use, instantiated over a memory the caller makes (the kernels' one import, env.memory).
import { decodeBase64 } from './base64';

/** A WebAssembly memory (the part of the JS API the kernels use). */
export interface WasmMemory {
  readonly buffer: ArrayBufferLike;
}

/** A kernel module, compiled on first use. */
export interface WasmKernelModule<Exports> {
  /** True when the module compiled here (WebAssembly SIMD, and shared memory when the kernel needs it). */
  available(): boolean;
  /** A fresh instance over `memory` (one per thread); throws where available() is false. */
  instantiate(memory: WasmMemory): Exports;
}

/** The part of the WebAssembly JS API used here (the project's TypeScript libs do not declare its values). */
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: { env: { memory: WasmMemory } }) => { readonly exports: object };
  Memory: new (descriptor: { initial: number; maximum?: number; shared?: boolean }) => WasmMemory;
}

const PAGE_BYTES = 65536;
/** wasm32 memory tops out at 4 GiB (65536 pages). */
const MAX_PAGES = 65536;

const wasmApi = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

/**
 * The kernel module whose bytes are `base64`. It counts as unavailable where WebAssembly SIMD is missing (the bytes do
 * not validate) or, with `sharedMemory`, where a shared memory cannot be made. `what` names it in errors.
 */
export function wasmKernelModule<Exports>(base64: string, what: string, sharedMemory: boolean): WasmKernelModule<Exports> {
  let compiled: object | null | undefined;
  const module = (): object | null => {
    if (compiled === undefined) {
      try {
        const bytes = decodeBase64(base64);
        const usable = wasmApi && wasmApi.validate(bytes) && (!sharedMemory || createWasmMemory(1, true) !== null);
        compiled = usable ? new wasmApi.Module(bytes) : null;
      } catch {
        compiled = null;
      }
    }
    return compiled;
  };
  return {
    available: () => module() !== null,
    instantiate(memory) {
      const made = module();
      if (!made || !wasmApi) {
        throw new Error(`${what}: WebAssembly SIMD${sharedMemory ? ' with shared memory' : ''} is not available here`);
      }
      return new wasmApi.Instance(made, { env: { memory } }).exports as Exports;
    },
  };
}

/**
 * A zeroed memory of at least `bytes` (one page at least). `shared`: a fixed-size memory threads can share; else one
 * that may grow. Null past wasm32's 4 GiB, where WebAssembly (or shared memory) is missing, or when it cannot be had.
 */
export function createWasmMemory(bytes: number, shared: boolean): WasmMemory | null {
  const pages = Math.max(1, Math.ceil(bytes / PAGE_BYTES));
  if (!wasmApi || pages > MAX_PAGES) return null;
  try {
    return new wasmApi.Memory(shared ? { initial: pages, maximum: pages, shared: true } : { initial: pages });
  } catch (error) {
    if (error instanceof RangeError || error instanceof TypeError) return null;
    throw error;
  }
}
