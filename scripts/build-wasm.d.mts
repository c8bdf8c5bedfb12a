/** The WebAssembly kernels scripts/build-wasm.mjs compiles. */
export type KernelName = 'knn' | 'word2vec' | 'glove';
/** The text the named kernel's generated .ts should have for the current .wat, and that file's path. */
export declare function expectedKernelsModule(name: KernelName): Promise<{ path: string; text: string }>;
/** The named kernel's .wat compiled to bytes, as base64. */
export declare function compileKernels(name: KernelName): Promise<string>;
