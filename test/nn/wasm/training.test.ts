/**
 * Whole training runs agree: the engine's Model and Trainer on the WebAssembly backend follow the
 * same loss curve as on the JavaScript reference (float32 rounding apart), and with two threads
 * exactly the same curve as with one (every tile is computed whole by one thread; with two, the
 * trainer also gathers each next batch in the background, which must change nothing).
 */
import { describe, expect, it } from 'vitest';
import type { Backend } from '../../../shared/nn/backend.js';
import { JsBackend } from '../../../shared/nn/backend-js.js';
import { circles, syntheticImages } from '../../../shared/nn/bench.js';
import type { Dataset } from '../../../shared/nn/dataset.js';
import { Model } from '../../../shared/nn/model.js';
import type { ModelSpecInput, TrainConfigInput } from '../../../shared/nn/spec.js';
import { Trainer } from '../../../shared/nn/trainer.js';
import { oneAndTwoThreads } from './kernels-built.js';

interface Run {
  losses: number[];
  params: Float32Array;
}

function train(backend: Backend, spec: ModelSpecInput, config: TrainConfigInput, data: Dataset): Run {
  const model = Model.create(spec, { seed: 3, backend });
  const trainer = new Trainer(model, data, config);
  const losses: number[] = [];
  while (!trainer.done) {
    losses.push(trainer.step());
    if (trainer.epochDone) trainer.endEpoch();
  }
  return { losses, params: Float32Array.from(model.params) };
}

