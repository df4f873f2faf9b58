/**
 * The engine's convolution, pooling and batch-normalisation layers (float32, on a backend) against
 * the float64 references (shared/nn/reference.ts), on the JavaScript backend and on the
 * WebAssembly backend with one thread and with two (every product shared, adaptive off); the two
 * WebAssembly runs must agree bit for bit (each output element is computed by one thread in one order).
 */
import { describe, expect, it } from 'vitest';
import { activation } from '../../../shared/nn/activations.js';
import type { Backend } from '../../../shared/nn/backend.js';
import { JsBackend } from '../../../shared/nn/backend-js.js';
import { conv2dBackward, conv2dForward, conv2dScratch } from '../../../shared/nn/layers/conv2d.js';
import { convGeometry, poolAxis, type ConvGeometry } from '../../../shared/nn/layers/geometry.js';
import { maxPoolBackward, maxPoolForward, avgPoolBackward, avgPoolForward, globalAvgPoolBackward, globalAvgPoolForward } from '../../../shared/nn/layers/pool.js';
import { batchnormBackward, batchnormForward } from '../../../shared/nn/layers/batchnorm.js';
import {
  avgPoolBackwardRef, avgPoolForwardRef, batchnormBackwardRef, batchnormForwardRef, conv2dBackwardRef, conv2dForwardRef,
  globalAvgPoolBackwardRef, globalAvgPoolForwardRef, maxPoolBackwardRef, maxPoolForwardRef,
} from '../../../shared/nn/reference.js';
import { oneAndTwoThreads } from '../wasm/kernels-built.js';
import { BIG_GEOMETRIES, GEOMETRIES, Random, expectClose, expectIdentical, expectWithinSum, fill } from './helpers.js';

const abs = (x: ArrayLike<number>) => Float64Array.from(x, Math.abs);

interface ConvRun {
  out: Float32Array;
  dinp: Float32Array;
  dW: Float32Array;
  db: Float32Array;
}

/** Runs the layer on `be` with inputs from seed; dW and db start at 0.5 (they accumulate). */
function runConv(be: Backend, g: ConvGeometry, seed: number): ConvRun & { x: Float32Array; W: Float32Array; b: Float32Array; dout: Float32Array } {
  const rng = new Random(seed);
  const x = fill(rng, be.alloc(g.B * g.C * g.H * g.W));
  const W = fill(rng, be.alloc(g.OC * g.C * g.k * g.k));
  const b = fill(rng, be.alloc(g.OC));
  const dout = fill(rng, be.alloc(g.B * g.OC * g.OH * g.OW));
  const scratch = conv2dScratch(g, be);
  const col = be.alloc(scratch.col), dcol = be.alloc(scratch.dcol);
  const out = be.alloc(dout.length);
  conv2dForward(be, out, col, x, W, b, g);
  const dinp = be.alloc(x.length).fill(7); // overwritten
  const dW = be.alloc(W.length).fill(0.5), db = be.alloc(b.length).fill(0.5);
  conv2dBackward(be, dinp, dW, db, dcol, dout, col, x, W, g);
  return { x, W, b, dout, out, dinp, dW, db };
}

/** Checks one run against the reference, within the float32 bound of each sum. */
function checkConv(run: ReturnType<typeof runConv>, g: ConvGeometry): void {
  const { x, W, b, dout } = run;
  const out = new Float64Array(dout.length), mag = new Float64Array(dout.length);
  conv2dForwardRef(out, x, W, b, g);
  conv2dForwardRef(mag, abs(x), abs(W), abs(b), g);
  const R = g.C * g.k * g.k;
  expectWithinSum(run.out, out, mag, R + 1, 'out');
  const dinp = new Float64Array(x.length), dW = new Float64Array(W.length).fill(0.5), db = new Float64Array(b.length).fill(0.5);
  const mdinp = new Float64Array(x.length), mdW = new Float64Array(W.length).fill(0.5), mdb = new Float64Array(b.length).fill(0.5);
  conv2dBackwardRef(dinp, dW, db, dout, x, W, g);
  conv2dBackwardRef(mdinp, mdW, mdb, abs(dout), abs(x), abs(W), g);
  const P = g.OH * g.OW;
  expectWithinSum(run.dW, dW, mdW, g.B * P + 1, 'dW');
  expectWithinSum(run.db, db, mdb, g.B * P + 1, 'db');
  expectWithinSum(run.dinp, dinp, mdinp, g.OC * g.k * g.k + 1, 'dinp');
}

