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

describe('in the background (startGatherRows … finishGatherRows)', () => {
  /** A source of `srcRows` rows of n floats, and `count` random row numbers into it. */
  function setUp(be: WasmBackend, srcRows: number, n: number, count: number, seed: number) {
    const rng = new Random(seed);
    const src = be.alloc(srcRows * n);
    for (let i = 0; i < src.length; i++) src[i] = rng.normal();
    const index = Int32Array.from({ length: count }, () => rng.int(srcRows));
    return { src, index };
  }
  function expectRows(out: Float32Array, src: Float32Array, index: Int32Array, n: number): void {
    for (let r = 0; r < index.length; r++) {
      const want = src.subarray(index[r] * n, index[r] * n + n), got = out.subarray(r * n, r * n + n);
      if (!got.every((v, k) => Object.is(v, want[k]))) expect.fail(`row ${r} (source row ${index[r]}) differs`);
    }
  }

  it.each([
    { label: 'one thread (the caller copies it all when finishing)', options: { threads: 1 } },
    { label: 'a helper that spins', options: { threads: 2 } },
    { label: 'a helper that sleeps between jobs', options: { threads: 2, spin: 0 } },
  ])('copies every row exactly with $label, also while products run in between', async ({ options }) => {
    await ensureKernelsBuilt();
    const be = await wasmBackend(options);
    opened.push(be);
    const n = 784, { src, index } = setUp(be, 2000, n, 100, 3);
    const targets = setUp(be, 2000, 10, 0, 4).src; // a second table gathered by the same rows
    const a = be.alloc(64 * 64), b = be.alloc(64 * 64), c = be.alloc(64 * 64).fill(1);
    for (let round = 0; round < 20; round++) {
      const out = be.alloc(index.length * n).fill(NaN), out2 = be.alloc(index.length * 10).fill(NaN);
      for (let r = 0; r < index.length; r++) index[r] = (index[r] + 7 * round + r) % 2000;
      const posted = index.slice();
      const also = round % 2 === 0 ? { out: out2, src: targets, n: 10 } : undefined;
      expect(be.startGatherRows(out, src, index, index.length, n, also)).toBe(true);
      index.fill(-1); // the caller may reuse its array at once: the row numbers were copied
      be.matmul(c, a, b, 64, 64, 64); // a job of the calling thread's own, meanwhile
      be.finishGatherRows();
      expectRows(out, src, posted, n);
      if (also) expectRows(out2, targets, posted, 10);
      else expect(Array.from(out2).every(Number.isNaN)).toBe(true);
      index.set(posted);
    }
  });

  it('finishes a pending gather before starting the next one, and when disposed', async () => {
    await ensureKernelsBuilt();
    const be = await wasmBackend({ threads: 2 });
    const n = 129, { src, index } = setUp(be, 300, n, 37, 5);
    const first = be.alloc(37 * n), second = be.alloc(37 * n);
    const reversed = index.slice().reverse();
    expect(be.startGatherRows(first, src, index, 37, n)).toBe(true);
    expect(be.startGatherRows(second, src, reversed, 37, n)).toBe(true); // finishes the first
    expectRows(first, src, index, n);
    be.finishGatherRows();
    be.finishGatherRows(); // nothing pending: returns
    expectRows(second, src, reversed, n);
    expect(be.startGatherRows(first, src, reversed, 37, n)).toBe(true);
    expect((await be.dispose()).terminated).toBe(0); // the helper left its loop: nothing was left half-copied
    expectRows(first, src, reversed, n);
  });

  it('is copied by the helper thread while the caller does something else', async () => {
    await ensureKernelsBuilt();
    const be = await wasmBackend({ threads: 2 });
    opened.push(be);
    const n = 784, { src, index } = setUp(be, 1000, n, 100, 8);
    const out = be.alloc(100 * n);
    let helped = 0;
    for (let round = 0; round < 10 && helped === 0; round++) {
      const before = be.helperUnits;
      be.startGatherRows(out, src, index, 100, n);
      for (const until = performance.now() + 5; performance.now() < until;); // no kernel calls: only the helper can copy
      be.finishGatherRows();
      helped = be.helperUnits - before;
    }
    expect(helped).toBeGreaterThan(0);
    expectRows(out, src, index, n);
  });

  it('declines arrays outside its memory, like gatherRows', async () => {
    await ensureKernelsBuilt();
    const be = await wasmBackend({ threads: 2 });
    opened.push(be);
    expect(be.startGatherRows(be.alloc(8), new Float32Array(16), new Int32Array([0, 1]), 2, 4)).toBe(false);
    expect(() => be.startGatherRows(be.alloc(8), be.alloc(16), new Int32Array([0, 4]), 2, 4)).toThrow(RangeError);
    be.finishGatherRows();
  });
});
