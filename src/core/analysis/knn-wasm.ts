import { createWasmMemory, wasmKernelModule, type WasmMemory } from '../wasm/wasm-module';
import { KNN_KERNELS_BASE64 } from './wasm/knn-kernels-wasm';

/** The exports of knn-kernels.wat; every pointer is a byte offset into the instance's memory. */
export interface KnnKernels {
  tile4x8(queries: number, groups: number, panels: number, count: number, dims: number, scale: number, out: number, stride: number): void;
  above(scores: number, count: number, threshold: number, hits: number): number;
  pairDots(data: number, rowBytes: number, pairs: number, count: number, out: number): void;
}

/** The compiled kernels, built once per thread; unavailable where WebAssembly SIMD is missing. */
const kernelModule = wasmKernelModule<KnnKernels>(KNN_KERNELS_BASE64, 'kNN', false);

/** True when the WebAssembly SIMD kernels can run here. */
export function wasmKernelsAvailable(): boolean {
  return kernelModule.available();
}

/**
 * A fresh instance of the kernels over a memory of at least `bytes`; null when WebAssembly SIMD is unavailable or
 * the memory would pass wasm32's 4 GiB (or cannot be had).
 */
export function instantiateKernels(bytes: number): { kernels: KnnKernels; memory: WasmMemory } | null {
  if (!kernelModule.available()) return null;
  const memory = createWasmMemory(bytes, false);
  return memory ? { kernels: kernelModule.instantiate(memory), memory } : null;
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
