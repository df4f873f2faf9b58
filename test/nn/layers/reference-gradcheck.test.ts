/**
 * The float64 references of the convolution, pooling and batch-normalisation layers
 * (shared/nn/reference.ts) against numerical differentiation: for L = Σ r ⊙ layer(x) with a random
 * r, every analytic ∂L/∂x, ∂L/∂W, ∂L/∂b, ∂L/∂γ, ∂L/∂β is compared with the central difference
 * (L(θ + h) − L(θ − h)) / 2h, h = 1e-5 (float64: errors ~1e-10, bound 1e-6 relative).
 */
import { describe, expect, it } from 'vitest';
import {
  avgPoolBackwardRef, avgPoolForwardRef, batchnormBackwardRef, batchnormForwardRef, conv2dBackwardRef, conv2dForwardRef,
  globalAvgPoolBackwardRef, globalAvgPoolForwardRef, maxPoolBackwardRef, maxPoolForwardRef,
} from '../../../shared/nn/reference.js';
import { poolAxis } from '../../../shared/nn/layers/geometry.js';
import { GEOMETRIES, Random, randomF64 } from './helpers.js';

const H_STEP = 1e-5;

/** L = Σ r·f() */
function dot(r: Float64Array, y: Float64Array): number {
  let s = 0;
  for (let i = 0; i < r.length; i++) s += r[i] * y[i];
  return s;
}

/** Checks analytic[i] against the central difference of loss() in param[i], for every i. */
function checkGradient(param: Float64Array, analytic: Float64Array, loss: () => number, what: string): void {
  expect(analytic.length).toBe(param.length);
  for (let i = 0; i < param.length; i++) {
    const keep = param[i];
    param[i] = keep + H_STEP;
    const up = loss();
    param[i] = keep - H_STEP;
    const down = loss();
    param[i] = keep;
    const numeric = (up - down) / (2 * H_STEP);
    if (!(Math.abs(numeric - analytic[i]) <= 1e-6 * (1 + Math.abs(numeric)))) {
      expect.fail(`${what}[${i}]: backpropagation gives ${analytic[i]}, central difference ${numeric}`);
    }
  }
}

describe('conv2d reference backward matches finite differences', () => {
  it.each(GEOMETRIES)('$label', ({ g }) => {
    const rng = new Random(11);
    const x = randomF64(rng, g.B * g.C * g.H * g.W);
    const W = randomF64(rng, g.OC * g.C * g.k * g.k);
    const b = randomF64(rng, g.OC);
    const r = randomF64(rng, g.B * g.OC * g.OH * g.OW);
    const out = new Float64Array(r.length);
    const loss = () => (conv2dForwardRef(out, x, W, b, g), dot(r, out));
    const dx = new Float64Array(x.length), dW = new Float64Array(W.length), db = new Float64Array(b.length);
    conv2dBackwardRef(dx, dW, db, r, x, W, g);
    checkGradient(x, dx, loss, 'dinp');
    checkGradient(W, dW, loss, 'dW');
    checkGradient(b, db, loss, 'db');
    // Weight gradients accumulate: a second call adds the same again.
    const dW2 = dW.slice();
    conv2dBackwardRef(null, dW2, null, r, x, W, g);
    for (let i = 0; i < dW.length; i++) expect(dW2[i]).toBeCloseTo(2 * dW[i], 12);
  });
});

