/** Shared by the layer tests: random tensors, float32-vs-float64 comparisons, the geometries tested. */
import { expect } from 'vitest';
import { Random } from '../../../shared/nn/random.js';
import { convGeometry, type ConvGeometry } from '../../../shared/nn/layers/geometry.js';

/** Fills x with uniform values in [lo, hi). */
export function fill<T extends Float32Array | Float64Array>(rng: Random, x: T, lo = -1, hi = 1): T {
  for (let i = 0; i < x.length; i++) x[i] = rng.range(lo, hi);
  return x;
}

export function randomF64(rng: Random, n: number, lo = -1, hi = 1): Float64Array {
  return fill(rng, new Float64Array(n), lo, hi);
}

/**
 * Asserts got ≈ want where want is exact (float64) and magnitude[i] bounds Σ|terms| of element i:
 * float32 arithmetic over `terms` terms errs by at most about terms·2⁻²³·Σ|terms| (doubled: any order, fused or not).
 */
export function expectWithinSum(got: ArrayLike<number>, want: ArrayLike<number>, magnitude: ArrayLike<number>, terms: number, what: string): void {
  expect(got.length).toBeGreaterThanOrEqual(want.length);
  const gamma = 2 * (terms + 2) * 2 ** -23;
  for (let i = 0; i < want.length; i++) {
    const bound = gamma * (magnitude[i] + Math.abs(want[i])) + 1e-30;
    if (!(Math.abs(got[i] - want[i]) <= bound)) expect.fail(`${what}: element ${i} is ${got[i]}, expected ${want[i]} (±${bound.toExponential(2)})`);
  }
}

/** Asserts |got − want| ≤ tol·(1 + |want|) everywhere. */
export function expectClose(got: ArrayLike<number>, want: ArrayLike<number>, tol: number, what: string): void {
  for (let i = 0; i < want.length; i++) {
    if (!(Math.abs(got[i] - want[i]) <= tol * (1 + Math.abs(want[i])))) expect.fail(`${what}: element ${i} is ${got[i]}, expected ${want[i]}`);
  }
}

/** Asserts two float32 arrays hold the same bits. */
export function expectIdentical(a: Float32Array | Int32Array, b: Float32Array | Int32Array, what: string): void {
  expect(a.length, what).toBe(b.length);
  for (let i = 0; i < a.length; i++) {
    if (!Object.is(a[i], b[i])) expect.fail(`${what}: element ${i} differs: ${a[i]} vs ${b[i]}`);
  }
}

/**
 * Convolutions covering the cases that go wrong: batch 1 and odd batches, 1 and 3 input
 * channels, odd and non-square images, stride 2 and 3, `same` padding with an even kernel (the odd
 * pad row at the bottom), 1×1 kernels, and sizes whose products are not multiples of the GEMM tiles.
 */
export const GEOMETRIES: Array<{ label: string; g: ConvGeometry }> = [
  { label: 'batch 1, 1 channel, 5×5, 3×3 valid', g: convGeometry(1, 1, 5, 5, 1, 3) },
  { label: 'batch 3, 3 channels, 7×9, 3×3 stride 2 same', g: convGeometry(3, 3, 7, 9, 5, 3, 2, 'same') },
  { label: 'batch 2, 3 channels, 8×6, 4×4 stride 2 same', g: convGeometry(2, 3, 8, 6, 4, 4, 2, 'same') },
  { label: 'batch 5, 2 channels, 11×7, 5×5 same', g: convGeometry(5, 2, 11, 7, 7, 5, 1, 'same') },
  { label: 'batch 3, 3 channels, 9×12, 1×1', g: convGeometry(3, 3, 9, 12, 6, 1) },
  { label: 'batch 1, 4 channels, 6×13, 3×3 stride 3 valid', g: convGeometry(1, 4, 6, 13, 9, 3, 3) },
  { label: 'batch 7, 3 channels, 10×10, 2×2 stride 2 valid', g: convGeometry(7, 3, 10, 10, 3, 2, 2) },
  { label: 'batch 3, 3 channels, 6×9, 3×3 stride 2 same (pad 0 top, 1 left)', g: convGeometry(3, 3, 6, 9, 4, 3, 2, 'same') },
  // More images than the WebAssembly filter gradient's 8 groups: 3 per group, the last group alone.
  { label: 'batch 19, 2 channels, 9×8, 3×3 same', g: convGeometry(19, 2, 9, 8, 5, 3, 1, 'same') },
];

/** Bigger convolutions, whose products the two-thread backend shares (lenet's and cnn's shapes, few images). */
export const BIG_GEOMETRIES: Array<{ label: string; g: ConvGeometry }> = [
  { label: 'lenet conv 1 (6@5×5 same), batch 3', g: convGeometry(3, 1, 28, 28, 6, 5, 1, 'same') },
  { label: 'cnn conv 2 (64@3×3 on 32×13×13), batch 3', g: convGeometry(3, 32, 13, 13, 64, 3) },
  { label: '3 channels 17×23, 16@3×3 stride 2 same, batch 5', g: convGeometry(5, 3, 17, 23, 16, 3, 2, 'same') },
];

export { Random };
