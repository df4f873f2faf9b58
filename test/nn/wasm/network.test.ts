/**
 * Whole-network passes (WasmBackend.networkPasses, assembly/network.ts): one kernel call computes
 * what the dense passes compute layer by layer. Compared with the JavaScript
 * reference on the same weights and batch: outputs, every layer's Z, A and δ, and the gradients,
 * for each activation and each output rule, on odd sizes and short last batches.
 */
import { describe, expect, it } from 'vitest';
import type { ActivationName } from '../../../shared/nn/activations.js';
import { JsBackend } from '../../../shared/nn/backend-js.js';
import type { LossName } from '../../../shared/nn/losses.js';
import { Model } from '../../../shared/nn/model.js';
import { DensePasses, outputDelta } from '../../../shared/nn/plans/dense-passes.js';
import { Random } from '../../../shared/nn/random.js';
import type { ModelSpecInput } from '../../../shared/nn/spec.js';
import { oneThread } from './kernels-built.js';

const kernels = oneThread();

/** |got − want| ≤ tol·(|want| + scale), element by element, scale being the array's largest magnitude. */
function expectClose(got: ArrayLike<number>, want: ArrayLike<number>, what: string, tol = 2e-5): void {
  expect(got.length).toBe(want.length);
  let scale = 0;
  for (let i = 0; i < want.length; i++) scale = Math.max(scale, Math.abs(want[i]));
  for (let i = 0; i < want.length; i++) {
    if (!(Math.abs(got[i] - want[i]) <= tol * (Math.abs(want[i]) + scale))) expect.fail(`${what}[${i}] is ${got[i]}, the reference ${want[i]}`);
  }
}

/** Random inputs and targets for `rows` rows (one-hot rows for softmax, values in (0, 1) otherwise). */
function batch(model: Model, rows: number, rng: Random, oneHot: boolean) {
  const x = kernels.be.alloc(rows * model.inputs), t = kernels.be.alloc(rows * model.outputs);
  for (let i = 0; i < x.length; i++) x[i] = rng.normal();
  for (let r = 0; r < rows; r++) {
    if (oneHot) t[r * model.outputs + rng.int(model.outputs)] = 1;
    else for (let k = 0; k < model.outputs; k++) t[r * model.outputs + k] = rng.uniform();
  }
  return { x, t };
}

const hidden: ActivationName[] = ['identity', 'sigmoid', 'tanh', 'relu'];
const outputs: Array<{ activation: ActivationName; loss: LossName; units: number }> = [
  { activation: 'softmax', loss: 'categorical-crossentropy', units: 7 },
  { activation: 'sigmoid', loss: 'binary-crossentropy', units: 1 },
  { activation: 'identity', loss: 'mse', units: 3 },
  { activation: 'tanh', loss: 'sse', units: 2 },
  { activation: 'sigmoid', loss: 'mse', units: 5 },
];

