/** The trainer: convergence, optimizers, batching, schedules, regularisation, control, determinism. */
import { describe, expect, it } from 'vitest';
import { DensePasses } from '../../shared/nn/plans/dense-passes.js';
import {
  circles, DataError, DivergenceError, evaluate, learningRateAt, Model, OPTIMIZER_NAMES, Trainer,
  type BatchReport, type ModelSpecInput, type RegressionMetrics, type TrainConfigInput,
} from '../../shared/nn/index.js';

const xorX = Float32Array.from([0, 0, 0, 1, 1, 0, 1, 1]);
const xorY = Float32Array.from([0, 1, 1, 0]);

function sinData(n = 200) {
  const x = Float32Array.from({ length: n }, (_, i) => -Math.PI + (2 * Math.PI * i) / (n - 1));
  return { x, y: x.map(Math.sin), rows: n };
}

const circleSpec: ModelSpecInput = {
  inputs: 2,
  layers: [{ units: 8, activation: 'tanh' }, { units: 8, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }],
  loss: 'binary-crossentropy',
  task: 'classification',
};

async function trainCircles(config: Partial<TrainConfigInput>, seed = 1) {
  const model = Model.create(circleSpec, { seed });
  const trainer = new Trainer(model, circles(200, 4), { optimizer: { name: 'sgd', lr: 0.05 }, batchSize: 10, epochs: 5, seed: 7, ...config });
  const result = await trainer.train();
  return { model, trainer, result };
}

describe('convergence', () => {
  it('a 2-4-1 sigmoid network learns XOR (what the single perceptron cannot)', async () => {
    const model = Model.create({ inputs: 2, layers: [{ units: 4, activation: 'sigmoid' }, { units: 1, activation: 'sigmoid' }], loss: 'binary-crossentropy', task: 'classification' }, { seed: 1 });
    await new Trainer(model, { x: xorX, y: xorY, rows: 4 }, { optimizer: { name: 'sgd', lr: 1 }, batchSize: 'full', epochs: 2000 }).train();
    const p = model.predict(xorX, 4);
    expect(Array.from(p, (v) => (v > 0.5 ? 1 : 0))).toEqual([0, 1, 1, 0]);
    expect(Math.max(p[0], p[3])).toBeLessThan(0.1);
    expect(Math.min(p[1], p[2])).toBeGreaterThan(0.9);
  });

  it('a 1-20(tanh)-1 network fits sin(x) on [−π, π] to MSE < 1e-3', async () => {
    const data = sinData();
    const model = Model.create({ inputs: 1, layers: [{ units: 20, activation: 'tanh' }, { units: 1, activation: 'identity' }], loss: 'mse', task: 'regression' }, { seed: 1 });
    await new Trainer(model, data, { optimizer: { name: 'adam', lr: 0.01 }, batchSize: 16, epochs: 500, seed: 1 }).train();
    const metrics = evaluate(model, data).metrics as RegressionMetrics;
    expect(metrics.mse).toBeLessThan(1e-3);
    expect(metrics.r2).toBeGreaterThan(0.99);
  });

  it.each(OPTIMIZER_NAMES)('%s lowers the loss', async (name) => {
    const lr = name === 'sgd' || name === 'momentum' || name === 'nesterov' ? 0.05 : 0.01;
    const data = circles(200, 4);
    const model = Model.create(circleSpec, { seed: 1 });
    const before = evaluate(model, data).loss;
    await new Trainer(model, data, { optimizer: { name, lr }, batchSize: 10, epochs: 20, seed: 7 }).train();
    const after = evaluate(model, data).loss;
    expect(after).toBeLessThan(0.5 * before);
  });
});

