import { wasmKernelModule, type WasmMemory } from '../wasm/wasm-module';
import type { Word2vecKernel } from './word2vec-kernel';
import { WORD2VEC_KERNELS_BASE64 } from './wasm/word2vec-kernels-wasm';

/** The compiled kernel, built once per thread; unavailable where WebAssembly SIMD or shared memory is missing. */
const kernelModule = wasmKernelModule<Word2vecKernel>(WORD2VEC_KERNELS_BASE64, 'word2vec', true);

/** True when the WebAssembly SIMD kernel (with a shared memory) can run here. */
export function wasmWord2vecAvailable(): boolean {
  return kernelModule.available();
}

/** The kernel instantiated over `memory` (a shared one: createWasmMemory(bytes, true)); throws where wasmWord2vecAvailable() is false. */
export function instantiateWord2vecKernel(memory: WasmMemory): Word2vecKernel {
  return kernelModule.instantiate(memory);
}
