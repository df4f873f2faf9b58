// @ts-nocheck — AssemblyScript (compiled to WebAssembly by build/scripts/build-wasm.mjs), not TypeScript.
/** The kernels module's exports: everything the JS side (shared/nn/wasm/backend.ts) calls. */
export { controlBytes, setControl, workerLoop, postExit, helperUnits } from './job';
export { matmul, matmulTransA, matmulTransB, gemmScratchBytes } from './gemm';
export { sumRows } from './reduce';
export { sumChannels } from './conv';
export { poolRecordBytes, maxPoolForward, maxPoolBackward } from './pool';
export { convScratchBytes, convSetup, convForward, convFilterGradient, convInputGradient } from './conv2d';
export { gatherRows, startGatherRows, finishGatherRows } from './gather';
export { networkForward, networkBackward, networkLayerBytes } from './network';
export { activationForward, activationBackward, softmaxRows, axpy, adamUpdate, flushTiny } from './elementwise';

/** First byte after the module's static data: the JS allocator starts above it. */
export function heapBase(): usize {
  return __heap_base;
}