describe('conv2d on the JavaScript backend against the reference', () => {
  it.each([...GEOMETRIES, ...BIG_GEOMETRIES])('$label', ({ g }) => checkConv(runConv(new JsBackend(), g, 21), g));

  it('skips the input gradient of a first layer and leaves the rest as with it', () => {
    const be = new JsBackend();
    const g = GEOMETRIES[1].g;
    const full = runConv(be, g, 22);
    const col = be.alloc(conv2dScratch(g).col);
    conv2dForward(be, be.alloc(full.out.length), col, full.x, full.W, full.b, g);
    const dW = be.alloc(full.W.length).fill(0.5), db = be.alloc(full.b.length).fill(0.5);
    conv2dBackward(be, null, dW, db, be.alloc(0), full.dout, col, full.x, full.W, g);
    expectIdentical(dW, full.dW, 'dW');
    expectIdentical(db, full.db, 'db');
  });
});

describe('conv2d on the WebAssembly backend: the reference, and 1 thread = 2 threads bit for bit', () => {
  const kernels = oneAndTwoThreads();
  it.each([...GEOMETRIES, ...BIG_GEOMETRIES])('$label', ({ g }) => {
    const one = runConv(kernels.one, g, 23);
    checkConv(one, g);
    const two = runConv(kernels.two, g, 23);
    for (const k of ['out', 'dinp', 'dW', 'db'] as const) expectIdentical(two[k], one[k], k);
  });
  it('the two-thread backend really shared the work', () => {
    const before = kernels.two.helperUnits;
    // Images are the units: enough of them (each ~0.1 ms) that a helper woken late still finds some.
    const g = convGeometry(24, 32, 13, 13, 64, 3);
    checkConv(runConv(kernels.two, g, 24), g);
    expect(kernels.two.helperUnits).toBeGreaterThan(before);
  });
});

describe('conv2d with its activation fused (the WebAssembly backend writes f(z) in place of z)', () => {
  const kernels = oneAndTwoThreads();
  const cases = ['relu', 'sigmoid', 'tanh', 'identity'].flatMap((name) => [GEOMETRIES[3], GEOMETRIES[1], BIG_GEOMETRIES[0]].map((c) => ({ name, ...c })));
  it.each(cases)('$name: $label', ({ name, g }) => {
    const f = activation(name);
    const runs = [kernels.one, kernels.two].map((be) => {
      const rng = new Random(25);
      const x = fill(rng, be.alloc(g.B * g.C * g.H * g.W)), W = fill(rng, be.alloc(g.OC * g.C * g.k * g.k)), b = fill(rng, be.alloc(g.OC));
      const z = be.alloc(g.B * g.OC * g.OH * g.OW), a = be.alloc(z.length);
      expect(conv2dForward(be, z, be.alloc(0), x, W, b, g, { out: a, name })).toBe(true);
      return { x, W, b, a };
    });
    const { x, W, b, a } = runs[0];
    const want = new Float64Array(a.length);
    conv2dForwardRef(want, x, W, b, g);
    expectClose(a, want.map((v) => f.f(v)), 1e-5, name);
    expectIdentical(runs[1].a, a, 'two threads');
  });
  it('the JavaScript backend leaves the activation to the caller', () => {
    const be = new JsBackend(), g = GEOMETRIES[1].g;
    const a = be.alloc(g.B * g.OC * g.OH * g.OW).fill(3);
    const col = be.alloc(conv2dScratch(g, be).col);
    expect(conv2dForward(be, be.alloc(a.length), col, be.alloc(g.B * g.C * g.H * g.W), be.alloc(g.OC * g.C * g.k * g.k), null, g, { out: a, name: 'relu' })).toBe(false);
    expect(a.every((v) => v === 3)).toBe(true);
  });
});

