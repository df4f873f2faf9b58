/**
 * Backend.gatherRows (assembly/gather.ts): a mini-batch's rows copied exactly, on one thread and
 * shared between two, and refused (false) for a source outside kernel memory.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { Random } from '../../../shared/nn/random.js';
import type { WasmBackend } from '../../../shared/nn/wasm/wasm-backend.js';
import { configurations, ensureKernelsBuilt, wasmBackend } from './kernels-built.js';

const opened: WasmBackend[] = [];
afterAll(async () => {
  await Promise.all(opened.map((b) => b.dispose()));
});

describe.each(configurations)('$label', ({ options }) => {
  it.each([
    { rows: 100, n: 784, srcRows: 3000 }, // 313 KB: shared between threads when there are two
    { rows: 7, n: 5, srcRows: 11 }, // under one unit, odd sizes
    { rows: 37, n: 129, srcRows: 40 },
  ])('copies $rows rows of $n floats exactly', async ({ rows, n, srcRows }) => {
    await ensureKernelsBuilt();
    const be = await wasmBackend(options);
    opened.push(be);
    const rng = new Random(rows + n);
    const src = be.alloc(srcRows * n);
    for (let i = 0; i < src.length; i++) src[i] = rng.normal();
    const index = new Int32Array(rows);
    for (let r = 0; r < rows; r++) index[r] = r === 0 ? srcRows - 1 : rng.int(srcRows);
    const out = be.alloc(rows * n + 3).fill(NaN);
    expect(be.gatherRows(out, src, index, rows, n)).toBe(true);
    for (let r = 0; r < rows; r++) {
      const want = src.subarray(index[r] * n, index[r] * n + n), got = out.subarray(r * n, r * n + n);
      if (!got.every((v, k) => Object.is(v, want[k]))) expect.fail(`row ${r} (source row ${index[r]}) differs`);
    }
    expect(Array.from(out.subarray(rows * n)).every(Number.isNaN)).toBe(true); // nothing past the batch
  });
});

it('declines a source outside its memory and refuses rows the source lacks', async () => {
  await ensureKernelsBuilt();
  const be = await wasmBackend({ threads: 1 });
  opened.push(be);
  const out = be.alloc(8);
  expect(be.gatherRows(out, new Float32Array(16), new Int32Array([0, 1]), 2, 4)).toBe(false);
  expect(() => be.gatherRows(out, be.alloc(16), new Int32Array([0, 4]), 2, 4)).toThrow(RangeError);
});
