/** Types for build-wasm.mjs (imported by the main build and by tests that need the kernels). */
export declare const wasmVariants: Record<string, { features: string[]; shared: boolean }>;
/** Compiles every kernel variant into `outDir` (default out/wasm); resolves to the files written. */
export declare function buildWasm(options?: { outDir?: string }): Promise<string[]>;