const POOLS = [
  { planes: 1, H: 4, W: 4, size: 2, stride: 2 },
  { planes: 15, H: 7, W: 9, size: 3, stride: 2 },
  { planes: 7, H: 11, W: 6, size: 2, stride: 1 },
  { planes: 33, H: 26, W: 26, size: 2, stride: 2 },
  { planes: 9, H: 13, W: 11, size: 2, stride: 2 }, // odd sizes: the last row and column are dropped
  { planes: 70, H: 28, W: 28, size: 2, stride: 2 }, // lenet's: several units of planes for the threads
  { planes: 5, H: 3, W: 17, size: 2, stride: 2 }, // one output row, vector windows and a scalar tail
];

function poolInput(be: Backend, n: number, seed: number, ties: boolean): Float32Array {
  const rng = new Random(seed);
  const x = fill(rng, be.alloc(n));
  // After a ReLU many window values are exactly 0: ties, which the first maximum must win everywhere.
  if (ties) for (let i = 0; i < n; i++) x[i] = Math.max(0, x[i]);
  return x;
}

describe.each([
  { label: 'JavaScript backend', make: () => ({ be: new JsBackend() as Backend }) },
  { label: 'WebAssembly, 1 and 2 threads', make: null },
])('pooling on the $label against the reference', ({ make }) => {
  const kernels = make ? make() : oneAndTwoThreads();
  const backends = (): Backend[] => ('be' in kernels ? [kernels.be] : [kernels.one, kernels.two]);
  it.each(POOLS)('max pool $size/$stride on $planes planes of $H×$W (with ties)', ({ planes, H, W, size, stride }) => {
    const OH = poolAxis(H, size, stride), OW = poolAxis(W, size, stride);
    const results: Float32Array[] = [];
    for (const be of backends()) {
      for (const ties of [false, true]) {
        const x = poolInput(be, planes * H * W, 31, ties);
        const dout = fill(new Random(32), be.alloc(planes * OH * OW));
        const out = be.alloc(dout.length), arg = new Int32Array(dout.length);
        maxPoolForward(be, out, arg, x, planes, H, W, size, stride, OH, OW);
        const wantOut = new Float64Array(out.length), wantArg = new Int32Array(out.length);
        maxPoolForwardRef(wantOut, wantArg, x, planes, H, W, size, stride, OH, OW);
        expectIdentical(out, Float32Array.from(wantOut), 'out'); // a maximum is exact
        expectIdentical(arg, wantArg, 'argmax');
        const dinp = be.alloc(x.length).fill(3);
        maxPoolBackward(be, dinp, dout, arg, planes, H, W, OH, OW);
        const want = new Float64Array(x.length);
        maxPoolBackwardRef(want, dout, wantArg, planes, H, W, OH, OW);
        expectClose(dinp, want, 1e-6, 'dinp');
        // Gated by the pool's own output (a ReLU before it): the reference's routing of dout ⊙ [out > 0].
        const gated = be.alloc(x.length).fill(3);
        maxPoolBackward(be, gated, dout, arg, planes, H, W, OH, OW, out);
        const wantGated = new Float64Array(x.length);
        maxPoolBackwardRef(wantGated, dout.map((d, o) => (wantOut[o] > 0 ? d : 0)), wantArg, planes, H, W, OH, OW);
        expectClose(gated, wantGated, 1e-6, 'dinp gated');
        // With ReLU'd inputs a window of zeros (1 in 16 for 2×2) closes its gate: the big cases have many.
        if (ties && out.length > 1000) expect(wantGated.some((v, i) => v !== want[i])).toBe(true);
        results.push(out, dinp, gated);
      }
    }
    if (results.length === 12) for (let i = 0; i < 6; i++) expectIdentical(results[6 + i], results[i], 'two threads');
  });
  it.each(POOLS)('average pool $size/$stride on $planes planes of $H×$W', ({ planes, H, W, size, stride }) => {
    const OH = poolAxis(H, size, stride), OW = poolAxis(W, size, stride);
    const x = poolInput(new JsBackend(), planes * H * W, 33, false);
    const dout = fill(new Random(34), new Float32Array(planes * OH * OW));
    const out = new Float32Array(dout.length), dinp = new Float32Array(x.length).fill(3);
    avgPoolForward(out, x, planes, H, W, size, stride, OH, OW);
    avgPoolBackward(dinp, dout, planes, H, W, size, stride, OH, OW);
    const wantOut = new Float64Array(out.length), want = new Float64Array(x.length);
    avgPoolForwardRef(wantOut, x, planes, H, W, size, stride, OH, OW);
    avgPoolBackwardRef(want, dout, planes, H, W, size, stride, OH, OW);
    expectClose(out, wantOut, 1e-6, 'out');
    expectClose(dinp, want, 1e-6, 'dinp');
  });
});

