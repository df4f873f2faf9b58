/**
 * Convolutional networks in the float32 model (typed layers, layers/network.ts): the forward and
 * backward passes agree with the float64 reference network, and LeNet-shaped and small CNNs learn
 * an image task through the Trainer.
 */
import { describe, expect, it } from 'vitest';
import {
  Model, oneHot, Random, ReferenceModel, Trainer, type Dataset, type LayerSpecInput,
} from '../../shared/nn/index.js';

/**
 * 1×S×S images of one of three shapes at a random place, with noise: a horizontal bar, a vertical
 * bar or a 3×3 square (class 0, 1, 2). No single pixel tells the class; a convolution does.
 */
function bars(rows: number, S: number, seed: number): Dataset & { labels: number[] } {
  const rng = new Random(seed);
  const x = new Float32Array(rows * S * S);
  const labels: number[] = [];
  for (let r = 0; r < rows; r++) {
    const cls = rng.int(3);
    labels.push(cls);
    const img = x.subarray(r * S * S, (r + 1) * S * S);
    for (let k = 0; k < img.length; k++) img[k] = 0.2 * rng.uniform();
    const i0 = rng.int(S - 4), j0 = rng.int(S - 4);
    for (let d = 0; d < 4; d++) {
      if (cls === 0) img[(i0 + 1) * S + j0 + d] = 1;
      else if (cls === 1) img[(i0 + d) * S + j0 + 1] = 1;
    }
    if (cls === 2) for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) img[(i0 + a) * S + j0 + b] = 1;
  }
  return { x, y: oneHot(labels, 3), rows, labels };
}

function accuracy(model: Model, data: ReturnType<typeof bars>): number {
  const p = model.predict(data.x, data.rows);
  let right = 0;
  for (let r = 0; r < data.rows; r++) {
    const row = Array.from(p.subarray(r * 3, r * 3 + 3));
    if (row.indexOf(Math.max(...row)) === data.labels[r]) right++;
  }
  return right / data.rows;
}

describe('CNN passes of the float32 model against the float64 reference', () => {
  const layers: LayerSpecInput[] = [
    { type: 'conv2d', filters: 4, kernel: 3, stride: 2, padding: 'same', activation: 'identity' }, { type: 'batchnorm' },
    { type: 'activation', activation: 'relu' }, { type: 'conv2d', filters: 5, kernel: 2, activation: 'tanh' },
    { type: 'maxpool2d', size: 2, stride: 1 }, { type: 'dense', units: 6, activation: 'elu' }, { type: 'dense', units: 3, activation: 'softmax' },
  ];
  it.each([false, true])('3×9×7 input, training %s: outputs, every gradient and the running statistics', (training) => {
    const model = Model.create({ version: 2, input: [3, 9, 7], layers, loss: 'categorical-crossentropy', task: 'classification' }, { seed: 2 });
    const rows = 5, rng = new Random(8);
    const plan = model.plan(rows);
    expect(plan.describe().passes).toBe('typed layers');
    const x = Float32Array.from({ length: rows * 3 * 9 * 7 }, () => rng.range(-1, 1));
    const t = oneHot([0, 1, 2, 1, 0], 3);
    const state = Float64Array.from(model.state);
    const grads = model.viewsOf(new Float32Array(model.paramCount));
    const out = plan.forward(x, rows, training, new Random(1));
    plan.backward(t, grads.flat, true);

    const ref = new ReferenceModel(model.spec, { training });
    const pass = ref.forward(model.params, x, t, rows, state);
    const refGrads = ref.backward(model.params, pass, t, rows);
    const y = pass.outputs[pass.outputs.length - 1];
    for (let k = 0; k < y.length; k++) expect(Math.abs(out[k] - y[k]), `output ${k}`).toBeLessThan(1e-5);
    let worst = 0;
    for (let k = 0; k < model.paramCount; k++) worst = Math.max(worst, Math.abs(grads.flat[k] - refGrads[k]) / (1e-3 + Math.abs(refGrads[k])));
    expect(worst).toBeLessThan(1e-3);
    for (let k = 0; k < model.stateCount; k++) expect(Math.abs(model.state[k] - state[k]), `state ${k}`).toBeLessThan(1e-6);
    if (training) expect(Array.from(model.state).some((v, k) => v !== (k < model.stateCount / 2 ? 0 : 1))).toBe(true);
  });
});

