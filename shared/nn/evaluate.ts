/**
 * Judging a trained model on a dataset: its loss (with the weight penalty, as training reports it)
 * and the task's metrics, as one plain JSON object.
 */
import { checkShape, type Dataset } from './dataset.js';
import { binaryCurves, classificationMetrics, classOfRow, regressionMetrics, type ClassificationMetrics, type RegressionMetrics } from './metrics.js';
import type { Model } from './model.js';

export interface Evaluation {
  loss: number;
  metrics: ClassificationMetrics | RegressionMetrics;
}

/** The positive (second) class's probability in a two-class output row: the sigmoid's p, or softmax's second column. */
export function positiveScore(out: ArrayLike<number>, offset: number, cols: number): number {
  return cols === 1 ? out[offset] : out[offset + 1];
}

/**
 * Loss and metrics of `model` on `data` (no dropout). Two classes also get their ROC and
 * precision–recall curves; with `threshold` they are predicted positive when p ≥ threshold
 * (otherwise by the most probable class).
 */
export function evaluate(model: Model, data: Dataset, options: { l1?: number; l2?: number; threshold?: number } = {}): Evaluation {
  const { x, y, rows } = data;
  const cols = model.outputs;
  checkShape(x, rows, model.inputs, 'inputs');
  checkShape(y, rows, cols, 'targets');
  let lossSum = 0;
  const classification = model.spec.task === 'classification';
  const actual = new Int32Array(classification ? rows : 0);
  const predicted = new Int32Array(classification ? rows : 0);
  const outputs = classification ? null : new Float32Array(rows * cols);
  const binary = classification && Math.max(2, cols) === 2;
  const scores = new Float32Array(binary ? rows : 0);
  const threshold = binary ? options.threshold : undefined;
  model.forEachChunk(x, rows, (out, start, n, plan) => {
    const t = y.subarray(start * cols, (start + n) * cols);
    const value = model.lossValue(plan, out, t, n);
    lossSum += model.loss.averaged ? value * n : value;
    if (outputs) {
      outputs.set(out.subarray(0, n * cols), start * cols);
    } else {
      for (let r = 0; r < n; r++) {
        actual[start + r] = classOfRow(t, r * cols, cols);
        if (binary) scores[start + r] = positiveScore(out, r * cols, cols);
        predicted[start + r] = threshold !== undefined ? (scores[start + r] >= threshold ? 1 : 0) : classOfRow(out, r * cols, cols);
      }
    }
  });
  const loss = (model.loss.averaged ? lossSum / rows : lossSum) + model.regularize(options.l1 ?? 0, options.l2 ?? 0);
  if (outputs) return { loss, metrics: regressionMetrics(outputs, y, rows, cols) };
  const metrics = classificationMetrics(actual, predicted, Math.max(2, cols), model.spec.labels);
  if (binary) metrics.binary = binaryCurves(scores, actual);
  return { loss, metrics };
}
