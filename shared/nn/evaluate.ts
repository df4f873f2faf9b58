/**
 * Judging a trained model on a dataset: its loss (with the weight penalty, as training reports it)
 * and the task's metrics, as one plain JSON object.
 */
import { checkShape, type Dataset } from './dataset.js';
import { classificationMetrics, classOfRow, regressionMetrics, type ClassificationMetrics, type RegressionMetrics } from './metrics.js';
import type { Model } from './model.js';

export interface Evaluation {
  loss: number;
  metrics: ClassificationMetrics | RegressionMetrics;
}

/** Loss and metrics of `model` on `data` (no dropout). */
export function evaluate(model: Model, data: Dataset, options: { l1?: number; l2?: number } = {}): Evaluation {
  const { x, y, rows } = data;
  const cols = model.outputs;
  checkShape(x, rows, model.inputs, 'inputs');
  checkShape(y, rows, cols, 'targets');
  let lossSum = 0;
  const classification = model.spec.task === 'classification';
  const actual = new Int32Array(classification ? rows : 0);
  const predicted = new Int32Array(classification ? rows : 0);
  const outputs = classification ? null : new Float32Array(rows * cols);
  model.forEachChunk(x, rows, (out, start, n) => {
    const t = y.subarray(start * cols, (start + n) * cols);
    const value = model.loss.value(out, t, n, cols);
    lossSum += model.loss.averaged ? value * n : value;
    if (outputs) {
      outputs.set(out.subarray(0, n * cols), start * cols);
    } else {
      for (let r = 0; r < n; r++) {
        actual[start + r] = classOfRow(t, r * cols, cols);
        predicted[start + r] = classOfRow(out, r * cols, cols);
      }
    }
  });
  const loss = (model.loss.averaged ? lossSum / rows : lossSum) + model.regularize(options.l1 ?? 0, options.l2 ?? 0);
  const metrics = outputs
    ? regressionMetrics(outputs, y, rows, cols)
    : classificationMetrics(actual, predicted, Math.max(2, cols), model.spec.labels);
  return { loss, metrics };
}
