/**
 * Test helper: the compiled kernels, built on demand so `npx vitest run test/nn/wasm` works on a
 * fresh clone (the global set-up builds them too, when the Node part is stale).
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { afterAll, beforeAll } from 'vitest';
import { join } from 'node:path';
import { appRoot } from '../../../main/paths.js';
import { buildWasm, wasmVariants } from '../../../build/scripts/build-wasm.mjs';
import { createNodeWasmBackend, wasmDir, type NodeWasmOptions } from '../../../main/engine/wasm-node.js';
import type { WasmBackend } from '../../../shared/nn/wasm/wasm-backend.js';

/** Builds out/wasm/ when any variant is missing or older than the AssemblyScript sources. */
export async function ensureKernelsBuilt(): Promise<void> {
  const sources = join(appRoot, 'shared/nn/wasm/assembly');
  const newestSource = Math.max(...readdirSync(sources).map((f) => statSync(join(sources, f)).mtimeMs));
  const files = Object.keys(wasmVariants).map((stem) => join(wasmDir, `${stem}.wasm`));
  if (files.every((f) => existsSync(f) && statSync(f).mtimeMs >= newestSource)) return;
  await buildWasm();
}

/** A WebAssembly backend with these options; fails the test when this Node has no SIMD. */
export async function wasmBackend(options: NodeWasmOptions): Promise<WasmBackend> {
  const backend = await createNodeWasmBackend(options);
  if (!backend) throw new Error('this runtime has no WebAssembly SIMD');
  return backend;
}

/** Registers a one-thread backend for the enclosing describe block or file: `kernels.be` inside its tests. */
export function oneThread(): { be: WasmBackend } {
  const kernels = {} as { be: WasmBackend };
  beforeAll(async () => {
    await ensureKernelsBuilt();
    kernels.be = await wasmBackend({ threads: 1 });
  });
  afterAll(async () => {
    await kernels.be?.dispose();
  });
  return kernels;
}

/**
 * Registers a one-thread and a two-thread backend for the enclosing describe block (two threads
 * splitting every product, so the comparison always exercises the helper thread).
 */
export function oneAndTwoThreads(): { one: WasmBackend; two: WasmBackend } {
  const pair = {} as { one: WasmBackend; two: WasmBackend };
  beforeAll(async () => {
    await ensureKernelsBuilt();
    pair.one = await wasmBackend({ threads: 1 });
    pair.two = await wasmBackend({ threads: 2, parallelMinMadds: 0, adaptive: false });
  });
  afterAll(async () => {
    await pair.one?.dispose();
    await pair.two?.dispose();
  });
  return pair;
}

/** The configurations every kernel is checked in: both instruction sets, both memories, 1 and 2 threads. */
export const configurations: Array<{ label: string; options: NodeWasmOptions }> = [
  { label: 'relaxed SIMD, 2 threads', options: { relaxedSimd: true, threads: 2, parallelMinMadds: 0, adaptive: false } },
  { label: 'relaxed SIMD, private memory', options: { relaxedSimd: true, sharedMemory: false, reserveMiB: 32 } },
  { label: 'plain SIMD, 2 threads', options: { relaxedSimd: false, threads: 2, parallelMinMadds: 0, adaptive: false } },
  { label: 'plain SIMD, private memory', options: { relaxedSimd: false, sharedMemory: false, reserveMiB: 32 } },
];
