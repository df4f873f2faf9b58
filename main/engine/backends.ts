/**
 * Choosing the engine's kernel backend in Node processes (the training worker, the CLI's bench):
 * 'wasm' is the WebAssembly SIMD backend on every core, 'js' the reference, 'auto' the fastest
 * this runtime and build allow. Also what the About box reports, without starting any thread.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { Backend } from '../../shared/nn/backend.js';
import { jsBackend } from '../../shared/nn/backend-js.js';
import { chooseWasmVariant } from '../../shared/nn/wasm/features.js';
import { createNodeWasmBackend, nodeWasmFeatures, wasmDir, type NodeWasmOptions } from './wasm-node.js';

export const BACKEND_CHOICES = ['auto', 'wasm', 'js'] as const;
export type BackendChoice = (typeof BACKEND_CHOICES)[number];

/** A backend and how to release it (helper threads) when the run is over. */
export interface OpenBackend {
  backend: Backend;
  dispose(): Promise<void>;
  /** Why 'auto' fell back to the JS backend, when it did. */
  fallback?: string;
}

/**
 * Opens the chosen backend. 'wasm' throws when this runtime has no WebAssembly SIMD or the kernels
 * are not built; 'auto' then falls back to 'js' and says why.
 */
export async function openBackend(choice: BackendChoice, options: NodeWasmOptions = {}): Promise<OpenBackend> {
  if (choice === 'js') return { backend: jsBackend, dispose: async () => {} };
  try {
    const wasm = await createNodeWasmBackend(options);
    if (!wasm) throw new Error('this runtime has no WebAssembly SIMD');
    return { backend: wasm, dispose: async () => void (await wasm.dispose()) };
  } catch (e) {
    if (choice === 'wasm') throw e;
    return { backend: jsBackend, dispose: async () => {}, fallback: (e as Error).message };
  }
}

/** What 'auto' would give in this process: the About box's engine line. Starts nothing. */
export function describeEngineBackend(): { backend: string; simd: boolean; threads: number; plan: 'layers' | 'wasm' | 'wasm-threads' } {
  const features = nodeWasmFeatures();
  const variant = chooseWasmVariant(features);
  if (!variant || !existsSync(join(wasmDir, variant.file))) return { backend: 'js', simd: features.simd, threads: 1, plan: 'layers' };
  const threads = variant.shared ? availableParallelism() : 1;
  return { backend: variant.name, simd: true, threads, plan: threads > 1 ? 'wasm-threads' : 'wasm' };
}
