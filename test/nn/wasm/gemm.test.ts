/**
 * Every kernel of the WebAssembly backend against exact (float64) products and against the JS
 * reference backend, on odd shapes and edge tiles (the micro-kernel is 6×8, so 1×1, 5×7, 7×13,
 * 33×65… exercise every partial tile), in each compiled variant and with two threads.
 * Tolerance: the classic float32 bound for a sum of K products, |error| ≤ γ_K · Σ|a·b|.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Random } from '../../../shared/nn/random.js';
import { JsBackend } from '../../../shared/nn/backend-js.js';
import type { WasmBackend } from '../../../shared/nn/wasm/wasm-backend.js';
import { configurations, ensureKernelsBuilt, wasmBackend } from './kernels-built.js';

type Form = 'AB' | 'AtB' | 'ABt';

/** Edge tiles and the benchmark's shapes (M, K, N as in backend.ts), plus random ones below. */
const FIXED: Array<[number, number, number]> = [
  [1, 1, 1], [1, 5, 1], [5, 7, 3], [7, 13, 5], [6, 8, 8], [12, 1, 16], [33, 65, 17], [13, 7, 9], [64, 33, 65], [100, 784, 50], [10, 2, 8],
];

function randomShapes(rng: Random, n: number): Array<[number, number, number]> {
  return Array.from({ length: n }, () => [1 + rng.int(70), 1 + rng.int(140), 1 + rng.int(70)] as [number, number, number]);
}

function fillRandom(rng: Random, x: Float32Array): Float32Array {
  for (let i = 0; i < x.length; i++) x[i] = rng.range(-1, 1);
  return x;
}

/** Element (i, j) of the product and Σ|terms|, in float64, for each form's operand layout. */
function exact(form: Form, a: Float32Array, b: Float32Array, M: number, K: number, N: number): { value: Float64Array; magnitude: Float64Array; rows: number; cols: number; red: number } {
  const [rows, cols, red] = form === 'AB' ? [M, N, K] : form === 'AtB' ? [K, N, M] : [M, K, N];
  const value = new Float64Array(rows * cols);
  const magnitude = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      let s = 0, m = 0;
      for (let r = 0; r < red; r++) {
        const x = form === 'AB' ? a[i * K + r] : form === 'AtB' ? a[r * K + i] : a[i * N + r];
        const y = form === 'AB' ? b[r * N + j] : form === 'AtB' ? b[r * N + j] : b[j * N + r];
        s += x * y;
        m += Math.abs(x * y);
      }
      value[i * cols + j] = s;
      magnitude[i * cols + j] = m;
    }
  }
  return { value, magnitude, rows, cols, red };
}

/** Asserts got ≈ want within the float32 summation bound (plus the float32 rounding of init). */
function expectClose(got: Float32Array, want: ArrayLike<number>, magnitude: ArrayLike<number>, terms: number, what: string): void {
  const gamma = (terms + 2) * 2 ** -23; // twice the textbook γ_n = n·u: fused or not, any order
  for (let i = 0; i < want.length; i++) {
    const bound = gamma * (magnitude[i] + Math.abs(want[i])) + 1e-30;
    if (!(Math.abs(got[i] - want[i]) <= bound)) {
      expect.fail(`${what}: element ${i} is ${got[i]}, expected ${want[i]} (±${bound.toExponential(2)})`);
    }
  }
}

const js = new JsBackend();

