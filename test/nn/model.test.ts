/** Model specs, weight layout, initialisers, serialisation and step inspection. */
import { describe, expect, it } from 'vitest';
import {
  captureStep, decodeWeights, layerActivations, encodeWeights, initWeights, loadModel, Model, outputLayerFor, paramLayout,
  parseModelSpec, Random, saveModel, SpecError, Trainer, circles, type ModelSpecInput,
} from '../../shared/nn/index.js';

const spec: ModelSpecInput = {
  inputs: 3,
  layers: [{ units: 4, activation: 'relu' }, { units: 2, activation: 'tanh', bias: false }, { units: 3, activation: 'softmax' }],
  loss: 'categorical-crossentropy',
  task: 'classification',
  labels: ['a', 'b', 'c'],
};

describe('model spec', () => {
  it('fills defaults and is plain JSON', () => {
    const parsed = parseModelSpec(spec);
    expect(parsed.kind).toBe('mlp');
    expect(parsed.layers[0]).toEqual({ type: 'dense', units: 4, activation: 'relu', bias: true });
    expect(JSON.parse(JSON.stringify(parsed))).toEqual(parsed);
  });

  it('names the field that is wrong', () => {
    const refuse = (s: unknown) => { try { parseModelSpec(s); } catch (e) { return (e as SpecError).message; } return 'accepted'; };
    expect(refuse({ ...spec, layers: [{ units: 0, activation: 'relu' }] })).toMatch(/^model spec, layers\.0\.units: /);
    expect(refuse({ ...spec, layers: [{ units: 2, activation: 'swish' }] })).toMatch(/^model spec, layers\.0\.activation: /);
    expect(refuse({ ...spec, loss: 'categorical-crossentropy', layers: [{ units: 3, activation: 'identity' }] }))
      .toMatch(/^model spec, loss: categorical-crossentropy needs probabilities out of the network, so the output layer's activation must be 'sigmoid' or 'softmax', not 'identity'/);
    expect(refuse({ ...spec, layers: [{ units: 1, activation: 'softmax' }] })).toMatch(/softmax over 1 unit is always 1/);
    expect(refuse({ ...spec, labels: ['a', 'b'] })).toMatch(/^model spec, labels: 2 class labels for 3 outputs/);
  });

  it('suggests the output layer a task wants', () => {
    expect(outputLayerFor('regression', 2)).toEqual({ units: 2, activation: 'identity', loss: 'mse' });
    expect(outputLayerFor('classification', 2)).toEqual({ units: 1, activation: 'sigmoid', loss: 'binary-crossentropy' });
    expect(outputLayerFor('classification', 5)).toEqual({ units: 5, activation: 'softmax', loss: 'categorical-crossentropy' });
  });
});

describe('weights: one flat buffer, per-layer views', () => {
  it('lays out W[in×out] then b[out] per layer', () => {
    const { layers, count } = paramLayout(parseModelSpec(spec));
    expect(layers).toEqual([
      { inputs: 3, units: 4, wOffset: 0, bOffset: 12 },
      { inputs: 4, units: 2, wOffset: 16, bOffset: -1 },
      { inputs: 2, units: 3, wOffset: 24, bOffset: 30 },
    ]);
    expect(count).toBe(33);
    const model = Model.create(spec);
    expect(model.paramCount).toBe(33);
    const w = model.weights(2);
    expect(w).toMatchObject({ inputs: 2, units: 3, activation: 'softmax' });
    expect(w.W.buffer).toBe(model.params.buffer); // a view, not a copy
    expect(w.W.byteOffset).toBe(24 * 4);
    expect(model.weights(1).b).toBeNull();
  });

  it('initialisers have the spread their formulas promise, and biases start at 0', () => {
    const rng = new Random(9);
    const w = new Float32Array(200 * 100);
    const std = () => Math.sqrt(w.reduce((s, v) => s + v * v, 0) / w.length);
    initWeights(w, 200, 100, { name: 'normal', std: 0.01 }, rng);
    expect(std()).toBeCloseTo(0.01, 3);
    initWeights(w, 200, 100, { name: 'he-normal' }, rng);
    expect(std()).toBeCloseTo(Math.sqrt(2 / 200), 2);
    initWeights(w, 200, 100, { name: 'xavier-normal' }, rng);
    expect(std()).toBeCloseTo(Math.sqrt(2 / 300), 2);
    initWeights(w, 200, 100, { name: 'xavier-uniform' }, rng);
    const limit = Math.sqrt(6 / 300);
    expect(Math.max(...w)).toBeLessThanOrEqual(limit);
    expect(std()).toBeCloseTo(limit / Math.sqrt(3), 2);
    initWeights(w, 200, 100, { name: 'he-uniform' }, rng);
    expect(Math.min(...w)).toBeGreaterThanOrEqual(-Math.sqrt(6 / 200));
    initWeights(w, 200, 100, { name: 'lecun-normal' }, rng);
    expect(std()).toBeCloseTo(Math.sqrt(1 / 200), 2);
    initWeights(w, 200, 100, { name: 'zeros' }, rng);
    expect(w.every((v) => v === 0)).toBe(true);
    const model = Model.create(spec, { seed: 3 });
    expect(Array.from(model.weights(0).b!)).toEqual([0, 0, 0, 0]);
  });
});

describe('backward', () => {
  it('overwriting the gradients (what the trainer does, without zeroing them) equals adding them to zeros', () => {
    const m = Model.create(spec, { seed: 4 });
    const rng = new Random(9);
    const x = new Float32Array(5 * 3).map(() => rng.normal());
    const t = new Float32Array(5 * 3);
    for (let r = 0; r < 5; r++) t[r * 3 + (r % 3)] = 1;
    const plan = m.plan(5);
    plan.forward(x, 5);
    const added = m.viewsOf(new Float32Array(m.paramCount));
    plan.backward(t, added.flat);
    const written = m.viewsOf(new Float32Array(m.paramCount).fill(123));
    plan.backward(t, written.flat, true);
    expect(Array.from(written.flat)).toEqual(Array.from(added.flat));
    expect(added.flat.some((g) => g !== 0)).toBe(true);
  });
});

describe('saving and loading', () => {
  it('load(save(m)) predicts identically, also through little-endian bytes', async () => {
    const model = Model.create({ ...spec, inputs: 2 }, { seed: 4 });
    const data = circles(50);
    const y = new Float32Array(150).map((_, i) => (i % 3 === (Math.floor(i / 3) % 3) ? 1 : 0));
    await new Trainer(model, { x: data.x, y, rows: 50 }, { optimizer: { name: 'adam', lr: 0.01 }, epochs: 3 }).train();
    const saved = saveModel(model);
    const json = JSON.parse(JSON.stringify({ ...saved, weights: undefined }));
    const bytes = encodeWeights(saved.weights);
    expect(bytes.length).toBe(model.paramCount * 4);
    expect(new DataView(bytes.buffer).getFloat32(0, true)).toBe(model.params[0]);
    const loaded = loadModel({ ...json, weights: decodeWeights(bytes, model.paramCount) });
    expect(Array.from(loaded.predict(data.x, 50))).toEqual(Array.from(model.predict(data.x, 50)));
    expect(loaded.spec).toEqual(model.spec);
  });

  it('refuses foreign files, newer versions and wrong weight counts', () => {
    const saved = saveModel(Model.create(spec));
    expect(() => loadModel({ ...saved, format: 'keras' })).toThrow(/not an NN Studio model/);
    expect(() => loadModel({ ...saved, version: 2 })).toThrow(/version 2 is not supported/);
    expect(() => loadModel({ ...saved, weights: new Float32Array(5) })).toThrow('the weights hold 5 numbers but this model has 33 parameters');
    expect(() => decodeWeights(new Uint8Array(7))).toThrow(/not a whole number of float32 values/);
    expect(() => decodeWeights(new Uint8Array(8), 3)).toThrow('weights file holds 2 weights, expected 3');
  });
});

describe('step inspection', () => {
  it('captures every matrix of one forward and backward pass, consistent with each other', () => {
    const model = Model.fromWeights({ inputs: 2, layers: [{ units: 3, activation: 'sigmoid' }, { units: 2, activation: 'sigmoid' }], loss: 'mse', task: 'regression' },
      [0.1, 0.3, 0.5, 0.2, 0.4, 0.6, 0.1, 0.2, 0.3, 0.1, 0.4, 0.2, 0.5, 0.3, 0.6, 0.1, 0.2]);
    const before = Float32Array.from(model.params);
    const step = captureStep(model, Float32Array.from([1.0, 0.5]), Float32Array.from([0, 1]), 1, { l2: 0.1 });
    expect(Array.from(model.params)).toEqual(Array.from(before)); // inspection changes nothing
    const [l1, l2] = step.layers;
    expect(l1.preActivation.data[0].map((v) => +v.toFixed(6))).toEqual([0.3, 0.7, 1.1]);
    expect(l1.postActivation.data[0][0]).toBeCloseTo(0.57444252, 6);
    expect(step.output.data[0][0]).toBeCloseTo(0.62624937, 6);
    expect(l2.input).toEqual(l1.postActivation);
    expect(l1.weights.rows).toBe(2);
    expect(l1.weights.cols).toBe(3);
    // δ of the output for ½Σ(y − t)² through a sigmoid: (y − t)·y(1 − y)
    const y = step.output.data[0];
    expect(l2.delta.data[0][0]).toBeCloseTo((y[0] - 0) * y[0] * (1 - y[0]), 6);
    // ∂W = inputᵀ·δ + λ₂W, ∂b = δ
    expect(l2.gradWeights.data[1][0]).toBeCloseTo(l2.input.data[0][1] * l2.delta.data[0][0] + 0.1 * 0.2, 6);
    expect(l2.gradBias![1]).toBeCloseTo(l2.delta.data[0][1], 6);
    expect(step.loss).toBeCloseTo(step.dataLoss + step.penalty, 12);
    expect(step.penalty).toBeGreaterThan(0);
    expect(JSON.parse(JSON.stringify(step))).toEqual(step);
  });

  it('keeps the batch small', () => {
    const model = Model.create(spec);
    expect(() => captureStep(model, new Float32Array(65 * 3), new Float32Array(65 * 3), 65)).toThrow(/at most 64 rows/);
  });

  it('layerActivations (the histograms) gives each dense layer\'s A, the tutorial\'s sigmoid(A1) first', () => {
    const tutorial = Model.fromWeights({ inputs: 2, layers: [{ units: 3, activation: 'sigmoid' }, { units: 2, activation: 'sigmoid' }], loss: 'mse', task: 'regression' },
      [0.1, 0.3, 0.5, 0.2, 0.4, 0.6, 0.1, 0.2, 0.3, 0.1, 0.4, 0.2, 0.5, 0.3, 0.6, 0.1, 0.2]);
    const [a1, a2] = layerActivations(tutorial, Float32Array.from([1.0, 0.5, 1.0, 0.5]), 2);
    expect(a1).toHaveLength(6);
    [0.57444252, 0.66818777, 0.75026011, 0.57444252, 0.66818777, 0.75026011].forEach((v, i) => expect(a1[i]).toBeCloseTo(v, 6));
    expect(a2[0]).toBeCloseTo(0.62624937, 6);
    expect(a2[1]).toBeCloseTo(0.7710107, 6);
  });
});
