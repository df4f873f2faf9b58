/**
 * The float64 reference network (reference.ts) as the oracle of the engine's float32 passes:
 * the naive product by hand, and a training pass with dropout (the engine's own mask handed to
 * the reference) matching outputs and every gradient.
 */
import { describe, expect, it } from 'vitest';
import { DensePasses } from '../../shared/nn/plans/dense-passes.js';
import {
  denseBackwardNaive, gradientCheckSpec, inferShapes, initWeights, matmulNaive, Model, modelLayout, parseModelSpec, Random, ReferenceModel,
  shapeSize, weightFans,
} from '../../shared/nn/index.js';

describe('reference.ts', () => {
  it('matmulNaive is the textbook product, with either operand transposed', () => {
    const a = [1, 2, 3, 4, 5, 6]; // 2×3
    const b = [7, 8, 9, 10, 11, 12]; // 3×2
    const out = new Float64Array(4);
    matmulNaive(out, a, b, 2, 3, 2);
    expect(Array.from(out)).toEqual([58, 64, 139, 154]);
    matmulNaive(out, [1, 4, 2, 5, 3, 6], [7, 9, 11, 8, 10, 12], 2, 3, 2, true, true); // the same, stored transposed
    expect(Array.from(out)).toEqual([58, 64, 139, 154]);
  });

  it('denseBackwardNaive: ∂X = δ·Wᵀ, ∂W = Xᵀ·δ, ∂b = Σ_rows δ (worked by hand)', () => {
    const dx = new Float64Array(2), dw = new Float64Array(2), db = new Float64Array(1);
    // one row x = [2, 3], W = [[4], [5]], δ = [0.5]
    denseBackwardNaive(dx, dw, db, [0.5], [2, 3], [4, 5], 1, 2, 1);
    expect([Array.from(dx), Array.from(dw), Array.from(db)]).toEqual([[2, 2.5], [1, 1.5], [0.5]]);
  });

  it('a training pass with dropout: the engine and the reference given its mask agree on outputs and gradients', () => {
    const model = Model.create({
      version: 2, input: [5], loss: 'categorical-crossentropy', task: 'classification',
      layers: [{ type: 'dense', units: 7, activation: 'tanh' }, { type: 'dropout', rate: 0.4 }, { type: 'dense', units: 3, activation: 'softmax' }],
    }, { seed: 4 });
    const rows = 6, rng = new Random(9);
    const x = Float32Array.from({ length: rows * 5 }, () => rng.range(-1, 1));
    const t = Float32Array.from({ length: rows * 3 }, (_, k) => (k % 3 === Math.floor(k / 3) % 3 ? 1 : 0));
    const passes = new DensePasses(model, rows, null); // the dense stack's own dropout, whose mask it keeps
    const grads = model.viewsOf(new Float32Array(model.paramCount));
    const out = passes.forward(x, rows, true, new Random(3));
    passes.backward(t, grads.flat, true);
    const mask = passes.mask[0]!.subarray(0, rows * 7);
    expect(mask.some((m) => m === 0)).toBe(true); // the mask dropped something: the test exercises dropout

    const ref = new ReferenceModel(model.spec, { masks: new Map([[1, mask]]) });
    const pass = ref.forward(model.params, x, t, rows);
    const refGrads = ref.backward(model.params, pass, t, rows);
    const y = pass.outputs[2];
    for (let k = 0; k < y.length; k++) expect(out[k]).toBeCloseTo(y[k], 5);
    for (let k = 0; k < model.paramCount; k++) expect(Math.abs(grads.flat[k] - refGrads[k])).toBeLessThan(1e-5 * (1 + Math.abs(refGrads[k])));
    // Without the mask (evaluation) the reference's outputs differ: the mask mattered.
    const evaluation = new ReferenceModel(model.spec).forward(model.params, x, t, rows).outputs[2];
    expect(evaluation.some((v, k) => Math.abs(v - y[k]) > 1e-3)).toBe(true);
  });
});

describe('gradient check of the reference network itself (layers the float32 model does not run yet)', () => {
  const rng = new Random(21);
  const rows = 5;
  const random = (n: number, scale = 1) => Float64Array.from({ length: n }, () => scale * rng.range(-1, 1));

  it.each([
    { why: 'flatten and standalone activation layers on an image input, softmax as its own output layer', loss: 'categorical-crossentropy' as const,
      layers: [{ type: 'flatten' }, { type: 'dense', units: 4, activation: 'identity' }, { type: 'activation', activation: 'elu' },
        { type: 'dense', units: 3, activation: 'identity' }, { type: 'activation', activation: 'softmax' }] },
    { why: 'the implied flatten, sigmoid activation layer, mse', loss: 'mse' as const,
      layers: [{ type: 'dense', units: 5, activation: 'tanh' }, { type: 'dropout', rate: 0.3 }, { type: 'dense', units: 3, activation: 'identity' },
        { type: 'activation', activation: 'sigmoid' }] },
  ] as const)('$why', ({ loss, layers }) => {
    const spec = parseModelSpec({ version: 2, input: [2, 3, 2], layers, loss, task: 'classification' });
    const count = modelLayout(spec).paramCount;
    const t = Float64Array.from({ length: rows * 3 }, (_, k) => (k % 3 === Math.floor(k / 3) % 3 ? 1 : 0));
    const result = gradientCheckSpec(spec, random(count, 0.8), random(rows * 12), t, rows, { l2: 0.01 });
    expect(result.tensors.map((c) => `${c.tensor}${c.layer}`)).toEqual(layers.flatMap((l, i) => (l.type === 'dense' ? [`W${i}`, `b${i}`] : [])));
    expect(result.maxRelError).toBeLessThan(1e-6);
    expect(result.ok).toBe(true);
  });
});

