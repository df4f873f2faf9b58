/**
 * Issue 16, items 6 and 8 in the engine: class-weighted losses, ROC / precision–recall curves,
 * cross-entropy by log-sum-exp, AdamW's decay on weights only, gradient clipping, reduce on plateau.
 * Expected values are worked out by hand (or by scikit-learn, quoted) in each test.
 */
import { describe, expect, it } from 'vitest';
import {
  balancedClassWeights, binaryCurves, clipByGlobalNorm, createOptimizer, evaluate, jsBackend, loss, Model,
  PlateauTracker, scoresAtThreshold, Trainer, weightedLoss, type ModelSpecInput,
} from '../../shared/nn/index.js';

const softmax2: ModelSpecInput = { inputs: 1, layers: [{ units: 2, activation: 'softmax' }], loss: 'categorical-crossentropy', task: 'classification' };
const sigmoid1: ModelSpecInput = { inputs: 1, layers: [{ units: 1, activation: 'sigmoid' }], loss: 'binary-crossentropy', task: 'classification' };

describe('cross-entropy from the logits (log-sum-exp)', () => {
  it('a confidently wrong row costs its logit gap, not the 16.12 of a clipped logarithm', () => {
    // x = 1, W = [0, 40], b = 0 → z = [0, 40]; the target is class 0: CE = lse(z) − z₀ = 40 + ln(1 + e⁻⁴⁰).
    const model = Model.fromWeights(softmax2, [0, 40, 0, 0]);
    const data = { x: Float32Array.of(1), y: Float32Array.of(1, 0), rows: 1 };
    expect(evaluate(model, data).loss).toBeCloseTo(40, 10);
    // The probabilities alone would say 16.118 (−ln 1e-7): the saturation the validation loss had.
    expect(loss('categorical-crossentropy').value(model.predict(data.x, 1), data.y, 1, 2)).toBeCloseTo(16.118, 3);
  });

  it('binary cross-entropy after a sigmoid: z = −30 for a positive row costs softplus(30) ≈ 30', () => {
    const model = Model.fromWeights(sigmoid1, [-30, 0]);
    expect(evaluate(model, { x: Float32Array.of(1), y: Float32Array.of(1), rows: 1 }).loss).toBeCloseTo(30 + Math.log1p(Math.exp(-30)), 10);
  });

  it('on ordinary logits it equals −ln of the softmax: softmax([0.3, 2.9, 4.0]) = [0.01821127, …]', () => {
    const ce = loss('categorical-crossentropy');
    const z = Float64Array.of(0.3, 2.9, 4.0, 0.3, 2.9, 4.0);
    const t = Float64Array.of(1, 0, 0, 0, 0, 1);
    expect(ce.valueFromLogits!(z, t, 2, 3)).toBeCloseTo((-Math.log(0.01821127) - Math.log(0.73659691)) / 2, 6);
  });

  it('the trainer reports the same log-sum-exp loss for its batches', () => {
    const model = Model.fromWeights(softmax2, [0, 40, 0, 0]);
    const trainer = new Trainer(model, { x: Float32Array.of(1), y: Float32Array.of(1, 0), rows: 1 }, { optimizer: { name: 'sgd', lr: 1e-9 }, epochs: 1, batchSize: 1 });
    expect(trainer.step()).toBeCloseTo(40, 4);
  });
});