describe.each(configurations)('WebAssembly kernels ($label)', ({ options }) => {
  let be: WasmBackend;
  const rng = new Random(20240508);
  const shapes = [...FIXED, ...randomShapes(new Random(7), 12)];

  beforeAll(async () => {
    await ensureKernelsBuilt();
    be = await wasmBackend(options);
  });
  afterAll(async () => {
    await be?.dispose();
  });

  it('computes a·b, with and without bias, like the exact product and the JS backend', () => {
    for (const [M, K, N] of shapes) {
      const a = fillRandom(rng, be.alloc(M * K));
      const b = fillRandom(rng, be.alloc(K * N));
      const bias = fillRandom(rng, be.alloc(N));
      const out = be.alloc(M * N).fill(NaN); // overwrite mode must not read out
      const { value, magnitude } = exact('AB', a, b, M, K, N);
      be.matmul(out, a, b, M, K, N);
      expectClose(out, value, magnitude, K, `a·b ${M}×${K}×${N}`);
      const ref = new Float32Array(M * N);
      js.matmul(ref, a, b, M, K, N);
      expectClose(out, ref, magnitude, 2 * K, `a·b vs js ${M}×${K}×${N}`);

      be.matmul(out, a, b, M, K, N, bias);
      const withBias = value.map((v, i) => v + bias[i % N]);
      expectClose(out, withBias, magnitude.map((m, i) => m + Math.abs(bias[i % N])), K + 1, `a·b + bias ${M}×${K}×${N}`);
    }
  });

  it.each(['relu', 'sigmoid', 'tanh', 'identity'])('writes Z = a·b + bias and A = %s(Z) in one pass, as the two kernels would', (name) => {
    for (const [M, K, N] of shapes) {
      const a = fillRandom(rng, be.alloc(M * K));
      const b = fillRandom(rng, be.alloc(K * N));
      const bias = fillRandom(rng, be.alloc(N));
      const z = be.alloc(M * N).fill(NaN), act = be.alloc(M * N + 8).fill(NaN);
      expect(be.matmulActivate(z, act, a, b, M, K, N, bias, name)).toBe(true);
      const plain = be.alloc(M * N), want = be.alloc(M * N);
      be.matmul(plain, a, b, M, K, N, bias);
      if (name === 'identity') want.set(plain);
      else be.activationForward(name, want, plain, M, N);
      expect(Array.from(z)).toEqual(Array.from(plain));
      expect(Array.from(act.subarray(0, M * N))).toEqual(Array.from(want));
      expect(Array.from(act.subarray(M * N)).every(Number.isNaN)).toBe(true); // nothing past A
    }
    expect(be.matmulActivate(be.alloc(4), be.alloc(4), be.alloc(4), be.alloc(4), 2, 2, 2, null, 'elu')).toBe(false);
  });

  it.each(['AtB', 'ABt'] as const)('computes the transposed form %s, overwriting and accumulating', (form) => {
    for (const [M, K, N] of shapes) {
      const a = fillRandom(rng, be.alloc(form === 'AtB' ? M * K : M * N));
      const b = fillRandom(rng, be.alloc(form === 'AtB' ? M * N : K * N));
      const { value, magnitude, red } = exact(form, a, b, M, K, N);
      const out = be.alloc(value.length).fill(NaN);
      const run = (o: Float32Array, acc: boolean, backend: { matmulTransA: WasmBackend['matmulTransA']; matmulTransB: WasmBackend['matmulTransB'] }) =>
        form === 'AtB' ? backend.matmulTransA(o, a, b, M, K, N, acc) : backend.matmulTransB(o, a, b, M, K, N, acc);
      run(out, false, be);
      expectClose(out, value, magnitude, red, `${form} ${M}×${K}×${N}`);
      const ref = new Float32Array(value.length);
      run(ref, false, js);
      expectClose(out, ref, magnitude, 2 * red, `${form} vs js ${M}×${K}×${N}`);

      const start = fillRandom(rng, be.alloc(value.length));
      const acc = Float32Array.from(start);
      run(acc, true, be);
      expectClose(acc, value.map((v, i) => v + start[i]), magnitude.map((m, i) => m + Math.abs(start[i])), red + 1, `${form} accumulate ${M}×${K}×${N}`);
    }
  });

  it('sums rows, overwriting and accumulating', () => {
    for (const [M, , N] of [...shapes, [128, 0, 256] as [number, number, number], [3, 0, 37] as [number, number, number]]) {
      const a = fillRandom(rng, be.alloc(M * N));
      const out = be.alloc(N).fill(NaN);
      be.sumRows(out, a, M, N, false);
      const want = new Float64Array(N), mag = new Float64Array(N);
      for (let m = 0; m < M; m++) for (let n = 0; n < N; n++) { want[n] += a[m * N + n]; mag[n] += Math.abs(a[m * N + n]); }
      expectClose(out, want, mag, M, `sumRows ${M}×${N}`);
      const start = fillRandom(rng, be.alloc(N));
      const acc = Float32Array.from(start);
      be.sumRows(acc, a, M, N, true);
      expectClose(acc, want.map((v, i) => v + start[i]), mag.map((v, i) => v + Math.abs(start[i])), M + 1, `sumRows accumulate ${M}×${N}`);
    }
  });

  it('accepts arrays that are not in its memory (copies them in and the result out)', () => {
    const [M, K, N] = [37, 29, 23];
    const a = fillRandom(rng, new Float32Array(M * K));
    const b = fillRandom(rng, new Float32Array(K * N));
    const out = new Float32Array(M * N);
    be.matmul(out, a, b, M, K, N);
    const { value, magnitude } = exact('AB', a, b, M, K, N);
    expectClose(out, value, magnitude, K, 'foreign a·b');
    const grad = fillRandom(rng, new Float32Array(K * N));
    const start = Float32Array.from(grad);
    be.matmulTransA(grad, a, fillRandom(rng, be.alloc(M * N)), M, K, N, true);
    expect(grad.some((v, i) => v !== start[i])).toBe(true);
  });

  it('treats an empty sum as zero and leaves an accumulator unchanged', () => {
    const out = be.alloc(6).fill(NaN);
    be.matmul(out, be.alloc(0), be.alloc(0), 2, 0, 3);
    expect(Array.from(out)).toEqual([0, 0, 0, 0, 0, 0]);
    const acc = be.alloc(6).fill(1.5);
    be.matmulTransA(acc, be.alloc(0), be.alloc(0), 0, 2, 3, true);
    expect(Array.from(acc)).toEqual([1.5, 1.5, 1.5, 1.5, 1.5, 1.5]);
  });

  it('rejects operands shorter than their shape says', () => {
    expect(() => be.matmul(be.alloc(4), be.alloc(3), be.alloc(4), 2, 2, 2)).toThrow(/3 elements, 4 expected/);
  });
});
