/**
 * The compiled kernels' exports (shared/nn/wasm/assembly/index.ts), as JavaScript sees them:
 * pointers are byte offsets into the backend's memory, booleans arrive as 0/1.
 */
export interface KernelExports {
  heapBase(): number;
  controlBytes(threads: number): number;
  setControl(control: number): void;
  postExit(): void;
  /** Units of work helper threads have done so far. */
  helperUnits(): number;
  /** A helper thread's loop; returns after postExit. */
  workerLoop(control: number, tid: number, spin: number): void;
  gemmScratchBytes(red: number, cols: number): number;
  matmul(out: number, a: number, b: number, M: number, K: number, N: number, bias: number, act: number, actOut: number, scratch: number, parallel: boolean): void;
  matmulTransA(out: number, a: number, b: number, M: number, K: number, N: number, accumulate: boolean, scratch: number, parallel: boolean): void;
  matmulTransB(out: number, a: number, b: number, M: number, K: number, N: number, accumulate: boolean, scratch: number, parallel: boolean): void;
  sumRows(out: number, a: number, M: number, N: number, accumulate: boolean): void;
  convScratchBytes(B: number, C: number, H: number, W: number, OC: number, k: number, stride: number, padTop: number, padLeft: number,
    OH: number, OW: number, threads: number): number;
  convSetup(scratch: number, B: number, C: number, H: number, W: number, OC: number, k: number, stride: number, padTop: number,
    padLeft: number, OH: number, OW: number, threads: number): void;
  convForward(scratch: number, out: number, inp: number, weight: number, bias: number, act: number, actOut: number, parallel: boolean): void;
  convFilterGradient(scratch: number, dweight: number, delta: number, inp: number, parallel: boolean): void;
  convInputGradient(scratch: number, dinp: number, delta: number, weight: number, parallel: boolean): void;
  sumChannels(out: number, a: number, B: number, C: number, P: number, accumulate: boolean): void;
  poolRecordBytes(): number;
  maxPoolForward(record: number, out: number, argmax: number, inp: number, planes: number, H: number, W: number, size: number, stride: number,
    OH: number, OW: number, parallel: boolean): void;
  maxPoolBackward(record: number, dinp: number, dout: number, argmax: number, gate: number, planes: number, H: number, W: number, OH: number, OW: number,
    parallel: boolean): void;
  gatherRows(out: number, src: number, index: number, rows: number, rowBytes: number, parallel: boolean): void;
  startGatherRows(out: number, src: number, index: number, rows: number, rowBytes: number, out2: number, src2: number, rowBytes2: number): void;
  finishGatherRows(): void;
  activationForward(kind: number, out: number, z: number, n: number): void;
  softmaxRows(out: number, z: number, rows: number, cols: number): void;
  networkLayerBytes(): number;
  networkForward(table: number, layers: number, params: number, x: number, rows: number, scratch: number): void;
  networkBackward(table: number, layers: number, params: number, grads: number, x: number, t: number, rows: number,
    delta: number, scale: number, accumulate: boolean, scratch: number): void;
  activationBackward(kind: number, dz: number, da: number, z: number, a: number, n: number): void;
  axpy(y: number, x: number, n: number, alpha: number): void;
  flushTiny(p: number, n: number, tiny: number): void;
  adamUpdate(w: number, g: number, m: number, v: number, n: number, beta1: number, keep1: number, beta2: number, keep2: number, eps: number, stepSize: number, invSqrtBc2: number, decay: number): void;
}


/** Instantiates the kernels on `memory` (the same module and memory on every thread). */
export async function instantiateKernels(module: WebAssembly.Module, memory: WebAssembly.Memory): Promise<KernelExports> {
  const instance = await WebAssembly.instantiate(module, { env: { memory } });
  return instance.exports as unknown as KernelExports;
}
