/**
 * Step plans (shared/nn/plans/, wasm/wasm-plan.ts): every backend's plan trains the same network
 * to the same weights — the WebAssembly plan bit for bit on one thread and on two, and within
 * float32 rounding of the JavaScript backend's plain layer-by-layer plan — and says which path
 * it took. A backend that brings only kernels trains through the plain plan; one that brings its
 * own plan is trained by it.
 */
import { describe, expect, it } from 'vitest';
import type { Backend } from '../../shared/nn/backend.js';
import { JsBackend } from '../../shared/nn/backend-js.js';
import { circles, syntheticImages } from '../../shared/nn/bench.js';
import type { Dataset } from '../../shared/nn/dataset.js';
import { Model } from '../../shared/nn/model.js';
import { layerByLayerPlan } from '../../shared/nn/plans/default-plan.js';
import type { ModelSpecInput, TrainConfigInput } from '../../shared/nn/spec.js';
import { Trainer } from '../../shared/nn/trainer.js';
import { oneAndTwoThreads } from './wasm/kernels-built.js';

function train(backend: Backend, spec: ModelSpecInput, config: TrainConfigInput, data: Dataset) {
  const model = Model.create(spec, { seed: 5, backend });
  const trainer = new Trainer(model, data, config);
  const losses: number[] = [];
  while (!trainer.done) {
    losses.push(trainer.step());
    if (trainer.epochDone) trainer.endEpoch();
  }
  return { losses, params: Float32Array.from(model.params), plan: trainer.describePlan(), start: Model.create(spec, { seed: 5 }).params };
}

const dense: ModelSpecInput = {
  inputs: 784, loss: 'categorical-crossentropy', task: 'classification',
  layers: [{ units: 40, activation: 'tanh' }, { units: 24, activation: 'relu' }, { units: 10, activation: 'softmax' }],
};
const cnn: ModelSpecInput = {
  version: 2, input: [1, 28, 28], loss: 'categorical-crossentropy', task: 'classification',
  layers: [{ type: 'conv2d', filters: 6, kernel: 3, activation: 'relu' }, { type: 'maxpool2d', size: 2 },
    { type: 'conv2d', filters: 8, kernel: 3, stride: 2, padding: 'same', activation: 'relu' }, { type: 'dense', units: 10, activation: 'softmax' }],
};
const cases = [
  { label: 'a dense net, plain SGD (fused into the backward pass by the WebAssembly plan)', spec: dense, optimizer: { name: 'sgd', lr: 0.1 } },
  { label: 'a dense net, Adam', spec: dense, optimizer: { name: 'adam', lr: 1e-3 } },
  { label: 'a small CNN, Adam', spec: cnn, optimizer: { name: 'adam', lr: 1e-3 } },
] as const;

describe.each(cases)('$label, 6 steps', ({ spec, optimizer }) => {
  const pair = oneAndTwoThreads();
  const config: TrainConfigInput = { optimizer, batchSize: 32, sampling: 'shuffle', iterations: 6, seed: 2 };

  it('is bit-identical on one and two threads and within 1e-5 of the JavaScript plan', () => {
    const data = syntheticImages(256, 7);
    const js = train(new JsBackend(), spec, config, data);
    const one = train(pair.one, spec, config, data);
    const two = train(pair.two, spec, config, data);
    expect(two.plan.gather).toBe('background'); // the second thread gathered each next batch during the step
    expect(one.plan.gather).toBe('javascript');
    expect(Array.from(two.params)).toEqual(Array.from(one.params));
    expect(two.losses).toEqual(one.losses);
    let worst = 0, moved = 0;
    for (let i = 0; i < js.params.length; i++) {
      worst = Math.max(worst, Math.abs(one.params[i] - js.params[i]));
      moved = Math.max(moved, Math.abs(js.params[i] - js.start[i]));
    }
    expect(moved).toBeGreaterThan(1e-3); // the steps did train
    expect(worst).toBeLessThanOrEqual(1e-5);
  });
});

