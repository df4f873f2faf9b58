/**
 * k-fold cross-validation (issue 16, item 5): one run per fold, each judged on its held-out fold,
 * reported as mean ± standard deviation per metric. On a 23-row test split one row moves accuracy
 * by 4 points; five folds judge every row once. The sd is the population one (ddof 0), as
 * scikit-learn's `cross_val_score(...).std()` prints it.
 */
import type { RunConfig, RunConfigInput } from './config.js';
import type { Metrics, SplitEvaluation } from './results.js';

/** Folds used when the person asks for cross-validation without a number. */
export const DEFAULT_FOLDS = 5;

/** Below this many rows the Results page offers cross-validation: a test split is then a handful of rows. */
export const SMALL_DATASET_ROWS = 1000;

/** The run config of fold `index` of `count`: the same settings, the fold as its test split. */
export function foldConfig<C extends RunConfigInput | RunConfig>(config: C, count: number, index: number): C {
  const options = { ...config.dataset.options, fold: { count, index } };
  return { ...config, name: `${config.name ?? 'fold'} ${index + 1}/${count}`, dataset: { ...config.dataset, options } };
}

export interface MetricSummary {
  /** Metric key as the CLI's JSON names it (accuracy, macro_f1, r2, …). */
  metric: string;
  mean: number;
  sd: number;
  values: number[];
}

/** The metrics summarised per fold: accuracy and macro F1 for classification, R², RMSE and MAE for regression. */
export function foldMetrics(m: Metrics): Record<string, number> {
  return m.kind === 'classification'
    ? { accuracy: m.accuracy, macro_f1: m.macro.f1 }
    : { r2: m.r2, rmse: m.rmse, mae: m.mae };
}

/** Mean ± sd of each metric over the folds' test evaluations (in fold order). */
export function summarizeFolds(tests: readonly SplitEvaluation[]): MetricSummary[] {
  if (tests.length === 0) return [];
  const perFold = tests.map((t) => foldMetrics(t.metrics));
  return Object.keys(perFold[0]).map((metric) => {
    const values = perFold.map((f) => f[metric]);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const sd = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length);
    return { metric, mean, sd, values };
  });
}