describe('class weights', () => {
  it("'balanced' is scikit-learn's n / (K · n_k): 3 rows of class 0 and 1 of class 1 give 2/3 and 2", () => {
    const w = balancedClassWeights(Float32Array.of(0, 0, 0, 1), 4, 1);
    expect(w[0]).toBeCloseTo(4 / 6, 12);
    expect(w[1]).toBe(2);
    expect(balancedClassWeights(Float32Array.of(1, 0, 0, 0, 1, 0, 0, 0, 1), 3, 3)).toEqual([1, 1, 1]);
  });

  it('multiply each row\'s binary cross-entropy and its gradient by the weight of its class', () => {
    const bce = weightedLoss(loss('binary-crossentropy'), [2, 5]);
    const y = Float64Array.of(0.8, 0.3), t = Float64Array.of(1, 0);
    // Row 0 is positive (weight 5), row 1 negative (weight 2); the mean keeps its 1/B.
    expect(bce.value(y, t, 2, 1)).toBeCloseTo((5 * -Math.log(0.8) + 2 * -Math.log(0.7)) / 2, 6);
    const g = new Float64Array(2);
    bce.fusedGrad(g, y, t, 2, 1);
    expect(g[0]).toBeCloseTo((5 * (0.8 - 1)) / 2, 12);
    expect(g[1]).toBeCloseTo((2 * 0.3) / 2, 12);
  });

  it('the weighted gradient through the network matches finite differences of the weighted loss', () => {
    const spec: ModelSpecInput = { inputs: 2, layers: [{ units: 3, activation: 'tanh' }, { units: 3, activation: 'softmax' }], loss: 'categorical-crossentropy', task: 'classification' };
    const model = Model.create(spec, { seed: 3 });
    const x = Float32Array.of(0.5, -1, 1.5, 0.2, -0.7, 0.9);
    const y = Float32Array.of(1, 0, 0, 0, 0, 1, 0, 1, 0);
    const weighted = weightedLoss(model.loss, [0.5, 3, 7]);
    const training = { optimizer: null, l1: 0, l2: 0, data: { x, y, rows: 3 }, loss: weighted };
    const plan = model.plan(3, training);
    const grads = new Float32Array(model.paramCount);
    plan.forward(x, 3);
    plan.backward(y, grads, true);
    const lossAt = () => {
      const p2 = model.plan(3, training);
      return model.lossValue(p2, p2.forward(x, 3), y, 3, weighted);
    };
    for (let k = 0; k < model.paramCount; k++) {
      const v = model.params[k], h = 1e-2;
      model.params[k] = v + h;
      const up = lossAt();
      model.params[k] = v - h;
      const down = lossAt();
      model.params[k] = v;
      expect(grads[k]).toBeCloseTo((up - down) / (2 * h), 3);
    }
  });

  it('training with balanced weights finds the rare class that an unweighted run gives up on', async () => {
    // 95 rows of class 0 around x = 0, 5 of class 1 around x = 0.8 (overlapping): unweighted, the
    // cheapest boundary calls everything class 0.
    const rows = 100;
    const x = Float32Array.from({ length: rows }, (_, i) => (i < 95 ? Math.sin(i) * 0.6 : 0.8 + 0.1 * Math.cos(i)));
    const y = Float32Array.from({ length: rows }, (_, i) => (i < 95 ? 0 : 1));
    const recallOfRare = async (classWeights?: 'balanced') => {
      const model = Model.create(sigmoid1, { seed: 1 });
      await new Trainer(model, { x, y, rows }, { optimizer: { name: 'adam', lr: 0.05 }, epochs: 200, batchSize: 'full', classWeights }).train();
      const m = evaluate(model, { x, y, rows }).metrics;
      return m.kind === 'classification' ? m.perClass[1].recall : NaN;
    };
    expect(await recallOfRare()).toBe(0);
    expect(await recallOfRare('balanced')).toBe(1);
  });

  it('refuses weights for a regression model and the wrong number of weights', () => {
    const regression = Model.create({ inputs: 1, layers: [{ units: 1, activation: 'identity' }], loss: 'mse', task: 'regression' });
    const data = { x: Float32Array.of(1), y: Float32Array.of(1), rows: 1 };
    expect(() => new Trainer(regression, data, { optimizer: { name: 'sgd', lr: 0.1 }, epochs: 1, classWeights: 'balanced' })).toThrow(/classification/);
    expect(() => new Trainer(Model.create(sigmoid1), data, { optimizer: { name: 'sgd', lr: 0.1 }, epochs: 1, classWeights: [1, 2, 3] })).toThrow(/3 class weights for 2 classes/);
  });
});

describe('ROC and precision–recall curves', () => {
  // scikit-learn on these scores: roc_auc_score = 0.75, average_precision_score = 0.8333333.
  const scores = [0.1, 0.4, 0.35, 0.8];
  const actual = [0, 0, 1, 1];

  it("give scikit-learn's ROC AUC and average precision", () => {
    const c = binaryCurves(scores, actual);
    expect(c.rocAuc).toBeCloseTo(0.75, 12);
    expect(c.averagePrecision).toBeCloseTo(0.8333333333, 9);
    expect(c.positives).toBe(2);
    expect(c.negatives).toBe(2);
    expect(c.points.map((p) => [p.threshold, p.tp, p.fp])).toEqual([[0.8, 1, 0], [0.4, 1, 1], [0.35, 2, 1], [0.1, 2, 2]]);
  });

  it('tied scores cross the threshold together (half credit in the AUC)', () => {
    expect(binaryCurves([0.5, 0.5], [0, 1]).rocAuc).toBeCloseTo(0.5, 12);
  });

  it('read precision and recall at a threshold', () => {
    const at = scoresAtThreshold(binaryCurves(scores, actual), 0.3);
    expect(at).toMatchObject({ tp: 2, fp: 1, fn: 0, tn: 1, recall: 1 });
    expect(at.precision).toBeCloseTo(2 / 3, 12);
  });

  it('come with every two-class evaluation, and a threshold decides the predicted class', () => {
    const model = Model.fromWeights(sigmoid1, [1, 0]); // p = σ(x)
    const data = { x: Float32Array.of(-2, -0.2, 0.1, 3), y: Float32Array.of(0, 1, 0, 1), rows: 4 };
    const plain = evaluate(model, data).metrics;
    const low = evaluate(model, data, { threshold: 0.4 }).metrics;
    if (plain.kind !== 'classification' || low.kind !== 'classification') throw new Error('classification expected');
    expect(plain.binary!.rocAuc).toBeCloseTo(0.75, 12);
    expect(plain.perClass[1].recall).toBe(0.5); // σ(−0.2) = 0.45 < 0.5
    expect(low.perClass[1].recall).toBe(1); // 0.45 ≥ 0.4
  });
});