describe('describe() names the path a plan runs', () => {
  const pair = oneAndTwoThreads();
  const tiny: ModelSpecInput = { inputs: 2, layers: [{ units: 8, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }], loss: 'binary-crossentropy', task: 'classification' };
  const sgd: TrainConfigInput = { optimizer: { name: 'sgd', lr: 0.03 }, batchSize: 10, epochs: 1, seed: 0 };

  it('the JavaScript backend: the typed layers one by one, the optimizer after backward, batches copied in JavaScript', () => {
    expect(train(new JsBackend(), tiny, sgd, circles(50, 0)).plan).toEqual({
      backend: 'js', threads: 1, passes: 'typed layers', fusedEpilogues: false, update: 'optimizer', gather: 'javascript',
    });
  });

  it('WebAssembly: whole-network passes and fused SGD for a small dense net; a weight penalty unfuses the update', () => {
    expect(train(pair.one, tiny, sgd, circles(50, 0)).plan).toMatchObject({ passes: 'whole-network passes', update: 'fused SGD', gather: 'javascript' });
    expect(train(pair.one, tiny, { ...sgd, l2: 1e-3 }, circles(50, 0)).plan).toMatchObject({ passes: 'whole-network passes', update: 'optimizer' });
  });

  it('WebAssembly: dense layers with fused epilogues when a product is big enough to share; dropout keeps them layer by layer', () => {
    const wide = { ...dense, layers: [{ units: 256, activation: 'relu' }, { units: 10, activation: 'softmax' }] } as ModelSpecInput;
    const config: TrainConfigInput = { optimizer: { name: 'adam', lr: 1e-3 }, batchSize: 128, iterations: 1, seed: 0 };
    expect(train(pair.two, wide, config, syntheticImages(512, 0)).plan).toMatchObject({ passes: 'dense layers', fusedEpilogues: true, update: 'optimizer', gather: 'background' });
    const dropped = { ...dense, layers: [{ units: 8, activation: 'relu', dropout: 0.5 }, { units: 10, activation: 'softmax' }] } as ModelSpecInput;
    expect(train(pair.one, dropped, { ...config, batchSize: 4 }, syntheticImages(64, 0)).plan).toMatchObject({ passes: 'dense layers' });
  });

  it('WebAssembly: a CNN runs as typed layers', () => {
    const config: TrainConfigInput = { optimizer: { name: 'adam', lr: 1e-3 }, batchSize: 16, iterations: 1, seed: 0 };
    expect(train(pair.one, cnn, config, syntheticImages(64, 0)).plan).toMatchObject({ passes: 'typed layers', update: 'optimizer' });
  });
});

describe('a new backend', () => {
  const spec: ModelSpecInput = { inputs: 2, layers: [{ units: 6, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }], loss: 'binary-crossentropy', task: 'classification' };
  const config: TrainConfigInput = { optimizer: { name: 'adam', lr: 0.05 }, batchSize: 25, epochs: 5, seed: 1 };
  /** Kernels only: the JavaScript backend's products under another name. */
  const kernelsOnly = (): Backend => {
    const js = new JsBackend();
    return {
      name: 'kernels-only', threads: 1,
      alloc: (n) => js.alloc(n),
      matmul: (...args) => js.matmul(...args),
      matmulTransA: (...args) => js.matmulTransA(...args),
      matmulTransB: (...args) => js.matmulTransB(...args),
      sumRows: (...args) => js.sumRows(...args),
    };
  };

  it('that supplies only kernels trains through the plain plan, to the JavaScript backend\'s weights', () => {
    const data = circles(100, 2);
    const run = train(kernelsOnly(), spec, config, data);
    expect(run.plan).toMatchObject({ backend: 'kernels-only', passes: 'typed layers' });
    expect(Array.from(run.params)).toEqual(Array.from(train(new JsBackend(), spec, config, data).params));
  });

  it('that supplies its own plan is trained by it, for training and for prediction', () => {
    const made: Array<'training' | 'inference'> = [];
    const backend: Backend = {
      ...kernelsOnly(),
      plan: (model, capacity, training) => {
        made.push(training ? 'training' : 'inference');
        return layerByLayerPlan(model, capacity, training);
      },
    };
    const model = Model.create(spec, { seed: 5, backend });
    const trainer = new Trainer(model, circles(100, 2), config);
    while (!trainer.done) {
      trainer.step();
      if (trainer.epochDone) trainer.endEpoch();
    }
    model.predict(new Float32Array([0, 0, 3, 3]), 2);
    expect(made).toEqual(['training', 'inference']);
  });
});
