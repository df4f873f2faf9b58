/**
 * Two threads on one product: each output tile is computed whole by one thread with the same
 * kernel, so the result must be bit-for-bit the single-thread result, however the tiles were
 * shared — through thousands of back-to-back calls, with helpers spinning or asleep.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { build } from 'esbuild';
import { Random } from '../../../shared/nn/random.js';
import type { WasmBackend } from '../../../shared/nn/wasm/wasm-backend.js';
import { appRoot } from '../../../main/paths.js';
import { oneAndTwoThreads, wasmBackend } from './kernels-built.js';

const rng = new Random(99);
const fill = (x: Float32Array) => {
  for (let i = 0; i < x.length; i++) x[i] = rng.range(-1, 1);
  return x;
};

/** The benchmark's products (forward, weight gradient, input delta) and some odd ones. */
const SHAPES: Array<[number, number, number]> = [[100, 784, 50], [128, 784, 256], [128, 256, 128], [128, 128, 10], [37, 301, 45], [10, 8, 8]];

/** Runs the three products of every shape on `be`, with operands from `ops`, into `outs` (made on first use). */
function runAll(be: WasmBackend, ops: Float32Array[][], outs: Float32Array[] = []): Float32Array[] {
  SHAPES.forEach(([M, K, N], s) => {
    const [a, b, bias, g, d] = ops[s];
    if (outs.length < 3 * (s + 1)) outs.push(be.alloc(M * N), be.alloc(K * N), be.alloc(M * K));
    const [o1, o2, o3] = outs.slice(3 * s, 3 * s + 3);
    be.matmul(o1, a, b, M, K, N, bias);
    o2.fill(0.25);
    be.matmulTransA(o2, a, g, M, K, N, true);
    be.matmulTransB(o3, d, b, M, K, N, false);
  });
  return outs;
}

/** Whether two float arrays hold the same bits. */
function identical(x: Float32Array, y: Float32Array): boolean {
  return Buffer.from(x.buffer, x.byteOffset, x.byteLength).equals(Buffer.from(y.buffer, y.byteOffset, y.byteLength));
}

function operands(): Float32Array[][] {
  return SHAPES.map(([M, K, N]) => [fill(new Float32Array(M * K)), fill(new Float32Array(K * N)), fill(new Float32Array(N)), fill(new Float32Array(M * N)), fill(new Float32Array(M * N))]);
}

describe('helper threads', () => {
  const pair = oneAndTwoThreads();

  it('reports its threads', () => {
    expect(pair.one.threads).toBe(1);
    expect(pair.two.threads).toBe(2);
    expect(pair.two.name).toMatch(/^wasm-(relaxed-)?simd$/);
  });

  it('gives bit-identical results with one and two threads, the helper doing part of the work', () => {
    const ops = operands();
    const before = pair.two.helperUnits;
    const a = runAll(pair.one, ops), b = runAll(pair.two, ops);
    // Whether the helper got a share of one particular call is up to the OS scheduler (on a busy
    // machine it may wake too late); over a few hundred calls it certainly does.
    for (let i = 0; i < 300 && pair.two.helperUnits === before; i++) runAll(pair.two, ops, b);
    expect(pair.one.helperUnits).toBe(0);
    expect(pair.two.helperUnits).toBeGreaterThan(before);
    a.forEach((x, i) => expect(identical(x, b[i]), `output ${i}`).toBe(true));
  });

  it('stays exact over thousands of back-to-back calls of mixed sizes', () => {
    const ops = operands();
    const want = runAll(pair.one, ops);
    const got: Float32Array[] = [];
    for (let round = 0; round < 100; round++) {
      runAll(pair.two, ops, got);
      got.forEach((x, i) => {
        if (!identical(x, want[i])) expect.fail(`round ${round}, output ${i} differs`);
      });
    }
  });

  it('still shares work with helpers that have gone to sleep', async () => {
    const sleepy = await wasmBackend({ threads: 2, parallelMinMadds: 0, adaptive: false, spin: 1 });
    try {
      const ops = operands();
      const want = runAll(pair.one, ops);
      const got: Float32Array[] = [];
      for (let round = 0; round < 5; round++) {
        await new Promise((r) => setTimeout(r, 20)); // helpers are now blocked in memory.atomic.wait
        runAll(sleepy, ops, got).forEach((x, i) => expect(identical(x, want[i]), `round ${round}, output ${i}`).toBe(true));
      }
    } finally {
      await sleepy.dispose();
    }
  });

  it('stops its helpers on dispose (they leave their loop; none needs terminating) and refuses calls after', async () => {
    const be = await wasmBackend({ threads: 2 });
    expect(await be.dispose()).toEqual({ terminated: 0 });
    expect(() => be.sumRows(be.alloc(1), be.alloc(1), 1, 1, false)).toThrow(/disposed/);
  });

  it('never keeps a process alive: a script that forgets dispose still exits', async () => {
    const dir = join(appRoot, '.cache', 'test-wasm-threads');
    mkdirSync(dir, { recursive: true });
    const entry = join(dir, 'entry.ts');
    const script = join(dir, 'forgets-dispose.mjs');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(entry, `import { createNodeWasmBackend } from ${JSON.stringify(join(appRoot, 'main/engine/wasm-node.ts'))};
const be = await createNodeWasmBackend({ threads: 2, parallelMinMadds: 0, adaptive: false });
const x = be.alloc(64 * 64).fill(1), out = be.alloc(64 * 64);
be.matmul(out, x, x, 64, 64, 64);
console.log(be.threads, out[0]);
`);
    await build({ entryPoints: [entry], outfile: script, bundle: true, platform: 'node', format: 'esm', packages: 'external', logLevel: 'error' });
    const stdout = execFileSync(process.execPath, [script], { timeout: 20_000, encoding: 'utf8' });
    expect(stdout.trim()).toBe('2 64');
  });
});