describe('determinism and control', () => {
  it('the same seed gives bit-identical weights; another seed does not', async () => {
    const config = { optimizer: { name: 'adam', lr: 0.01 }, sampling: 'shuffle', epochs: 3 } as const;
    const a = await trainCircles(config);
    const b = await trainCircles(config);
    const c = await trainCircles({ ...config, seed: 8 });
    expect(Buffer.from(a.model.params.buffer).equals(Buffer.from(b.model.params.buffer))).toBe(true);
    expect(Buffer.from(a.model.params.buffer).equals(Buffer.from(c.model.params.buffer))).toBe(false);
    expect(Model.create(circleSpec, { seed: 2 }).params).not.toEqual(Model.create(circleSpec, { seed: 1 }).params);
  });

  it('pausing and resuming gives exactly the uninterrupted result, and the event loop keeps running', async () => {
    const config = { optimizer: { name: 'momentum', lr: 0.05 }, epochs: 4 } as const;
    const straight = await trainCircles(config);
    const model = Model.create(circleSpec, { seed: 1 });
    const trainer = new Trainer(model, circles(200, 4), { batchSize: 10, seed: 7, ...config });
    let batches = 0, paused = false, pauses = 0, ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    await trainer.train({
      onBatch: () => {
        batches++;
        if (batches % 17 === 0) {
          paused = true;
          pauses++;
          setTimeout(() => (paused = false), 15);
        }
      },
      shouldPause: () => paused,
      yieldEveryMs: 1,
    });
    clearInterval(timer);
    expect(pauses).toBeGreaterThan(3);
    expect(ticks).toBeGreaterThan(3);
    expect(Buffer.from(model.params.buffer).equals(Buffer.from(straight.model.params.buffer))).toBe(true);
  });

  it('step-wise driving (step / epochDone / endEpoch) equals train()', async () => {
    const config = { optimizer: { name: 'rmsprop', lr: 0.01 }, epochs: 3 } as const;
    const viaTrain = await trainCircles(config);
    const model = Model.create(circleSpec, { seed: 1 });
    const trainer = new Trainer(model, circles(200, 4), { batchSize: 10, seed: 7, ...config });
    while (!trainer.done) {
      trainer.step();
      if (trainer.epochDone) trainer.endEpoch();
    }
    expect(Array.from(model.params)).toEqual(Array.from(viaTrain.model.params));
    expect(trainer.result().reason).toBe('completed');
  });

  it('the learning rate can be changed between steps (e.g. while paused)', () => {
    const model = Model.create(circleSpec, { seed: 1 });
    const trainer = new Trainer(model, circles(200, 4), { optimizer: { name: 'sgd', lr: 0.05 }, batchSize: 10, epochs: 2 });
    trainer.step();
    expect(trainer.batchReport().learningRate).toBe(0.05);
    trainer.setLearningRate(0.001);
    trainer.step();
    expect(trainer.batchReport().learningRate).toBe(0.001);
    expect(() => trainer.setLearningRate(-1)).toThrow(/positive number/);
  });

  it('shouldStop ends the run with reason "stopped" and keeps the weights so far', async () => {
    const model = Model.create(circleSpec, { seed: 1 });
    const trainer = new Trainer(model, circles(200, 4), { optimizer: { name: 'sgd', lr: 0.05 }, batchSize: 10, epochs: 100 });
    let batches = 0;
    const result = await trainer.train({ onBatch: () => batches++, shouldStop: () => batches >= 25 });
    expect(result.reason).toBe('stopped');
    expect(result.iterations).toBe(25);
    expect(trainer.done).toBe(true);
  });

  it('reports loss, accuracy, throughput and learning rate per batch and per epoch', async () => {
    const data = circles(200, 4);
    const reports: BatchReport[] = [];
    const model = Model.create(circleSpec, { seed: 1 });
    const trainer = new Trainer(model, data, { optimizer: { name: 'sgd', lr: 0.05 }, batchSize: 30, epochs: 2 }, circles(60, 9));
    const epochs: number[] = [];
    const result = await trainer.train({ onBatch: (r) => reports.push(r), onEpoch: (e) => epochs.push(e.epoch) });
    expect(epochs).toEqual([1, 2]);
    expect(reports).toHaveLength(14); // ⌈200/30⌉ = 7 batches per epoch, the last one of 20 rows
    expect(reports[6]).toMatchObject({ epoch: 1, batch: 7, batchesPerEpoch: 7, iteration: 7, rows: 20, learningRate: 0.05 });
    for (const r of reports) {
      expect(r.loss).toBeGreaterThan(0);
      expect(r.accuracy).toBeGreaterThanOrEqual(0);
      expect(r.samplesPerSec).toBeGreaterThan(0);
    }
    const last = result.history[1];
    expect(last.validation?.metrics.kind).toBe('classification');
    expect(last.validation!.loss).toBeGreaterThan(0);
    expect(last.samplesPerSec).toBeGreaterThan(0);
    expect(JSON.parse(JSON.stringify(last))).toEqual(last); // plain JSON, fit for IPC
  });

  it('training yields to the event loop about every yieldEveryMs', async () => {
    const model = Model.create(circleSpec, { seed: 1 });
    const trainer = new Trainer(model, circles(500, 4), { optimizer: { name: 'sgd', lr: 0.05 }, batchSize: 1, epochs: 30 });
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    await trainer.train({ yieldEveryMs: 5 });
    clearInterval(timer);
    expect(ticks).toBeGreaterThan(2);
  });
});

