/**
 * Loads the WebAssembly backend in Node: picks the variant the runtime supports, reads it from
 * out/wasm/ (built by build/scripts/build-wasm.mjs), and starts helper threads on worker_threads.
 *
 * Relaxed SIMD: Electron 45 (V8 14) and Node 22 have it; Node 20's V8 11.3 implements it behind
 * --experimental-wasm-relaxed-simd. The flag only widens what validates (the fused multiply-add
 * is the same instruction the later V8 ships), so on Node 20 it is switched on here before the
 * kernels are compiled; NN_STUDIO_WASM_RELAXED=0 keeps plain SIMD.
 */
import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { outDir } from '../paths.js';
import { chooseWasmVariant, detectWasmFeatures, type WasmFeatures } from '../../shared/nn/wasm/features.js';
import { WasmBackend, type WasmBackendOptions } from '../../shared/nn/wasm/wasm-backend.js';
import { spawnNodeKernelThread } from './wasm-threads.js';

/** Where the compiled kernels are. */
export const wasmDir = join(outDir, 'wasm');

export interface NodeWasmOptions extends Pick<WasmBackendOptions, 'spin' | 'parallelMinMadds' | 'adaptive' | 'reserveMiB'> {
  /** Threads counting the caller; default: every core (os.availableParallelism()). */
  threads?: number;
  /** false: plain SIMD even where relaxed SIMD exists (comparisons, or NN_STUDIO_WASM_RELAXED=0). */
  relaxedSimd?: boolean;
  /** false: the private-memory variant (one thread), as in a browser page without shared memory. */
  sharedMemory?: boolean;
  /** Folder holding the .wasm files (default out/wasm). */
  dir?: string;
}

/** The runtime's WebAssembly features, after enabling relaxed SIMD where Node has it behind a flag. */
export function nodeWasmFeatures(allowRelaxed = process.env.NN_STUDIO_WASM_RELAXED !== '0'): WasmFeatures {
  let features = detectWasmFeatures();
  if (allowRelaxed && features.simd && !features.relaxedSimd) {
    setFlagsFromString('--experimental-wasm-relaxed-simd');
    features = detectWasmFeatures();
  }
  return features;
}

/**
 * The WebAssembly backend, or null when this runtime has no WebAssembly SIMD (use the JS one).
 * Throws when the kernels have not been built (run `npm run build`).
 */
export async function createNodeWasmBackend(options: NodeWasmOptions = {}): Promise<WasmBackend | null> {
  const relaxed = options.relaxedSimd ?? process.env.NN_STUDIO_WASM_RELAXED !== '0';
  const variant = chooseWasmVariant(nodeWasmFeatures(relaxed), { relaxedSimd: relaxed, shared: options.sharedMemory });
  if (!variant) return null;
  const file = join(options.dir ?? wasmDir, variant.file);
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch {
    throw new Error(`the WebAssembly kernels are not built (${file} is missing): run \`npm run build\``);
  }
  const module = await WebAssembly.compile(new Uint8Array(bytes));
  const threads = variant.shared ? Math.max(1, Math.floor(options.threads ?? availableParallelism())) : 1;
  return WasmBackend.create({ ...options, module, variant, threads, spawn: spawnNodeKernelThread });
}
