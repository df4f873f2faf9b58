/**
 * The float64 reference network (reference.ts) as the oracle of the engine's float32 passes:
 * the naive product by hand, and a training pass with dropout (the engine's own mask handed to
 * the reference) matching outputs and every gradient.
 */
import { describe, expect, it } from 'vitest';
import { matmulNaive, denseBackwardNaive, Model, Random, ReferenceModel } from '../../shared/nn/index.js';

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
    const ws = model.workspace(rows);
    const grads = model.viewsOf(new Float32Array(model.paramCount));
    const out = model.forward(ws, x, rows, true, new Random(3));
    model.backward(ws, t, grads, true);
    const mask = ws.mask[0]!.subarray(0, rows * 7);
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