describe('batching', () => {
  const data = circles(103, 4);
  const batchesOf = async (config: Partial<TrainConfigInput>) => {
    const rows: number[] = [];
    const trainer = new Trainer(Model.create(circleSpec), data, { optimizer: { name: 'sgd', lr: 0.05 }, epochs: 1, ...config });
    await trainer.train({ onBatch: (r) => rows.push(r.rows) });
    return { rows, trainer };
  };

  it('full batch: one step per epoch over the whole dataset', async () => {
    const { rows } = await batchesOf({ batchSize: 'full' });
    expect(rows).toEqual([103]);
  });

  it('stochastic: one row per step, every row once per epoch', async () => {
    const { rows } = await batchesOf({ batchSize: 1 });
    expect(rows).toHaveLength(103);
    expect(rows.every((r) => r === 1)).toBe(true);
  });

  it('mini-batch: ⌈rows/size⌉ steps, the last one partial', async () => {
    const { rows } = await batchesOf({ batchSize: 25, sampling: 'sequential' });
    expect(rows).toEqual([25, 25, 25, 25, 3]);
  });

  it('random sampling (the tutorials\' np.random.choice): full batches drawn with replacement', async () => {
    const { rows, trainer } = await batchesOf({ batchSize: 25, sampling: 'random', iterations: 9, epochs: undefined });
    expect(rows).toEqual([25, 25, 25, 25, 25, 25, 25, 25, 25]);
    expect(trainer.result()).toMatchObject({ reason: 'completed', iterations: 9, epochs: 2 });
  });

  it('an iteration budget ends mid-epoch and closes that epoch', async () => {
    const { rows, trainer } = await batchesOf({ batchSize: 25, iterations: 7, epochs: undefined });
    expect(rows).toEqual([25, 25, 25, 25, 3, 25, 25]);
    expect(trainer.history.map((e) => e.iteration)).toEqual([5, 7]);
  });

  it('shuffling reorders the rows, not which rows an epoch sees: a full-size batch gives the same step', async () => {
    const a = await trainCircles({ sampling: 'shuffle', batchSize: 200, epochs: 1 });
    const b = await trainCircles({ sampling: 'sequential', batchSize: 200, epochs: 1 });
    // One full-size batch: the same rows in another order give the same gradient up to rounding.
    Array.from(a.model.params).forEach((v, i) => expect(v).toBeCloseTo(b.model.params[i], 5));
  });
});