describe('initialisers for conv kernels', () => {
  it('count fan-in C·k·k and fan-out OC·k·k: He normal on 16×8×3×3 has std √(2/72)', () => {
    const shape = [16, 8, 3, 3];
    const { fanIn, fanOut } = weightFans(shape);
    expect([fanIn, fanOut]).toEqual([72, 144]);
    const n = 16 * 8 * 9;
    const w = new Float32Array(n + 5).fill(7);
    initWeights(w, fanIn, fanOut, { name: 'he-normal' }, new Random(1), n);
    let s2 = 0;
    for (let k = 0; k < n; k++) s2 += w[k] * w[k];
    expect(Math.sqrt(s2 / n)).toBeCloseTo(Math.sqrt(2 / 72), 2);
    expect(Array.from(w.subarray(n))).toEqual([7, 7, 7, 7, 7]); // exactly n values written
  });
});

describe('gradient check of every layer type in a whole network (odd sizes, stride 2, same padding, non-square, 3 channels)', () => {
  const rng = new Random(33);
  const random = (n: number, scale = 1) => Float64Array.from({ length: n }, () => scale * rng.range(-1, 1));
  const oneHot = (rows: number, classes: number) => Float64Array.from({ length: rows * classes }, (_, k) => (k % classes === Math.floor(k / classes) % classes ? 1 : 0));

  it.each([
    { why: 'conv same/2 → batchnorm → tanh → conv valid → maxpool 2/1 → flatten → dropout → dense softmax', input: [3, 7, 6], training: true,
      layers: [{ type: 'conv2d', filters: 4, kernel: 3, stride: 2, padding: 'same', activation: 'identity' }, { type: 'batchnorm', momentum: 0.8 },
        { type: 'activation', activation: 'tanh' }, { type: 'conv2d', filters: 3, kernel: 2, activation: 'sigmoid' },
        { type: 'maxpool2d', size: 2, stride: 1 }, { type: 'flatten' }, { type: 'dropout', rate: 0.2 }, { type: 'dense', units: 3, activation: 'softmax' }],
      shapes: [[4, 4, 3], [4, 4, 3], [4, 4, 3], [3, 3, 2], [3, 2, 1], [6], [6], [3]] },
    { why: 'conv same relu → avgpool 2 → batchnorm (evaluation: running statistics) → 1×1 conv → globalavgpool → softmax', input: [3, 6, 5], training: false,
      layers: [{ type: 'conv2d', filters: 5, kernel: 3, padding: 'same', activation: 'elu' }, { type: 'avgpool2d', size: 2 }, { type: 'batchnorm' },
        { type: 'conv2d', filters: 3, kernel: 1 }, { type: 'globalavgpool' }, { type: 'activation', activation: 'softmax' }],
      shapes: [[5, 6, 5], [5, 3, 2], [5, 3, 2], [3, 3, 2], [3], [3]] },
    { why: 'dense → batchnorm per feature (training) → relu → dense softmax', input: [5], training: true,
      layers: [{ type: 'dense', units: 6, activation: 'identity' }, { type: 'batchnorm' }, { type: 'activation', activation: 'relu' }, { type: 'dense', units: 3, activation: 'softmax' }],
      shapes: [[6], [6], [6], [3]] },
  ] as const)('$why', ({ input, layers, shapes, training }) => {
    const rows = 4;
    const spec = parseModelSpec({ version: 2, input, layers, loss: 'categorical-crossentropy', task: 'classification' });
    expect(inferShapes(spec)).toEqual(shapes);
    const layout = modelLayout(spec);
    const params = random(layout.paramCount, 0.7);
    // γ near 1 as after initialisation, so no unit is switched off.
    for (const l of layout.layers) for (const slot of l.params) if (slot.name === 'gamma') for (let k = 0; k < slot.size; k++) params[slot.offset + k] = 1 + 0.3 * rng.range(-1, 1);
    const result = gradientCheckSpec(spec, params, random(rows * shapeSize(input)), oneHot(rows, 3), rows, { training, l2: 0.01 });
    const expected = layers.flatMap((l, i) => (l.type === 'dense' || l.type === 'conv2d' ? [`W${i}`, `b${i}`] : l.type === 'batchnorm' ? [`gamma${i}`, `beta${i}`] : []));
    expect(result.tensors.map((c) => `${c.tensor}${c.layer}`)).toEqual(expected);
    for (const c of result.tensors) expect(c.checked, `${c.tensor}${c.layer}`).toBeGreaterThan(0);
    expect(result.maxRelError).toBeLessThan(1e-5);
  });

  it('a training pass updates batchnorm\'s running statistics as momentum·running + (1 − momentum)·batch (variance unbiased)', () => {
    const spec = parseModelSpec({ version: 2, input: [2], layers: [{ type: 'batchnorm', momentum: 0.75 }, { type: 'dense', units: 1, activation: 'identity' }], loss: 'mse', task: 'regression' });
    const ref = new ReferenceModel(spec, { training: true });
    const state = Float64Array.from([0, 0, 1, 1]); // mean[2], var[2]
    // rows [1, 0] and [3, 0]: feature 0 has mean 2 and unbiased variance 2, feature 1 mean 0 and variance 0
    ref.forward([1, 1, 0, 0, 1, 0, 0], [1, 0, 3, 0], [0, 0], 2, state); // params: γ[2], β[2], W[2×1], b[1]
    expect(Array.from(state)).toEqual([0.25 * 2, 0, 0.75 + 0.25 * 2, 0.75]);
  });
});
