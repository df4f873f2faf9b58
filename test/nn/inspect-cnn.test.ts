/**
 * The CNN inspector's numbers are the network's own: feature maps end in the model's prediction,
 * a convolution step's sum is the value in the feature map, max pooling's winner is the maximum,
 * and the saliency map and step gradients agree with the float64 reference network.
 */
import { describe, expect, it } from 'vitest';
import { Model } from '../../shared/nn/model.js';
import { ReferenceModel } from '../../shared/nn/reference.js';
import { referenceGradients } from '../../shared/nn/gradcheck.js';
import { convFilters, convStep, featureMaps, poolStep, saliency, stepGradients } from '../../shared/nn/inspect-cnn.js';
import { Random } from '../../shared/nn/random.js';
import type { ModelSpecV2Input } from '../../shared/nn/spec.js';

const spec: ModelSpecV2Input = {
  version: 2, input: [2, 9, 8], task: 'classification', loss: 'categorical-crossentropy',
  layers: [
    { type: 'conv2d', filters: 3, kernel: 3, padding: 'same', activation: 'relu' },
    { type: 'maxpool2d', size: 2 },
    { type: 'conv2d', filters: 4, kernel: 2, stride: 2, activation: 'tanh' },
    { type: 'flatten' },
    { type: 'dense', units: 5, activation: 'softmax' },
  ],
};

function image(seed: number): Float32Array {
  const rng = new Random(seed);
  return Float32Array.from({ length: 2 * 9 * 8 }, () => rng.uniform());
}

describe('CNN inspection', () => {
  const model = Model.create(spec, { seed: 3 });
  const x = image(7);

  it('feature maps have every layer’s shape and end in the model’s prediction', () => {
    const maps = featureMaps(model, x);
    expect(maps.map((m) => m.shape)).toEqual([[3, 9, 8], [3, 4, 4], [4, 2, 2], [16], [5]]);
    const predicted = model.predict(x, 1);
    maps[4].values.forEach((v, i) => expect(v).toBeCloseTo(predicted[i], 6));
  });

  it('a convolution step sums its products to the value in the feature map (same padding, stride 2)', () => {
    const maps = featureMaps(model, x);
    for (const [layer, input, f, y, xx] of [[0, x, 2, 0, 7], [0, x, 1, 4, 3], [2, maps[1].values, 3, 1, 1]] as const) {
      const step = convStep(model, layer, input, f, y, xx);
      const products = step.channels.flatMap((c) => c.products.flat());
      expect(step.sum).toBeCloseTo(products.reduce((a, b) => a + b, 0), 10);
      const [, OH, OW] = maps[layer].shape as [number, number, number];
      expect(step.a).toBeCloseTo(maps[layer].values[(f * OH + y) * OW + xx], 5);
    }
    // A corner of a 'same' convolution reads zero padding outside the image.
    const corner = convStep(model, 0, x, 0, 0, 0);
    expect(corner.top).toBe(-1);
    expect(corner.channels[0].input[0]).toEqual([0, 0, 0]);
    expect(corner.channels[1].kernel[2][2]).toBe(convFilters(model, 0).W[((0 * 2 + 1) * 3 + 2) * 3 + 2]);
  });

  it('max pooling picks the window’s maximum and routes the gradient only to it', () => {
    const maps = featureMaps(model, x);
    const step = poolStep(model, 1, maps[0].values, 2, 3, 1, 0.5);
    expect(step.max).toBe(Math.max(...step.window.flat()));
    expect(step.max).toBeCloseTo(maps[1].values[(2 * 4 + 3) * 4 + 1], 6);
    expect(step.routed.flat().filter((v) => v !== 0)).toEqual([0.5]);
    expect(step.routed[step.argmax.i][step.argmax.j]).toBe(0.5);
  });

  it('the saliency map is ∂(class score)/∂pixels, as central differences of the float64 reference', () => {
    const cls = 3;
    const grad = saliency(model, x, cls);
    const ref = new ReferenceModel(model.spec);
    const params = Float64Array.from(model.params);
    const t = new Float64Array(5);
    const score = (input: Float64Array) => ref.forward(params, input, t, 1).pre[4]![cls];
    const h = 1e-5;
    const base = Float64Array.from(x);
    let compared = 0;
    for (let i = 0; i < base.length; i += 7) {
      const plus = Float64Array.from(base), minus = Float64Array.from(base);
      plus[i] += h;
      minus[i] -= h;
      const numeric = (score(plus) - score(minus)) / (2 * h);
      expect(grad[i]).toBeCloseTo(numeric, 3);
      compared++;
    }
    expect(compared).toBeGreaterThan(15);
    expect(grad.some((g) => Math.abs(g) > 1e-4)).toBe(true);
  });

  it('step gradients (filters’ gradients) match the reference backward pass', () => {
    const rows = 3;
    const xs = new Float32Array(rows * 144);
    for (let r = 0; r < rows; r++) xs.set(image(20 + r), r * 144);
    const t = new Float32Array(rows * 5);
    [1, 4, 0].forEach((c, r) => { t[r * 5 + c] = 1; });
    const grads = stepGradients(model, xs, t, rows);
    const ref = referenceGradients(model, xs, t, rows).grads;
    const filters = convFilters(model, 2, grads);
    const refFilters = convFilters(model, 2, Float32Array.from(ref));
    filters.W.forEach((g, i) => expect(g).toBeCloseTo(refFilters.W[i], 4));
    expect(filters.shape).toEqual([4, 3, 2, 2]);
  });

  it('refuses an image of the wrong size and a layer that is not a convolution', () => {
    expect(() => featureMaps(model, new Float32Array(10))).toThrow(/10 values; the model's input 2×9×8 needs 144/);
    expect(() => convStep(model, 1, x, 0, 0, 0)).toThrow(/layer 2 is not a convolution/);
  });
});

describe('a sampled gradient check', () => {
  it('covers every tensor of every layer with at most `sample` entries, first and last included', async () => {
    const { gradientCheck } = await import('../../shared/nn/gradcheck.js');
    const model = Model.create(spec, { seed: 5 });
    const x = image(9);
    const t = new Float32Array(5);
    t[2] = 1;
    const result = gradientCheck(model, x, t, 1, { sample: 4 });
    expect(result.tensors.map((c) => `${c.tensor}${c.layer}`)).toEqual(['W0', 'b0', 'W2', 'b2', 'W4', 'b4']);
    for (const c of result.tensors) expect(c.checked + c.skipped).toBe(Math.min(4, c.shape.reduce((a, b) => a * b, 1)));
    expect(result.ok).toBe(true);
  });
});
