/**
 * The element-wise kernels against the engine's own definitions: activations (and derivatives)
 * from shared/nn/activations.ts, optimizer updates from shared/nn/optimizers.ts, run side by side
 * for many steps. Float32 tolerances: the kernels compute in float32 (e^x to about 1 ulp), the
 * engine's JavaScript in float64 rounded on store.
 */
import { describe, expect, it } from 'vitest';
import { activation } from '../../../shared/nn/activations.js';
import { JsBackend } from '../../../shared/nn/backend-js.js';
import { createOptimizer } from '../../../shared/nn/optimizers.js';
import { Random } from '../../../shared/nn/random.js';
import type { OptimizerSpec } from '../../../shared/nn/spec.js';
import { oneThread } from './kernels-built.js';

const kernels = oneThread();

/** Inputs covering both branches of every formula, the clamps, and ±0. Length 1003 (a scalar tail). */
function inputs(rng: Random): Float32Array {
  const special = [0, -0, 1e-30, -1e-30, 1e-4, -1e-4, 0.6249, 0.6251, -0.625, 5, -5, 20, -20, 87.5, -87.5, 89, -89, 100, -100, 1e4, -1e4];
  const z = kernels.be.alloc(1003);
  z.set(special);
  for (let i = special.length; i < z.length; i++) z[i] = rng.normal() * (i % 3 === 0 ? 8 : 1.5);
  return z;
}

/** |got − want| ≤ rel·|want| + abs, element by element. */
function expectNear(got: Float32Array, want: Float32Array, rel: number, abs: number, what: string): void {
  for (let i = 0; i < want.length; i++) {
    const bound = rel * Math.abs(want[i]) + abs;
    if (!(Math.abs(got[i] - want[i]) <= bound)) expect.fail(`${what}: element ${i} is ${got[i]}, expected ${want[i]} (±${bound})`);
  }
}

function maxAbs(x: Float32Array): number {
  return x.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
}

describe.each(['sigmoid', 'tanh', 'relu'])('%s', (name) => {
  const act = activation(name);
  const rng = new Random(5);

  it('forward matches the engine', () => {
    const z = inputs(rng);
    const want = new Float32Array(z.length), got = kernels.be.alloc(z.length);
    act.forward(want, z, 1, z.length);
    expect(kernels.be.activationForward(name, got, z, 1, z.length)).toBe(true);
    expectNear(got, want, 4e-7, 1e-37, `${name} forward`);
    if (name === 'tanh') expect(Object.is(got[1], -0) || got[1] === 0).toBe(true);
  });

  it('backward matches the engine, also in place (dz = da)', () => {
    const z = inputs(rng);
    const a = new Float32Array(z.length);
    act.forward(a, z, 1, z.length);
    const da = kernels.be.alloc(z.length);
    for (let i = 0; i < da.length; i++) da[i] = rng.range(-2, 2);
    const want = new Float32Array(z.length);
    act.backward(want, da, z, a, 1, z.length);
    const got = kernels.be.alloc(z.length);
    expect(kernels.be.activationBackward(name, got, da, z, a, z.length)).toBe(true);
    expectNear(got, want, 4e-7, 1e-37, `${name} backward`);
    kernels.be.activationBackward(name, da, da, z, a, z.length);
    expectNear(da, want, 4e-7, 1e-37, `${name} backward in place`);
  });
});

it('computes softmax row by row like the engine, for any row width, and without overflow', () => {
  const rng = new Random(9);
  for (const [rows, cols] of [[1, 1], [3, 2], [7, 10], [5, 13], [2, 4]]) {
    const z = kernels.be.alloc(rows * cols);
    for (let i = 0; i < z.length; i++) z[i] = rng.range(-30, 30);
    z[0] = 1010; // a huge logit: e^(z − max) keeps it finite
    const want = new Float32Array(z.length), got = kernels.be.alloc(z.length);
    activation('softmax').forward(want, z, rows, cols);
    expect(kernels.be.activationForward('softmax', got, z, rows, cols)).toBe(true);
    // z − max is rounded to float32 here (the engine subtracts in float64): at |z − max| ≈ 60 its
    // ulp is 4e-6, which e^x turns into that relative error.
    expectNear(got, want, 1e-5, 1e-37, `softmax ${rows}×${cols}`);
  }
});

