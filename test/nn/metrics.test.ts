/** Classification and regression metrics against hand-computed values (and scikit-learn's conventions). */
import { describe, expect, it } from 'vitest';
import { classIndices, classificationMetrics, evaluate, Model, regressionMetrics } from '../../shared/nn/index.js';

describe('classification metrics', () => {
  // actual:    0 0 0 1 1 2 2 2 2
  // predicted: 0 1 0 1 2 2 2 2 0
  const actual = [0, 0, 0, 1, 1, 2, 2, 2, 2];
  const predicted = [0, 1, 0, 1, 2, 2, 2, 2, 0];
  const m = classificationMetrics(actual, predicted, 3, ['cat', 'dog', 'owl']);

  it('accuracy and the confusion matrix (rows actual, columns predicted)', () => {
    expect(m.accuracy).toBeCloseTo(6 / 9, 12);
    expect(m.confusion).toEqual([[2, 1, 0], [0, 1, 1], [1, 0, 3]]);
    expect(m.labels).toEqual(['cat', 'dog', 'owl']);
  });

  it('precision, recall and F1 per class', () => {
    expect(m.perClass[0]).toMatchObject({ label: 'cat', support: 3 });
    expect(m.perClass[0].precision).toBeCloseTo(2 / 3, 12); // predicted cat: 3, right: 2
    expect(m.perClass[0].recall).toBeCloseTo(2 / 3, 12);
    expect(m.perClass[1].precision).toBeCloseTo(1 / 2, 12);
    expect(m.perClass[1].recall).toBeCloseTo(1 / 2, 12);
    expect(m.perClass[2].precision).toBeCloseTo(3 / 4, 12);
    expect(m.perClass[2].recall).toBeCloseTo(3 / 4, 12);
    expect(m.perClass[2].f1).toBeCloseTo(3 / 4, 12);
  });

  it('macro (each class the same) and weighted (by support) averages', () => {
    expect(m.macro.f1).toBeCloseTo((2 / 3 + 1 / 2 + 3 / 4) / 3, 12);
    expect(m.weighted.recall).toBeCloseTo((3 * 2 / 3 + 2 * 1 / 2 + 4 * 3 / 4) / 9, 12);
  });

  it('a class never predicted scores precision 0 instead of NaN', () => {
    const never = classificationMetrics([0, 1, 1], [0, 0, 0], 2);
    expect(never.perClass[1]).toMatchObject({ precision: 0, recall: 0, f1: 0, support: 2 });
    expect(never.labels).toEqual(['0', '1']);
  });

  it('class indices from outputs: argmax, or a 0.5 threshold for one sigmoid column', () => {
    expect(Array.from(classIndices([0.1, 0.7, 0.2, 0.5, 0.4, 0.1], 2, 3))).toEqual([1, 0]);
    expect(Array.from(classIndices([0.2, 0.5, 0.9], 3, 1))).toEqual([0, 1, 1]);
  });
});

describe('regression metrics', () => {
  it('MSE, RMSE, MAE and R² (no ½ here: these are the statistics)', () => {
    const y = [2.5, 0.0, 2, 8];
    const t = [3, -0.5, 2, 7];
    const m = regressionMetrics(y, t, 4, 1);
    expect(m.mse).toBeCloseTo(0.375, 12);
    expect(m.rmse).toBeCloseTo(Math.sqrt(0.375), 12);
    expect(m.mae).toBeCloseTo(0.5, 12);
    expect(m.r2).toBeCloseTo(0.9486081370449679, 12); // scikit-learn's r2_score example
  });

  it('R² of several outputs is their average; a constant target fitted exactly scores 1', () => {
    const m = regressionMetrics([1, 5, 1, 6], [1, 5, 1, 7], 2, 2);
    // column 0: constant target 1, fitted exactly → 1; column 1: 1 − 1/2 = 0.5
    expect(m.r2).toBeCloseTo((1 + 0.5) / 2, 12);
  });
});

describe('evaluate()', () => {
  it('gives the loss and the task\'s metrics as plain JSON', () => {
    const model = Model.fromWeights({ inputs: 1, layers: [{ units: 1, activation: 'identity' }], loss: 'mse', task: 'regression' }, [2, 1]);
    const result = evaluate(model, { x: Float32Array.from([0, 1, 2]), y: Float32Array.from([1, 3, 6]), rows: 3 });
    // predictions 1, 3, 5: one error of 1 → loss ½·1/3, metric MSE 1/3
    expect(result.loss).toBeCloseTo(1 / 6, 6);
    expect(result.metrics).toMatchObject({ kind: 'regression', rows: 3 });
    expect((result.metrics as { mse: number }).mse).toBeCloseTo(1 / 3, 6);
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  });

  it('chunks large sets through a bounded workspace and counts every row', () => {
    const model = Model.create({ inputs: 2, layers: [{ units: 3, activation: 'softmax' }], loss: 'categorical-crossentropy', task: 'classification' });
    const rows = 1000;
    const x = Float32Array.from({ length: rows * 2 }, (_, i) => Math.sin(i));
    const y = new Float32Array(rows * 3).map((_, i) => (i % 3 === Math.floor(i / 3) % 3 ? 1 : 0));
    const m = evaluate(model, { x, y, rows }).metrics;
    expect(m.kind).toBe('classification');
    expect(m.rows).toBe(1000);
  });
});
