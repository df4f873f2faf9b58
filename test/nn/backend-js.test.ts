import { describe, expect, it } from 'vitest';
import { JsBackend } from '../../shared/nn/backend-js.js';
import { Random } from '../../shared/nn/random.js';
import { matmulNaive } from '../../shared/nn/reference.js';

/** The textbook triple loop in float64 (reference.ts): the truth the tiled kernels must match. */
function reference(a: Float32Array, b: Float32Array, M: number, K: number, N: number, transA: boolean, transB: boolean): Float64Array {
  const out = new Float64Array(M * N);
  matmulNaive(out, a, b, M, K, N, transA, transB);
  return out;
}

function randomArray(rng: Random, n: number): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = rng.range(-1, 1);
  return a;
}

function expectClose(actual: Float32Array, expected: ArrayLike<number>, what: string): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < actual.length; i++) {
    if (Math.abs(actual[i] - expected[i]) > 1e-4 * (1 + Math.abs(expected[i]))) {
      throw new Error(`${what}: element ${i} is ${actual[i]}, expected ${expected[i]}`);
    }
  }
}

// Shapes that hit every tile edge: multiples of 4, remainders 1–3, single rows/columns, K=1.
const shapes: [number, number, number][] = [
  [1, 1, 1], [1, 5, 3], [3, 2, 1], [4, 4, 4], [5, 7, 9], [10, 2, 8], [10, 8, 1], [13, 17, 6], [33, 64, 10], [100, 784, 50],
];

describe('JS backend kernels match the float64 triple loop', () => {
  const be = new JsBackend();
  const rng = new Random(7);
  for (const [M, K, N] of shapes) {
    it(`matmul ${M}×${K}·${K}×${N}, with and without bias`, () => {
      const a = randomArray(rng, M * K), b = randomArray(rng, K * N), bias = randomArray(rng, N);
      const out = be.alloc(M * N);
      be.matmul(out, a, b, M, K, N);
      expectClose(out, reference(a, b, M, K, N, false, false), 'matmul');
      be.matmul(out, a, b, M, K, N, bias);
      const ref = reference(a, b, M, K, N, false, false).map((v, i) => v + bias[i % N]);
      expectClose(out, ref, 'matmul+bias');
    });

    it(`matmulTransA and matmulTransB ${M}, ${K}, ${N}, overwrite and accumulate`, () => {
      // matmulTransA: out[K×N] = a[M×K]ᵀ · b[M×N]
      const a = randomArray(rng, M * K), b = randomArray(rng, M * N);
      const prior = randomArray(rng, K * N);
      const out = Float32Array.from(prior);
      const refA = reference(a, b, K, M, N, true, false);
      be.matmulTransA(out, a, b, M, K, N, false);
      expectClose(out, refA, 'transA');
      out.set(prior);
      be.matmulTransA(out, a, b, M, K, N, true);
      expectClose(out, refA.map((v, i) => v + prior[i]), 'transA accumulate');

      // matmulTransB: out[M×K] = c[M×N] · d[K×N]ᵀ
      const c = randomArray(rng, M * N), d = randomArray(rng, K * N);
      const prior2 = randomArray(rng, M * K);
      const out2 = Float32Array.from(prior2);
      const refB = reference(c, d, M, N, K, false, true);
      be.matmulTransB(out2, c, d, M, K, N, false);
      expectClose(out2, refB, 'transB');
      out2.set(prior2);
      be.matmulTransB(out2, c, d, M, K, N, true);
      expectClose(out2, refB.map((v, i) => v + prior2[i]), 'transB accumulate');
    });
  }

  it('sumRows sums the columns of a matrix, overwriting or accumulating', () => {
    const a = Float32Array.from([1, 2, 3, 4, 5, 6]);
    const out = Float32Array.from([10, 20, 30]);
    be.sumRows(out, a, 2, 3, true);
    expect(Array.from(out)).toEqual([15, 27, 39]);
    be.sumRows(out, a, 2, 3, false);
    expect(Array.from(out)).toEqual([5, 7, 9]);
  });

  it('writes nothing outside the output matrix', () => {
    const M = 5, K = 3, N = 6;
    const big = new Float32Array(M * N + 8).fill(42);
    const out = big.subarray(4, 4 + M * N);
    be.matmul(out, randomArray(rng, M * K), randomArray(rng, K * N), M, K, N);
    expect(Array.from(big.subarray(0, 4))).toEqual([42, 42, 42, 42]);
    expect(Array.from(big.subarray(4 + M * N))).toEqual([42, 42, 42, 42]);
  });
});
