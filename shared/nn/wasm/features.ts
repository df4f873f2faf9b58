/**
 * What the running WebAssembly engine supports, found by validating tiny hand-assembled modules
 * (validation compiles nothing, so this is cheap and has no side effects), and which compiled
 * variant of the kernels (build/scripts/build-wasm.mjs) that calls for.
 */

/** `(func (result v128) (i32x4.splat (i32.const 0)))`: fixed-width SIMD. */
const SIMD_PROBE = [0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 0x60, 0, 1, 0x7b, 3, 2, 1, 0, 10, 8, 1, 6, 0, 0x41, 0, 0xfd, 0x11, 0x0b];

/** `(func (param v128 v128 v128) (result v128) (f32x4.relaxed_madd (local.get 0) (local.get 1) (local.get 2)))`. */
const RELAXED_SIMD_PROBE = [
  0, 97, 115, 109, 1, 0, 0, 0, 1, 8, 1, 0x60, 3, 0x7b, 0x7b, 0x7b, 1, 0x7b, 3, 2, 1, 0,
  10, 13, 1, 11, 0, 0x20, 0, 0x20, 1, 0x20, 2, 0xfd, 0x85, 0x02, 0x0b,
];

/** `(memory 1 1 shared)`: the threads proposal's shared memory. */
const SHARED_MEMORY_PROBE = [0, 97, 115, 109, 1, 0, 0, 0, 5, 4, 1, 3, 1, 1];

export interface WasmFeatures {
  /** 128-bit SIMD (f32x4). Without it the JS backend is used. */
  simd: boolean;
  /** Relaxed SIMD (f32x4.relaxed_madd: a fused multiply-add where the CPU has FMA). */
  relaxedSimd: boolean;
  /** Shared memory usable from this context (SharedArrayBuffer exists): helper threads possible. */
  sharedMemory: boolean;
}

function validates(bytes: number[]): boolean {
  try {
    return typeof WebAssembly === 'object' && WebAssembly.validate(new Uint8Array(bytes));
  } catch {
    return false;
  }
}

/** Probes the running engine. */
export function detectWasmFeatures(): WasmFeatures {
  const simd = validates(SIMD_PROBE);
  return {
    simd,
    relaxedSimd: simd && validates(RELAXED_SIMD_PROBE),
    sharedMemory: typeof SharedArrayBuffer === 'function' && validates(SHARED_MEMORY_PROBE) && canCreateSharedMemory(),
  };
}

function canCreateSharedMemory(): boolean {
  try {
    return new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true }).buffer instanceof SharedArrayBuffer;
  } catch {
    return false; // a browser page that is not cross-origin isolated
  }
}

/** One compiled variant of the kernels. */
export interface WasmVariant {
  /** File name in out/wasm/ (the build's wasmVariants keys, plus `.wasm`). */
  file: string;
  /** The backend's name as shown in the About box and the benchmark. */
  name: 'wasm-simd' | 'wasm-relaxed-simd';
  relaxedSimd: boolean;
  /** Whether the module imports a shared memory (and so can have helper threads). */
  shared: boolean;
}

/** The best variant the features allow, or null when there is no SIMD (use the JS backend). */
export function chooseWasmVariant(f: WasmFeatures, prefer: { relaxedSimd?: boolean; shared?: boolean } = {}): WasmVariant | null {
  if (!f.simd) return null;
  const relaxedSimd = f.relaxedSimd && prefer.relaxedSimd !== false;
  const shared = f.sharedMemory && prefer.shared !== false;
  const stem = relaxedSimd ? 'kernels-relaxed-simd' : 'kernels-simd';
  return { file: `${stem}${shared ? '-threads' : ''}.wasm`, name: relaxedSimd ? 'wasm-relaxed-simd' : 'wasm-simd', relaxedSimd, shared };
}