describe.each(hidden)('hidden %s', (act) => {
  it.each(outputs)('output $activation with $loss: forward and backward match the reference', ({ activation, loss, units }) => {
    const spec: ModelSpecInput = {
      inputs: 3,
      layers: [{ units: 9, activation: act }, { units: 5, activation: act, bias: false }, { units, activation }],
      loss,
      task: loss === 'mse' || loss === 'sse' ? 'regression' : 'classification',
    };
    const model = Model.create(spec, { seed: 11, backend: kernels.be });
    const ref = Model.fromWeights(spec, model.params, { backend: new JsBackend() });
    const delta = outputDelta(model.loss, model.layers[model.layers.length - 1].activation)!;
    const ws = new DensePasses(model, 13, null, { networkPasses: (layers, capacity) => kernels.be.networkPasses(layers, delta, capacity) });
    const wsRef = new DensePasses(ref, 13, null);
    expect(ws.description.passes).toBe('whole-network passes'); // this test is about them
    const rng = new Random(units);
    for (const rows of [13, 4, 1]) { // a full batch, a short last one, a single row
      const { x, t } = batch(model, rows, rng, activation === 'softmax');
      expectClose(ws.forward(x, rows, false, null), wsRef.forward(x, rows, false, null), `${rows} rows: outputs`);
      const grads = model.viewsOf(kernels.be.alloc(model.paramCount).fill(7)), gradsRef = ref.viewsOf(new Float32Array(model.paramCount));
      ws.backward(t, grads.flat, true); // overwrite: the 7s must all go
      wsRef.backward(t, gradsRef.flat, false);
      expectClose(grads.flat, gradsRef.flat, `${rows} rows: gradients`);
      for (let i = 0; i < model.layers.length; i++) {
        const n = rows * model.layers[i].units;
        expectClose(ws.z[i].subarray(0, n), wsRef.z[i].subarray(0, n), `layer ${i} Z`);
        expectClose(ws.a[i].subarray(0, n), wsRef.a[i].subarray(0, n), `layer ${i} A`);
        expectClose(ws.delta[i].subarray(0, n), wsRef.delta[i].subarray(0, n), `layer ${i} δ`);
      }
      ws.backward(t, grads.flat, false); // accumulate: twice the gradient
      expectClose(grads.flat, gradsRef.flat.map((g) => 2 * g), `${rows} rows: accumulated gradients`);
    }
  });
});

it('computes predictions on inputs outside kernel memory, in chunks', () => {
  const spec: ModelSpecInput = { inputs: 2, layers: [{ units: 8, activation: 'tanh' }, { units: 3, activation: 'softmax' }], loss: 'categorical-crossentropy', task: 'classification' };
  const model = Model.create(spec, { seed: 2, backend: kernels.be });
  const ref = Model.fromWeights(spec, model.params, { backend: new JsBackend() });
  const x = Float32Array.from({ length: 2 * 700 }, (_, i) => Math.sin(i)); // a plain array, 3 chunks
  expectClose(model.predict(x, 700), ref.predict(x, 700), 'predictions');
});

describe('are chosen by the WebAssembly plan for small dense stacks', () => {
  it('a 3-9-5-7 network at batch 13', () => {
    const spec: ModelSpecInput = { inputs: 3, layers: [{ units: 9, activation: 'relu' }, { units: 5, activation: 'tanh' }, { units: 7, activation: 'softmax' }], loss: 'categorical-crossentropy', task: 'classification' };
    expect(Model.create(spec, { seed: 1, backend: kernels.be }).plan(13).describe().passes).toBe('whole-network passes');
  });
});

describe('are not used where they would compute something else', () => {
  const cases: Array<{ why: string; spec: ModelSpecInput; rows?: number }> = [
    { why: 'dropout (its masks are drawn in JavaScript)', spec: { inputs: 2, layers: [{ units: 4, activation: 'relu', dropout: 0.5 }, { units: 1, activation: 'sigmoid' }], loss: 'binary-crossentropy', task: 'classification' } },
    { why: 'an activation without a kernel', spec: { inputs: 2, layers: [{ units: 4, activation: 'elu' }, { units: 1, activation: 'sigmoid' }], loss: 'binary-crossentropy', task: 'classification' } },
    { why: 'a loss without a δ rule', spec: { inputs: 2, layers: [{ units: 4, activation: 'relu' }, { units: 1, activation: 'identity' }], loss: 'mae', task: 'regression' } },
    { why: 'softmax not fused with cross-entropy', spec: { inputs: 2, layers: [{ units: 4, activation: 'relu' }, { units: 3, activation: 'softmax' }], loss: 'mse', task: 'regression' } },
    { why: 'products big enough to share with threads', spec: { inputs: 784, layers: [{ units: 64, activation: 'relu' }, { units: 10, activation: 'softmax' }], loss: 'categorical-crossentropy', task: 'classification' }, rows: 128 },
  ];
  it.each(cases)('$why', ({ spec, rows }) => {
    const model = Model.create(spec, { seed: 1, backend: kernels.be });
    expect(model.plan(rows ?? 10).describe().passes).toBe('dense layers');
  });
});