describe('pooling reference backward matches finite differences', () => {
  const cases = [
    { planes: 1, H: 4, W: 4, size: 2, stride: 2 },
    { planes: 6, H: 7, W: 9, size: 3, stride: 2 }, // overlapping windows, odd sizes floored
    { planes: 5, H: 11, W: 6, size: 2, stride: 1 },
  ];
  it.each(cases)('max pool $size/$stride on $planes planes of $H×$W', ({ planes, H, W, size, stride }) => {
    const rng = new Random(12);
    const OH = poolAxis(H, size, stride), OW = poolAxis(W, size, stride);
    // Distinct values at least 1e-3 apart (a shuffled ramp): no window holds two within the step h.
    const x = Float64Array.from({ length: planes * H * W }, (_, i) => i * 1e-3);
    for (let i = x.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [x[i], x[j]] = [x[j], x[i]];
    }
    const r = randomF64(rng, planes * OH * OW);
    const out = new Float64Array(r.length), arg = new Int32Array(r.length);
    const loss = () => (maxPoolForwardRef(out, arg, x, planes, H, W, size, stride, OH, OW), dot(r, out));
    loss();
    const dx = new Float64Array(x.length);
    maxPoolBackwardRef(dx, r, arg, planes, H, W, OH, OW);
    checkGradient(x, dx, loss, 'dinp');
  });
  it.each(cases)('average pool $size/$stride on $planes planes of $H×$W', ({ planes, H, W, size, stride }) => {
    const rng = new Random(13);
    const OH = poolAxis(H, size, stride), OW = poolAxis(W, size, stride);
    const x = randomF64(rng, planes * H * W);
    const r = randomF64(rng, planes * OH * OW);
    const out = new Float64Array(r.length);
    const loss = () => (avgPoolForwardRef(out, x, planes, H, W, size, stride, OH, OW), dot(r, out));
    const dx = new Float64Array(x.length);
    avgPoolBackwardRef(dx, r, planes, H, W, size, stride, OH, OW);
    checkGradient(x, dx, loss, 'dinp');
  });
  it('global average pool on 3 images × 4 channels of 5×3', () => {
    const rng = new Random(14);
    const planes = 12, HW = 15;
    const x = randomF64(rng, planes * HW), r = randomF64(rng, planes);
    const out = new Float64Array(planes);
    const loss = () => (globalAvgPoolForwardRef(out, x, planes, HW), dot(r, out));
    const dx = new Float64Array(x.length);
    globalAvgPoolBackwardRef(dx, r, planes, HW);
    checkGradient(x, dx, loss, 'dinp');
  });
});

describe('batch normalisation reference backward matches finite differences', () => {
  const cases = [
    { label: 'dense, 5 rows × 3 features', N: 5, C: 3, S: 1 },
    { label: 'per channel, 3 images × 2 channels × 4×5', N: 3, C: 2, S: 20 },
    { label: 'per channel, batch 1 × 3 channels × 3×3', N: 1, C: 3, S: 9 },
  ];
  for (const training of [true, false]) {
    it.each(cases)(`${training ? 'training' : 'evaluation'}: $label`, ({ N, C, S }) => {
      const rng = new Random(15);
      const x = randomF64(rng, N * C * S, -2, 3);
      const gamma = randomF64(rng, C, 0.5, 1.5), beta = randomF64(rng, C);
      const rm = randomF64(rng, C), rv = randomF64(rng, C, 0.5, 2);
      const r = randomF64(rng, x.length);
      const out = new Float64Array(x.length);
      // The running statistics change in a training pass: each evaluation of L starts from the same ones.
      const loss = () => (batchnormForwardRef(out, x, gamma, beta, rm.slice(), rv.slice(), N, C, S, training, 0.9, 1e-5), dot(r, out));
      const dx = new Float64Array(x.length), dg = new Float64Array(C), db = new Float64Array(C);
      batchnormBackwardRef(dx, dg, db, r, x, gamma, rm, rv, N, C, S, training, 1e-5);
      checkGradient(x, dx, loss, 'dinp');
      checkGradient(gamma, dg, loss, 'dgamma');
      checkGradient(beta, db, loss, 'dbeta');
    });
  }

  it('updates the running statistics with momentum and the unbiased batch variance (as PyTorch)', () => {
    // One channel, values 1, 2, 3, 6: mean 3, biased variance 3.5, unbiased 14/3.
    const out = new Float64Array(4), rm = new Float64Array([1]), rv = new Float64Array([2]);
    batchnormForwardRef(out, [1, 2, 3, 6], [1], [0], rm, rv, 4, 1, 1, true, 0.9, 0);
    expect(rm[0]).toBeCloseTo(0.9 * 1 + 0.1 * 3, 12);
    expect(rv[0]).toBeCloseTo(0.9 * 2 + 0.1 * (14 / 3), 12);
    // Normalised with the biased variance: (1 − 3)/√3.5.
    expect(out[0]).toBeCloseTo(-2 / Math.sqrt(3.5), 12);
  });
});
