/**
 * Fused SGD — plain gradient descent inside the backward pass, the WebAssembly plan's choice for
 * dense stacks — is the same step as computing the gradients and then w ← w − η·g, on the
 * whole-network passes (a small network) and layer by layer (a layer too big for the passes).
 * Three layers, so a δ·Wᵀ taken after its weights changed would show.
 */
import { describe, expect, it } from 'vitest';
import { JsBackend } from '../../../shared/nn/backend-js.js';
import { Model } from '../../../shared/nn/model.js';
import { createOptimizer } from '../../../shared/nn/optimizers.js';
import { Random } from '../../../shared/nn/random.js';
import type { ModelSpecInput, OptimizerSpec } from '../../../shared/nn/spec.js';
import { oneThread } from './kernels-built.js';

const kernels = oneThread();

const small: ModelSpecInput = {
  inputs: 3,
  layers: [{ units: 6, activation: 'tanh' }, { units: 5, activation: 'sigmoid' }, { units: 4, activation: 'softmax' }],
  loss: 'categorical-crossentropy', task: 'classification',
};
/** A first layer of 40·400·64 multiply-adds: past what the whole-network passes take. */
const wide: ModelSpecInput = { ...small, inputs: 400, layers: [{ units: 64, activation: 'relu' }, ...small.layers.slice(1)] };

const cases: Array<{ label: string; spec: ModelSpecInput; passes: string }> = [
  { label: 'whole-network passes', spec: small, passes: 'whole-network passes' },
  { label: 'layer by layer', spec: wide, passes: 'dense layers' },
];

describe.each(cases)('WebAssembly, $label', ({ spec, passes }) => {
  it('the fused SGD step equals backward then w ← w − η·g', () => {
    const be = kernels.be;
    const fused = Model.create(spec, { seed: 4, backend: be });
    const plain = fused.clone();
    const rows = 40, rng = new Random(8);
    const x = be.alloc(rows * fused.inputs), t = be.alloc(rows * fused.outputs);
    for (let i = 0; i < x.length; i++) x[i] = rng.normal();
    for (let r = 0; r < rows; r++) t[r * fused.outputs + rng.int(fused.outputs)] = 1;
    const data = { x, y: t, rows };
    const sgd = (m: Model) => createOptimizer({ name: 'sgd', lr: 0.5 } as OptimizerSpec, m.paramCount, be);
    const fusedPlan = fused.plan(rows, { optimizer: sgd(fused), l1: 0, l2: 0, data });
    expect(fusedPlan.describe()).toMatchObject({ passes, update: 'fused SGD' });
    const plainPlan = plain.plan(rows);
    const grads = be.alloc(plain.paramCount);
    const lr = 0.5;
    for (let step = 0; step < 3; step++) {
      fusedPlan.forward(x, rows, true);
      fusedPlan.step(t, lr);
      plainPlan.forward(x, rows, true);
      plainPlan.backward(t, grads, true);
      for (let i = 0; i < plain.params.length; i++) plain.params[i] -= lr * grads[i];
    }
    let worst = 0, moved = 0;
    const start = Model.create(spec, { seed: 4, backend: be }).params;
    for (let i = 0; i < plain.params.length; i++) {
      worst = Math.max(worst, Math.abs(fused.params[i] - plain.params[i]));
      moved = Math.max(moved, Math.abs(plain.params[i] - start[i]));
    }
    expect(moved).toBeGreaterThan(1e-2); // the steps did change the weights
    expect(worst).toBeLessThan(1e-6 + 1e-5 * moved);
  });
});

it('is not fused with a weight penalty, nor by the JavaScript backend\'s plain plan', () => {
  const data = { x: new Float32Array(3 * 4), y: new Float32Array(4 * 4), rows: 4 };
  const withPenalty = Model.create(small, { seed: 1, backend: kernels.be });
  const optimizer = createOptimizer({ name: 'sgd', lr: 0.1 } as OptimizerSpec, withPenalty.paramCount, kernels.be);
  expect(withPenalty.plan(4, { optimizer, l1: 0, l2: 1e-3, data }).describe().update).toBe('optimizer');
  const js = Model.create(small, { seed: 1, backend: new JsBackend() });
  expect(js.plan(4, { optimizer, l1: 0, l2: 0, data }).describe()).toMatchObject({ passes: 'typed layers', update: 'optimizer' });
});
