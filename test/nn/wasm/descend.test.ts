/**
 * Model.descend — plain gradient descent fused into the backward pass — is the same step as
 * computing the gradients and then w ← w − η·g, on the JavaScript reference, on the WebAssembly
 * whole-network passes (a small network) and on its layer-by-layer path (a layer too big for the
 * passes). Three layers, so a δ·Wᵀ taken after its weights changed would show.
 */
import { describe, expect, it } from 'vitest';
import type { Backend } from '../../../shared/nn/backend.js';
import { JsBackend } from '../../../shared/nn/backend-js.js';
import { Model } from '../../../shared/nn/model.js';
import { Random } from '../../../shared/nn/random.js';
import type { ModelSpecInput } from '../../../shared/nn/spec.js';
import { oneThread } from './kernels-built.js';

const kernels = oneThread();

const small: ModelSpecInput = {
  inputs: 3,
  layers: [{ units: 6, activation: 'tanh' }, { units: 5, activation: 'sigmoid' }, { units: 4, activation: 'softmax' }],
  loss: 'categorical-crossentropy', task: 'classification',
};
/** A first layer of 40·400·64 multiply-adds: past what the whole-network passes take. */
const wide: ModelSpecInput = { ...small, inputs: 400, layers: [{ units: 64, activation: 'relu' }, ...small.layers.slice(1)] };

const backends: Array<{ label: string; backend: () => Backend; spec: ModelSpecInput; passes: boolean }> = [
  { label: 'JavaScript reference', backend: () => new JsBackend(), spec: small, passes: false },
  { label: 'WebAssembly, whole-network passes', backend: () => kernels.be, spec: small, passes: true },
  { label: 'WebAssembly, layer by layer', backend: () => kernels.be, spec: wide, passes: false },
];

describe.each(backends)('$label', ({ backend, spec, passes }) => {
  it('descend(η) equals backward then w ← w − η·g', () => {
    const be = backend();
    const fused = Model.create(spec, { seed: 4, backend: be });
    const plain = fused.clone();
    const rows = 40, rng = new Random(8);
    const x = be.alloc(rows * fused.inputs), t = be.alloc(rows * fused.outputs);
    for (let i = 0; i < x.length; i++) x[i] = rng.normal();
    for (let r = 0; r < rows; r++) t[r * fused.outputs + rng.int(fused.outputs)] = 1;
    const wsFused = fused.workspace(rows), wsPlain = plain.workspace(rows);
    expect(wsFused.passes !== null).toBe(passes);
    const grads = plain.viewsOf(be.alloc(plain.paramCount));
    const lr = 0.5;
    for (let step = 0; step < 3; step++) {
      fused.forward(wsFused, x, rows, true);
      fused.descend(wsFused, t, lr);
      plain.forward(wsPlain, x, rows, true);
      plain.backward(wsPlain, t, grads, true);
      for (let i = 0; i < plain.params.length; i++) plain.params[i] -= lr * grads.flat[i];
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
