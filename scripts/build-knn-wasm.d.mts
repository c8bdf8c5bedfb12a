/** The text src/core/analysis/wasm/knn-kernels-wasm.ts should have for the current .wat, and that file's path. */
export declare function expectedKnnKernelsModule(): Promise<{ path: string; text: string }>;
/** knn-kernels.wat compiled to bytes, as base64. */
export declare function compileKnnKernels(): Promise<string>;
