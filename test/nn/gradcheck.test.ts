/**
 * Backpropagation against numerical differentiation (float64, central differences, h = 1e-4):
 * every activation × every loss that makes sense, with and without L1/L2.
 */
import { describe, expect, it } from 'vitest';
import {
  ACTIVATION_NAMES, gradientCheck, Model, Random, referenceGradients, type ActivationName, type LossName,
} from '../../shared/nn/index.js';

const hidden = ACTIVATION_NAMES.filter((a) => a !== 'step') as ActivationName[];

/** Output layers that make sense for each loss: [activation, units]. */
const outputsFor: Record<LossName, [ActivationName, number][]> = {
  mse: [['identity', 2], ['sigmoid', 2], ['tanh', 2], ['softmax', 3]],
  sse: [['identity', 2], ['tanh', 2]],
  mae: [['identity', 2]],
  huber: [['identity', 2]],
  'binary-crossentropy': [['sigmoid', 1], ['sigmoid', 3]],
  'categorical-crossentropy': [['softmax', 3], ['sigmoid', 3]],
};

function targets(loss: LossName, rows: number, units: number, rng: Random): Float64Array {
  const t = new Float64Array(rows * units);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < units; j++) {
      t[r * units + j] = loss === 'categorical-crossentropy' ? (j === r % units ? 1 : 0)
        : loss === 'binary-crossentropy' ? rng.int(2)
        : loss === 'huber' ? 3 * rng.normal() // some residuals beyond δ = 1: both branches
        : rng.normal();
    }
  }
  return t;
}

function network(act: ActivationName, outAct: ActivationName, units: number, loss: LossName, bias = true) {
  return Model.create({
    inputs: 3,
    layers: [{ units: 5, activation: act, bias }, { units: 4, activation: act }, { units, activation: outAct }],
    loss,
    task: 'regression',
  }, { seed: 5 });
}

describe('gradient check: max relative error < 1e-5 for every activation × loss', () => {
  const rows = 4;
  for (const act of hidden) {
    for (const loss of Object.keys(outputsFor) as LossName[]) {
      for (const [outAct, units] of outputsFor[loss]) {
        it(`${act} hidden layers, ${outAct} output, ${loss}, with L1 and L2`, () => {
          const rng = new Random(11);
          const x = Float64Array.from({ length: rows * 3 }, () => rng.range(-1, 1));
          const t = targets(loss, rows, units, rng);
          const model = network(act, outAct, units, loss);
          for (const [l1, l2] of [[0, 0], [0.01, 0.02]]) {
            const result = gradientCheck(model, x, t, rows, { l1, l2 });
            const worst = result.tensors.map((c) => `${c.tensor}${c.layer + 1}: ${c.maxRelError.toExponential(1)}`).join(', ');
            expect(result.maxRelError, `l1=${l1} l2=${l2}: ${worst}`).toBeLessThan(1e-5);
            expect(result.ok).toBe(true);
            // Kink crossings are rare with this data; most entries must really be checked.
            const checked = result.tensors.reduce((s, c) => s + c.checked, 0);
            expect(checked).toBeGreaterThan(0.9 * model.paramCount);
          }
        });
      }
    }
  }

  it('reports every tensor with its shape, and layers without bias have no b', () => {
    const model = network('tanh', 'identity', 2, 'mse', false);
    const x = Float64Array.from({ length: 6 }, (_, i) => i / 6 - 0.5);
    const result = gradientCheck(model, x, Float64Array.from([1, 0, 0, 1]), 2);
    expect(result.tensors.map((c) => `${c.tensor}${c.layer} ${c.shape.join('x')}`)).toEqual(['W0 3x5', 'W1 5x4', 'b1 4', 'W2 4x2', 'b2 2']);
    expect(result.h).toBe(1e-4);
  });

  it('the float32 engine (the backend kernels training uses) computes the float64 reference loss and gradient, penalties included', () => {
    const model = network('sigmoid', 'softmax', 3, 'categorical-crossentropy');
    const rng = new Random(2);
    const x = Float32Array.from({ length: 12 }, () => rng.range(-1, 1));
    const t = Float32Array.from([1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0]);
    const ref = referenceGradients(model, x, t, 4, { l1: 0.01, l2: 0.02 });
    const plan = model.plan(4);
    const grads = model.viewsOf(new Float32Array(model.paramCount));
    const out = plan.forward(x, 4);
    plan.backward(t, grads.flat);
    const loss = model.loss.value(out, t, 4, 3) + model.regularize(0.01, 0.02, grads.flat);
    expect(loss).toBeCloseTo(ref.loss, 5);
    let worst = 0;
    for (let i = 0; i < model.paramCount; i++) worst = Math.max(worst, Math.abs(grads.flat[i] - ref.grads[i]) / Math.max(Math.abs(ref.grads[i]), 1e-4));
    expect(worst).toBeLessThan(1e-4);
  });

  it('skips entries whose ±h straddles a ReLU kink instead of reporting a false error', () => {
    // z = x·w = 5e-5 sits closer to ReLU's kink than h = 1e-4: w ± h puts it on both sides of 0.
    const model = Model.fromWeights({ inputs: 1, layers: [{ units: 1, activation: 'relu', bias: false }, { units: 1, activation: 'identity' }], loss: 'mse', task: 'regression' },
      [5e-5, 2, 0.1]);
    const result = gradientCheck(model, [1], [1], 1);
    expect(result.tensors[0].skipped).toBe(1);
    expect(result.ok).toBe(true);
  });
});