describe('AdamW, clipping and reduce on plateau', () => {
  it('AdamW decays the weights by (1 − ηλ) per step and leaves biases alone', async () => {
    // All inputs 0: ∂L/∂W = xᵀδ = 0, so W changes by the decay only; b moves by Adam's steps.
    const spec: ModelSpecInput = { inputs: 2, layers: [{ units: 2, activation: 'identity' }], loss: 'mse', task: 'regression' };
    const data = { x: new Float32Array(8), y: Float32Array.of(1, 2, 1, 2, 1, 2, 1, 2), rows: 4 };
    const run = async (weightDecay: number) => {
      const model = Model.create(spec, { seed: 5 });
      await new Trainer(model, data, { optimizer: { name: 'adamw', lr: 0.1, weightDecay }, epochs: 3, batchSize: 'full' }).train();
      return model;
    };
    const before = Model.create(spec, { seed: 5 });
    const decayed = await run(0.5), plain = await run(0);
    const { W } = decayed.weights(0);
    const b = decayed.weights(0).b!;
    W.forEach((w, k) => expect(w).toBeCloseTo(before.weights(0).W[k] * 0.95 ** 3, 6));
    expect(Array.from(b)).toEqual(Array.from(plain.weights(0).b!));
    expect(Math.abs(b[0])).toBeGreaterThan(0.2); // the biases did move (three steps of ~0.1)
  });

  it('an optimizer without ranges decays every parameter (the old behaviour)', () => {
    const opt = createOptimizer({ name: 'adamw', lr: 0.1, weightDecay: 0.5 }, 2, jsBackend);
    const w = Float32Array.of(1, 1);
    opt.update(w, new Float32Array(2), 0.1);
    expect(Array.from(w)).toEqual([Math.fround(0.95), Math.fround(0.95)]);
  });

  it('clipping scales a long gradient to the norm and leaves a short one', () => {
    const g = Float32Array.of(3, 4);
    expect(clipByGlobalNorm(g, 1)).toBe(5);
    expect(Array.from(g)).toEqual([Math.fround(0.6), Math.fround(0.8)]);
    const short = Float32Array.of(0.3, 0.4);
    clipByGlobalNorm(short, 1);
    expect(Array.from(short)).toEqual([Math.fround(0.3), Math.fround(0.4)]);
  });

  it('the trainer clips before the update: one SGD step moves the parameters by at most η·c', () => {
    const spec: ModelSpecInput = { inputs: 1, layers: [{ units: 1, activation: 'identity' }], loss: 'mse', task: 'regression' };
    const data = { x: Float32Array.of(1), y: Float32Array.of(100), rows: 1 };
    const step = (clipNorm?: number) => {
      const model = Model.create(spec, { seed: 2 });
      const start = Float32Array.from(model.params);
      new Trainer(model, data, { optimizer: { name: 'sgd', lr: 0.1 }, epochs: 1, clipNorm }).step();
      return Math.hypot(...model.params.map((v, k) => v - start[k]));
    };
    expect(step(0.5)).toBeCloseTo(0.05, 5);
    expect(step()).toBeGreaterThan(10);
  });

  it('reduce on plateau lowers the rate by its factor after `patience` epochs without improvement', async () => {
    // Weights and targets all zero: the loss is 0 from the start and never improves on it.
    const spec: ModelSpecInput = { inputs: 1, layers: [{ units: 1, activation: 'identity' }], loss: 'mse', task: 'regression' };
    const model = Model.fromWeights(spec, [0, 0]);
    const trainer = new Trainer(model, { x: Float32Array.of(1, 2), y: Float32Array.of(0, 0), rows: 2 },
      { optimizer: { name: 'sgd', lr: 0.1 }, epochs: 6, batchSize: 'full', schedule: { name: 'plateau', factor: 0.5, patience: 2 } });
    const result = await trainer.train();
    expect(result.history.map((h) => h.learningRate)).toEqual([0.1, 0.1, 0.1, 0.05, 0.05, 0.025]);
  });

  it('the plateau tracker resets its wait on improvement and stops at the minimum rate', () => {
    const p = new PlateauTracker({ name: 'plateau', factor: 0.1, patience: 1, minLr: 0.002 });
    p.observe(1, 0.1);
    p.observe(0.5, 0.1);
    expect(p.scale).toBe(1);
    p.observe(0.6, 0.1);
    expect(p.scale).toBeCloseTo(0.1, 12);
    p.observe(0.7, 0.1);
    expect(p.scale).toBeCloseTo(0.02, 12);
  });
});
