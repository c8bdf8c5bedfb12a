/** The text src/core/train/wasm/glove-kernels-wasm.ts should have for the current .wat, and that file's path. */
export declare function expectedGloveKernelsModule(): Promise<{ path: string; text: string }>;
/** glove-kernels.wat compiled to bytes, as base64. */
export declare function compileGloveKernels(): Promise<string>;
