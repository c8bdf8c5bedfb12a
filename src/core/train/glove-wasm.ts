import { wasmKernelModule, type WasmMemory } from '../wasm/wasm-module';
import { GLOVE_KERNELS_BASE64 } from './wasm/glove-kernels-wasm';

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

/** The compiled kernel, built once per thread; unavailable where WebAssembly SIMD or shared memory is missing. */
const kernelModule = wasmKernelModule<GloveWasmExports>(GLOVE_KERNELS_BASE64, 'GloVe', true);

/** True when the WebAssembly SIMD kernel (over a shared memory) can run here. */
export function gloveWasmAvailable(): boolean {
  return kernelModule.available();
}

/** The kernel instantiated over `memory` (a shared one: createWasmMemory(bytes, true)); throws where gloveWasmAvailable() is false. */
export function instantiateGloveWasm(memory: WasmMemory): GloveWasmExports {
  return kernelModule.instantiate(memory);
}
