/**
 * The backend's memory: views from `alloc` are zeroed, aligned, disjoint, and stay valid (and
 * usable by the kernels) after the memory grows; a private memory refuses to outgrow its
 * reservation with a message instead of detaching the views already handed out.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WasmBackend } from '../../../shared/nn/wasm/wasm-backend.js';
import { ensureKernelsBuilt, wasmBackend } from './kernels-built.js';

beforeAll(ensureKernelsBuilt);

describe('shared memory', () => {
  let be: WasmBackend;
  beforeAll(async () => {
    be = await wasmBackend({ threads: 2, parallelMinMadds: 0, adaptive: false });
  });
  afterAll(async () => {
    await be?.dispose();
  });

  it('hands out zeroed, 64-byte aligned, disjoint views', () => {
    const views = [3, 1, 100, 17].map((n) => be.alloc(n));
    for (const v of views) {
      expect(v.byteOffset % 64).toBe(0);
      expect(v.every((x) => x === 0)).toBe(true);
      v.fill(7);
    }
    for (let i = 1; i < views.length; i++) expect(views[i].byteOffset).toBeGreaterThanOrEqual(views[i - 1].byteOffset + views[i - 1].byteLength);
  });

  it('keeps earlier views valid and usable when the memory grows', () => {
    const a = be.alloc(6).fill(2); // 2×3 of 2s
    const b = be.alloc(6).fill(3); // 3×2 of 3s
    const before = be.usedBytes;
    const big = be.alloc(48 * 2 ** 20 / 4); // 48 MiB: far past the initial 16 MiB
    expect(be.usedBytes).toBeGreaterThan(before + 48 * 2 ** 20 - 1);
    big[big.length - 1] = 1;
    expect(Array.from(a)).toEqual([2, 2, 2, 2, 2, 2]);
    const out = be.alloc(4);
    be.matmul(out, a, b, 2, 3, 2); // old views, new view: all in place, no copies
    expect(Array.from(out)).toEqual([18, 18, 18, 18]);
    be.matmul(a.subarray(0, 4), out, be.alloc(4).fill(0.5), 2, 2, 2); // an old view as output
    expect(Array.from(a)).toEqual([18, 18, 18, 18, 2, 2]);
  });
});

describe('private memory (no SharedArrayBuffer, as in a page that is not cross-origin isolated)', () => {
  it('works within its reservation and refuses to outgrow it with a message', async () => {
    const be = await wasmBackend({ sharedMemory: false, reserveMiB: 8 });
    expect(be.threads).toBe(1);
    const x = be.alloc(1000).fill(1);
    expect(() => be.alloc(4 * 2 ** 20)).toThrow(/memory \(8 MiB, reserved up front.*larger reserveMiB/);
    const out = be.alloc(1);
    be.matmul(out, x, x, 1, 1000, 1);
    expect(out[0]).toBe(1000);
    await be.dispose();
  });
});