const cases: Array<{ label: string; spec: ModelSpecInput; config: TrainConfigInput; data: () => Dataset }> = [
  {
    label: 'tiny: 2-8(tanh)-8(tanh)-1(sigmoid), SGD, batch 10',
    spec: { inputs: 2, layers: [{ units: 8, activation: 'tanh' }, { units: 8, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }], loss: 'binary-crossentropy', task: 'classification' },
    config: { optimizer: { name: 'sgd', lr: 0.03 }, batchSize: 10, sampling: 'shuffle', epochs: 4, seed: 0 },
    data: () => circles(500, 0),
  },
  {
    label: 'mlp: 784-96(relu)-10(softmax), Adam, batch 64',
    spec: { inputs: 784, layers: [{ units: 96, activation: 'relu' }, { units: 10, activation: 'softmax' }], loss: 'categorical-crossentropy', task: 'classification' },
    config: { optimizer: { name: 'adam', lr: 1e-3 }, batchSize: 64, sampling: 'shuffle', epochs: 3, seed: 0 },
    data: () => syntheticImages(640, 0),
  },
  {
    label: 'seed2layer: 784-50(sigmoid)-10(softmax), SGD, random batches of 100',
    spec: { inputs: 784, layers: [{ units: 50, activation: 'sigmoid', init: { name: 'normal', std: 0.01 } }, { units: 10, activation: 'softmax', init: { name: 'normal', std: 0.01 } }], loss: 'categorical-crossentropy', task: 'classification' },
    config: { optimizer: { name: 'sgd', lr: 0.1 }, batchSize: 100, sampling: 'random', iterations: 40, seed: 0 },
    data: () => syntheticImages(1000, 1),
  },
  {
    // Two threads gather each next batch in the background during a step: with dropout drawing
    // from the same generator, over epoch ends and a budget that stops mid-epoch, nothing changes.
    label: 'dropout: 784-48(relu, dropout 0.3)-10(softmax), random batches of 50 over 9 epochs, stopped mid-epoch',
    spec: { inputs: 784, layers: [{ units: 48, activation: 'relu', dropout: 0.3 }, { units: 10, activation: 'softmax' }], loss: 'categorical-crossentropy', task: 'classification' },
    config: { optimizer: { name: 'momentum', lr: 0.05 }, batchSize: 50, sampling: 'random', iterations: 67, seed: 4 },
    data: () => syntheticImages(400, 2),
  },
  {
    label: 'LeNet-shaped CNN on 1×28×28: conv 6@5×5 same → maxpool 2 → conv 8@5×5 → maxpool 2 → dense 32 → 10, Adam, batch 32',
    spec: { version: 2, input: [1, 28, 28], loss: 'categorical-crossentropy', task: 'classification', layers: [
      { type: 'conv2d', filters: 6, kernel: 5, padding: 'same', activation: 'relu' }, { type: 'maxpool2d', size: 2 },
      { type: 'conv2d', filters: 8, kernel: 5, activation: 'relu' }, { type: 'maxpool2d', size: 2 },
      { type: 'dense', units: 32, activation: 'relu' }, { type: 'dense', units: 10, activation: 'softmax' }] },
    config: { optimizer: { name: 'adam', lr: 1e-3 }, batchSize: 32, sampling: 'shuffle', iterations: 12, seed: 0 },
    data: () => syntheticImages(256, 3),
  },
  {
    label: 'CNN with batch norm and dropout: conv 8@3×3/2 same → batchnorm → relu → avgpool 2 → dropout → globalavgpool → 10, momentum',
    spec: { version: 2, input: [1, 28, 28], loss: 'categorical-crossentropy', task: 'classification', layers: [
      { type: 'conv2d', filters: 8, kernel: 3, stride: 2, padding: 'same' }, { type: 'batchnorm' }, { type: 'activation', activation: 'relu' },
      { type: 'avgpool2d', size: 2 }, { type: 'dropout', rate: 0.25 }, { type: 'conv2d', filters: 10, kernel: 3 }, { type: 'globalavgpool' },
      { type: 'activation', activation: 'softmax' }] },
    config: { optimizer: { name: 'momentum', lr: 0.05 }, batchSize: 40, sampling: 'random', iterations: 10, seed: 1 },
    data: () => syntheticImages(200, 4),
  },
  {
    // Odd batches (the last one short), 4 channels of 14×14, `same` padding, stride 2, tanh after a convolution.
    label: 'CNN on 4×14×14: conv 12@3×3 same relu → maxpool 2 → conv 10@3×3/2 tanh → dense 10, Adam, batches of 27',
    spec: { version: 2, input: [4, 14, 14], loss: 'categorical-crossentropy', task: 'classification', layers: [
      { type: 'conv2d', filters: 12, kernel: 3, padding: 'same', activation: 'relu' }, { type: 'maxpool2d', size: 2 },
      { type: 'conv2d', filters: 10, kernel: 3, stride: 2, activation: 'tanh' }, { type: 'dense', units: 10, activation: 'softmax' }] },
    config: { optimizer: { name: 'adam', lr: 1e-3 }, batchSize: 27, sampling: 'shuffle', epochs: 2, seed: 2 },
    data: () => syntheticImages(150, 5),
  },
];

describe.each(cases)('$label', ({ spec, config, data }) => {
  const pair = oneAndTwoThreads();

  it('follows the JS backend and is identical on one and two threads', () => {
    const d = data();
    const ref = train(new JsBackend(), spec, config, d);
    const a = train(pair.one, spec, config, d);
    const b = train(pair.two, spec, config, d);
    expect(b.losses).toEqual(a.losses);
    expect(Array.from(b.params)).toEqual(Array.from(a.params));
    expect(a.losses.length).toBe(ref.losses.length);
    a.losses.forEach((loss, i) => {
      if (!(Math.abs(loss - ref.losses[i]) <= 1e-4 * Math.abs(ref.losses[i]) + 1e-6)) expect.fail(`step ${i + 1}: loss ${loss}, JS backend ${ref.losses[i]}`);
    });
    let worst = 0;
    for (let i = 0; i < ref.params.length; i++) worst = Math.max(worst, Math.abs(a.params[i] - ref.params[i]));
    expect(worst).toBeLessThan(1e-4);
    expect(ref.losses[ref.losses.length - 1]).not.toBe(ref.losses[0]); // it did train
  });
});