it('declines activations it has no kernel for', () => {
  const x = kernels.be.alloc(4);
  expect(kernels.be.activationForward('elu', x, x, 1, 4)).toBe(false);
  expect(kernels.be.activationBackward('elu', x, x, x, x, 4)).toBe(false);
  expect(kernels.be.activationBackward('softmax', x, x, x, x, 4)).toBe(false);
});

describe('optimizer updates', () => {
  // The optimizers with kernels here (momentum and RMSprop run their JavaScript loops on every backend).
  const specs: OptimizerSpec[] = [
    { name: 'sgd', lr: 0.1 },
    { name: 'adam', lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8 },
    { name: 'adamw', lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01 },
  ] as OptimizerSpec[];

  it.each(specs)('$name follows the engine over 50 steps', (spec) => {
    const rng = new Random(11);
    const n = 1001;
    const ref = createOptimizer(spec, n, new JsBackend());
    const wRef = new Float32Array(n).map(() => rng.normal());
    const w = kernels.be.alloc(n);
    w.set(wRef);
    // The engine's own optimizer, which calls Backend.axpy / Backend.adam here.
    const viaEngine = createOptimizer(spec, n, kernels.be);
    const moments = [...viaEngine.moments];
    const g = kernels.be.alloc(n);
    for (let t = 1; t <= 50; t++) {
      for (let i = 0; i < n; i++) g[i] = rng.normal() * (i % 7 === 0 ? 1e-3 : 1);
      ref.update(wRef, g, spec.lr);
      viaEngine.update(w, g, spec.lr);
    }
    // Relative to each buffer's scale: a moment that is a sum of cancelling terms keeps the
    // float32 rounding of its terms, not of its (small) value.
    expectNear(w, wRef, 1e-5, 1e-5 * maxAbs(wRef), `${spec.name} weights`);
    ref.moments.forEach((m, k) => expectNear(moments[k], m, 1e-5, 1e-5 * maxAbs(m), `${spec.name} moment ${k}`));
  });

  it('never leaves optimizer state subnormal (x86 computes on subnormals ~100× slower)', () => {
    // A dead unit: its gradient is 0 from now on, so its moments decay geometrically forever.
    const n = 1001, isSubnormal = (x: number) => x !== 0 && Math.abs(x) < 2 ** -126;
    const adam = createOptimizer({ name: 'adam', lr: 1e-3 } as OptimizerSpec, n, kernels.be);
    const w = kernels.be.alloc(n).fill(0.5), g = kernels.be.alloc(n).fill(1e-3);
    adam.update(w, g, 1e-3);
    g.fill(0);
    for (let t = 0; t < 1500; t++) {
      adam.update(w, g, 1e-3);
      for (const state of adam.moments) if (state.some(isSubnormal)) expect.fail(`a subnormal moment after ${t + 1} steps`);
    }
    expect(adam.moments[0].every((x) => x === 0)).toBe(true); // 0.9^1500 · 1e-4: gone
    const s = kernels.be.alloc(8);
    kernels.be.activationForward('sigmoid', s, new Float32Array([-80, -87, -88, -89, -100, -1e4, -Infinity, 0]), 1, 8);
    expect(Array.from(s).some(isSubnormal)).toBe(false);
  });

  it('updates arrays that live outside its memory (staged in and out)', () => {
    const w = new Float32Array([1, 2, 3, 4, 5]), g = new Float32Array([1, 1, 1, 1, 1]);
    const m = new Float32Array(5), v = new Float32Array(5);
    // Step 1 with lr 0.1: stepSize = 0.1/(1−0.9), invSqrtBc2 = 1/√(1−0.999), no decay.
    kernels.be.adam(w, g, m, v, 5, 0.9, 0.999, 1e-8, 0.1 / 0.1, 1 / Math.sqrt(0.001), 1, 1);
    expectNear(w, new Float32Array([0.9, 1.9, 2.9, 3.9, 4.9]), 1e-6, 1e-6, 'adam step 1 moves every weight by lr');
    expectNear(m, new Float32Array(5).fill(0.1), 1e-6, 0, 'm');
    expectNear(v, new Float32Array(5).fill(0.001), 1e-5, 0, 'v');
  });
});