describe('schedules', () => {
  it('constant, step decay, exponential decay and cosine', () => {
    expect(learningRateAt({ name: 'constant' }, 0.1, 7, 10)).toBe(0.1);
    expect([0, 1, 2, 3, 4].map((e) => learningRateAt({ name: 'step', every: 2, factor: 0.5 }, 0.1, e, 10))).toEqual([0.1, 0.1, 0.05, 0.05, 0.025]);
    expect(learningRateAt({ name: 'exponential', rate: 0.9 }, 0.1, 2, 10)).toBeCloseTo(0.081, 12);
    expect(learningRateAt({ name: 'cosine', minLr: 0 }, 0.1, 0, 10)).toBe(0.1);
    expect(learningRateAt({ name: 'cosine', minLr: 0 }, 0.1, 5, 10)).toBeCloseTo(0.05, 12);
    expect(learningRateAt({ name: 'cosine', minLr: 0.01 }, 0.1, 10, 10)).toBeCloseTo(0.01, 12);
  });

  it('the trainer applies the schedule epoch by epoch', async () => {
    const { result } = await trainCircles({ schedule: { name: 'step', every: 1, factor: 0.5 }, epochs: 3 });
    expect(result.history.map((e) => e.learningRate)).toEqual([0.05, 0.025, 0.0125]);
  });
});

describe('regularisation', () => {
  const squaredNorm = (m: Model) => m.layers.reduce((s, l) => s + m.views.W[l.index].reduce((a, w) => a + w * w, 0), 0);

  it('L2 shrinks the weights and its penalty ½λΣw² is part of the loss', async () => {
    const plain = await trainCircles({ epochs: 10 });
    const l2 = await trainCircles({ epochs: 10, l2: 0.05 });
    expect(squaredNorm(l2.model)).toBeLessThan(0.8 * squaredNorm(plain.model));
    const data = circles(200, 4);
    const withPenalty = evaluate(l2.model, data, { l2: 0.05 }).loss;
    expect(withPenalty - evaluate(l2.model, data).loss).toBeCloseTo(0.5 * 0.05 * squaredNorm(l2.model), 5);
  });

  it('L1 drives weights towards zero (sparsity)', async () => {
    const plain = await trainCircles({ epochs: 20, optimizer: { name: 'adam', lr: 0.01 } });
    const l1 = await trainCircles({ epochs: 20, optimizer: { name: 'adam', lr: 0.01 }, l1: 0.01 });
    const small = (m: Model) => m.views.W.reduce((s, w) => s + w.filter((v) => Math.abs(v) < 0.02).length, 0);
    expect(small(l1.model)).toBeGreaterThan(2 * small(plain.model));
  });

  it('dropout: inverted scaling keeps the mean, training differs, prediction is deterministic', async () => {
    const spec = { ...circleSpec, layers: [{ units: 64, activation: 'sigmoid', dropout: 0.5 }, { units: 1, activation: 'sigmoid' }] } as ModelSpecInput;
    const model = Model.create(spec, { seed: 3 });
    const data = circles(200, 4);
    const ws = new DensePasses(model, 200, null);
    const { Random } = await import('../../shared/nn/random.js');
    ws.forward(data.x, 200, true, new Random(1));
    const mean = (a: Float32Array) => a.reduce((s, v) => s + v, 0) / a.length;
    const zeroed = ws.dropped[0].filter((v) => v === 0).length / ws.dropped[0].length;
    expect(zeroed).toBeGreaterThan(0.45);
    expect(zeroed).toBeLessThan(0.55);
    expect(mean(ws.dropped[0]) / mean(ws.a[0])).toBeGreaterThan(0.95);
    expect(mean(ws.dropped[0]) / mean(ws.a[0])).toBeLessThan(1.05);
    expect(Array.from(model.predict(data.x, 200))).toEqual(Array.from(model.predict(data.x, 200)));
    const trained = new Trainer(model, data, { optimizer: { name: 'adam', lr: 0.01 }, batchSize: 20, epochs: 30 });
    await trained.train();
    expect(trained.history.at(-1)!.loss).toBeLessThan(trained.history[0].loss);
    expect(() => Model.create({ ...circleSpec, layers: [{ units: 4, activation: 'tanh' }, { units: 1, activation: 'sigmoid', dropout: 0.2 }] }))
      .toThrow(/dropout on the output layer/);
  });
});