describe('global average pooling against the reference', () => {
  it('3 images × 5 channels of 7×9', () => {
    const planes = 15, HW = 63;
    const rng = new Random(35);
    const x = fill(rng, new Float32Array(planes * HW)), dout = fill(rng, new Float32Array(planes));
    const out = new Float32Array(planes), dinp = new Float32Array(x.length);
    globalAvgPoolForward(out, x, planes, HW);
    globalAvgPoolBackward(dinp, dout, planes, HW);
    const wantOut = new Float64Array(planes), want = new Float64Array(x.length);
    globalAvgPoolForwardRef(wantOut, x, planes, HW);
    globalAvgPoolBackwardRef(want, dout, planes, HW);
    expectClose(out, wantOut, 1e-6, 'out');
    expectClose(dinp, want, 1e-6, 'dinp');
  });
});

describe('batch normalisation against the reference', () => {
  const cases = [
    { label: 'dense, 7 rows × 5 features', N: 7, C: 5, S: 1 },
    { label: 'per channel, 3 images × 3 channels × 5×7', N: 3, C: 3, S: 35 },
    { label: 'per channel, batch 1 × 4 channels × 6×6', N: 1, C: 4, S: 36 },
    { label: 'dense, batch 1 (running variance kept)', N: 1, C: 3, S: 1 },
  ];
  for (const training of [true, false]) {
    it.each(cases)(`${training ? 'training' : 'evaluation'}: $label`, ({ N, C, S }) => {
      const rng = new Random(36);
      const n = N * C * S;
      const x = fill(rng, new Float32Array(n), -2, 5);
      const gamma = fill(rng, new Float32Array(C), 0.5, 1.5), beta = fill(rng, new Float32Array(C));
      const rm = fill(rng, new Float32Array(C)), rv = fill(rng, new Float32Array(C), 0.5, 2);
      const dout = fill(rng, new Float32Array(n));
      const rm64 = Float64Array.from(rm), rv64 = Float64Array.from(rv);
      const cache = { xhat: new Float32Array(n), invStd: new Float32Array(C) };
      const out = new Float32Array(n);
      batchnormForward(out, cache, x, gamma, beta, rm, rv, N, C, S, training, 0.9, 1e-5);
      const dinp = new Float32Array(n), dg = new Float32Array(C).fill(0.25), db = new Float32Array(C).fill(0.25);
      batchnormBackward(dinp, dg, db, dout, cache, gamma, N, C, S, training);
      const wantOut = new Float64Array(n), want = new Float64Array(n);
      const wdg = new Float64Array(C).fill(0.25), wdb = new Float64Array(C).fill(0.25);
      // The reference's backward reads the statistics the forward pass used: the running ones from before it.
      batchnormBackwardRef(want, wdg, wdb, dout, x, gamma, rm64.slice(), rv64.slice(), N, C, S, training, 1e-5);
      batchnormForwardRef(wantOut, x, gamma, beta, rm64, rv64, N, C, S, training, 0.9, 1e-5);
      expectClose(out, wantOut, 2e-5, 'out');
      expectClose(rm, rm64, 1e-6, 'running mean');
      expectClose(rv, rv64, 1e-6, 'running variance');
      expectClose(dinp, want, 2e-4, 'dinp');
      expectClose(dg, wdg, 1e-4, 'dgamma');
      expectClose(db, wdb, 1e-5, 'dbeta');
    });
  }
});
