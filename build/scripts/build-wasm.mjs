#!/usr/bin/env node
/**
 * Compiles the WebAssembly kernels (AssemblyScript in shared/nn/wasm/assembly/) into out/wasm/,
 * in the four variants the loader (shared/nn/wasm/variants.ts) chooses from at run time:
 *
 *   kernels-simd.wasm                   f32x4 SIMD, private memory (no SharedArrayBuffer: one thread)
 *   kernels-simd-threads.wasm           f32x4 SIMD, shared memory (helper threads)
 *   kernels-relaxed-simd.wasm           + relaxed-SIMD fused multiply-add
 *   kernels-relaxed-simd-threads.wasm   + relaxed-SIMD fused multiply-add, shared memory
 *
 * The compiler (asc) is plain JavaScript from npm, so a fresh clone builds this with no download.
 * `node build/scripts/build-wasm.mjs` builds them; the main build calls `buildWasm()`.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const entry = 'shared/nn/wasm/assembly/index.ts';
/** Shared memory must declare a maximum: 65536 pages is all of wasm32's 4 GiB (address space only). */
const MAX_PAGES = 65536;

/** The variants: file stem → extra compiler flags. Kept in step with shared/nn/wasm/variants.ts. */
export const wasmVariants = {
  'kernels-simd': { features: ['simd', 'threads'], shared: false },
  'kernels-simd-threads': { features: ['simd', 'threads'], shared: true },
  'kernels-relaxed-simd': { features: ['simd', 'threads', 'relaxed-simd'], shared: false },
  'kernels-relaxed-simd-threads': { features: ['simd', 'threads', 'relaxed-simd'], shared: true },
};

/** Compiles every variant into `outDir` (default out/wasm); resolves to the files written. */
export async function buildWasm({ outDir = join(root, 'out', 'wasm') } = {}) {
  const { default: asc } = await import('assemblyscript/asc');
  mkdirSync(outDir, { recursive: true });
  const written = [];
  for (const [stem, { features, shared }] of Object.entries(wasmVariants)) {
    const args = [
      entry,
      '--baseDir', root,
      '-O3', '--noAssert', '--runtime', 'stub', '--use', 'abort=',
      '--enable', features.join(','),
      '--importMemory', '--initialMemory', '1',
      ...(shared ? ['--sharedMemory', '--maximumMemory', String(MAX_PAGES)] : []),
      '--outFile', `${stem}.wasm`,
    ];
    const stderr = [];
    const result = await asc.main(args, {
      stdout: { write: () => true },
      stderr: { write: (s) => (stderr.push(String(s)), true) },
      writeFile: (name, contents) => {
        // Write then rename: a test file building concurrently never reads half a module.
        const file = join(outDir, name.replace(/^.*[\\/]/, ''));
        const temp = `${file}.${process.pid}.tmp`;
        writeFileSync(temp, contents);
        renameSync(temp, file);
        written.push(file);
      },
    });
    if (result.error) throw new Error(`asc failed on ${stem}: ${result.error.message}\n${stderr.join('')}`);
  }
  return written;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  buildWasm().then(
    (files) => process.stderr.write(`built ${files.length} wasm files in ${Date.now() - started} ms\n`),
    (e) => {
      process.stderr.write(`wasm build failed: ${e?.message ?? e}\n`);
      process.exit(1);
    },
  );
}