describe('CNNs learn through the Trainer', () => {
  it.each([
    { name: 'LeNet-shaped: conv 6@5×5 same → maxpool 2 → conv 8@3×3 → avgpool 2 → dense 24 → softmax', S: 12, layers: [
      { type: 'conv2d', filters: 6, kernel: 5, padding: 'same', activation: 'relu' }, { type: 'maxpool2d', size: 2 },
      { type: 'conv2d', filters: 8, kernel: 3, activation: 'relu' }, { type: 'avgpool2d', size: 2 },
      { type: 'dense', units: 24, activation: 'relu' }, { type: 'dense', units: 3, activation: 'softmax' }] },
    { name: 'small CNN with batch norm and dropout: conv → batchnorm → relu → pool → dropout → globalavgpool → dense', S: 10, layers: [
      { type: 'conv2d', filters: 8, kernel: 3, activation: 'identity' }, { type: 'batchnorm' }, { type: 'activation', activation: 'relu' },
      { type: 'maxpool2d', size: 2 }, { type: 'dropout', rate: 0.1 }, { type: 'conv2d', filters: 12, kernel: 2, activation: 'relu' },
      { type: 'globalavgpool' }, { type: 'dense', units: 3, activation: 'softmax' }] },
  ] as const)('$name', async ({ S, layers }) => {
    const spec = { version: 2 as const, input: [1, S, S] as [number, number, number], layers: layers as readonly LayerSpecInput[] as LayerSpecInput[], loss: 'categorical-crossentropy' as const, task: 'classification' as const };
    const model = Model.create(spec, { seed: 3 });
    const train = bars(600, S, 1), test = bars(300, S, 2);
    const before = accuracy(model, test);
    const trainer = new Trainer(model, train, { optimizer: { name: 'adam', lr: 0.01 }, batchSize: 32, epochs: 6, seed: 4 });
    const result = await trainer.train();
    expect(result.history.at(-1)!.loss).toBeLessThan(0.5 * result.history[0].loss);
    expect(before).toBeLessThan(0.5);
    expect(accuracy(model, test)).toBeGreaterThan(0.9);
  });

  it('augments training batches when asked: reproducible per seed, different from plain training, the data untouched', async () => {
    const spec = { version: 2 as const, input: [1, 10, 10] as [number, number, number], loss: 'categorical-crossentropy' as const, task: 'classification' as const,
      layers: [{ type: 'conv2d', filters: 4, kernel: 3, activation: 'relu' }, { type: 'maxpool2d', size: 2 }, { type: 'dense', units: 3, activation: 'softmax' }] as LayerSpecInput[] };
    const train = bars(200, 10, 1);
    const pixels = Float32Array.from(train.x);
    const trained = async (augment?: { shift?: number; flip?: boolean }) => {
      const model = Model.create(spec, { seed: 3 });
      await new Trainer(model, train, { optimizer: { name: 'adam', lr: 0.01 }, batchSize: 20, epochs: 2, seed: 4, augment }).train();
      return Array.from(model.params);
    };
    const plain = await trained();
    const shifted = await trained({ shift: 2, flip: true });
    expect(await trained({ shift: 2, flip: true })).toEqual(shifted);
    expect(shifted).not.toEqual(plain);
    // Off (shift 0, no flip) is exactly plain training: the shuffles and dropout draw from their own stream.
    expect(await trained({ shift: 0, flip: false })).toEqual(plain);
    expect(train.x).toEqual(pixels);
  });
});