describe('early stopping', () => {
  it('stops after `patience` epochs without improvement and restores the best weights', async () => {
    // minDelta so large that nothing after the first epoch counts as an improvement.
    const { model, result } = await trainCircles({ epochs: 50, earlyStopping: { patience: 3, minDelta: 1e9, monitor: 'loss' } });
    expect(result).toMatchObject({ reason: 'early-stopped', epochs: 4, bestEpoch: 1, restoredBest: true });
    expect(result.history.at(-1)!.earlyStopped).toBe(true);
    const oneEpoch = await trainCircles({ epochs: 1 });
    expect(Array.from(model.params)).toEqual(Array.from(oneEpoch.model.params));
  });

  it('monitors the validation loss by default when there is validation data', async () => {
    const model = Model.create(circleSpec, { seed: 1 });
    const trainer = new Trainer(model, circles(200, 4), { optimizer: { name: 'sgd', lr: 0.05 }, batchSize: 10, epochs: 40, earlyStopping: { patience: 2, minDelta: 0.05 } }, circles(100, 5));
    const result = await trainer.train();
    expect(result.reason).toBe('early-stopped');
    const best = result.history[result.bestEpoch - 1].validation!.loss;
    for (const e of result.history.slice(result.bestEpoch)) expect(e.validation!.loss).toBeGreaterThan(best - 0.05);
  });

  it('refuses to monitor val_loss without validation data', () => {
    expect(() => new Trainer(Model.create(circleSpec), circles(20), { optimizer: { name: 'sgd', lr: 0.1 }, epochs: 2, earlyStopping: { patience: 2, monitor: 'val_loss' } }))
      .toThrow(/'val_loss' needs validation data/);
  });
});

describe('bad runs and bad data get clear errors', () => {
  it('divergence names the epoch and batch and suggests a lower learning rate', async () => {
    const data = sinData(50);
    data.y.forEach((_, i) => (data.y[i] *= 1e4));
    const model = Model.create({ inputs: 1, layers: [{ units: 8, activation: 'relu' }, { units: 1, activation: 'identity' }], loss: 'mse', task: 'regression' });
    const trainer = new Trainer(model, data, { optimizer: { name: 'sgd', lr: 10 }, batchSize: 10, epochs: 5 });
    const error = await trainer.train().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DivergenceError);
    const d = error as DivergenceError;
    expect(d.epoch).toBe(1);
    expect(d.batch).toBeGreaterThanOrEqual(1);
    expect(d.message).toMatch(/^training diverged at epoch 1, batch \d+: the loss became (NaN|Infinity) \(learning rate 10\)\. Try a lower learning rate, e\.g\. 1,/);
  });

  it('wrong sizes, NaN values and class labels instead of one-hot rows are named', () => {
    const model = Model.create(circleSpec);
    const config = { optimizer: { name: 'sgd', lr: 0.1 }, epochs: 1 } as const;
    expect(() => new Trainer(model, { x: new Float32Array(5), y: new Float32Array(3), rows: 3 }, config))
      .toThrow(new DataError('training data: inputs has 5 values, expected rows × columns = 3 × 2 = 6'));
    const x = new Float32Array(6);
    x[3] = NaN;
    expect(() => new Trainer(model, { x, y: new Float32Array(3), rows: 3 }, config)).toThrow('training data: inputs: row 2, column 2 is NaN, expected a finite number');
    const multi = Model.create({ ...circleSpec, layers: [{ units: 3, activation: 'softmax' }], loss: 'categorical-crossentropy' });
    expect(() => new Trainer(multi, { x: new Float32Array(6), y: Float32Array.from([0, 2, 1]), rows: 3 }, config)).toThrow(/one value per row but the model has 3 outputs; give one-hot rows/);
    expect(() => new Trainer(model, circles(10), { optimizer: { name: 'sgd', lr: 0.1 } })).toThrow(/give a number of epochs or of iterations/);
    expect(() => new Trainer(model, circles(10), { optimizer: { name: 'sgd', lr: -1 }, epochs: 1 })).toThrow(/training config, optimizer\.lr:/);
  });
});
