/**
 * Judging a trained run again, after the fact: on its own test split (the dataset re-read and split
 * exactly as when it trained), or on another file with the same columns (`nn-studio evaluate
 * --data`), whose rows go through the run's saved preprocessing.
 */
import { DatasetError } from '../../shared/data/errors.js';
import { resolveOptions, type DatasetOptions } from '../../shared/data/options.js';
import { evaluate } from '../../shared/nn/evaluate.js';
import { datasetOptionsOf } from '../../shared/runs/config.js';
import { engineDataset } from '../../shared/runs/tensors.js';
import { trainedModel } from '../../shared/runs/predict.js';
import type { RunRecord, SplitEvaluation } from '../../shared/runs/results.js';
import { loadDataset, prepareDataset } from '../data/index.js';
import { featuresOf } from '../export/index.js';

/** Metrics of a finished run on its test split, or on `data` when given. */
export async function evaluateRun(run: RunRecord, data?: { source: string; options?: DatasetOptions }): Promise<SplitEvaluation> {
  const outcome = run.outcome;
  if (!outcome) throw new Error(`run ${run.id} has no trained model`);
  const model = trainedModel(outcome);
  const penalty = { l1: run.config.training.l1 ?? 0, l2: run.config.training.l2 ?? 0 };
  if (!data) {
    const prepared = await prepareDataset(run.config.dataset.source, datasetOptionsOf(run.config));
    const split = prepared.test.count > 0 ? prepared.test : prepared.train;
    return evaluate(model, engineDataset(split, prepared.task, model.outputs), penalty);
  }
  const loaded = await loadDataset(data.source, resolveOptions(data.options ?? {}));
  const { x, rows, inputs } = featuresOf(outcome, loaded);
  const state = outcome.preprocessing;
  const target = state.target;
  if (!inputs.actual) {
    throw new DatasetError({ code: 'unknown-column', file: data.source, column: target.column, expected: `the target column '${target.column}' to compare the predictions with`, found: 'no such column' });
  }
  const y = new Float32Array(rows);
  // Name the row as the file counts it: a CSV's line (header included), a JSON array's item, an image's record.
  const where = (i: number) => (loaded.kind === 'table' ? { row: loaded.table.lines[i], unit: loaded.table.unit } : { row: i + 1, unit: 'record' as const });
  inputs.actual.forEach((text, i) => {
    const value = target.task === 'classification' ? target.classes.indexOf(text) : text.trim() === '' ? NaN : Number(text);
    if (!(value >= 0 || (target.task === 'regression' && Number.isFinite(value)))) {
      throw new DatasetError({
        code: 'bad-value', file: data.source, ...where(i), column: target.column,
        expected: target.task === 'classification' ? `one of the classes the model knows (${target.classes.join(', ')})` : 'a number',
        found: text === '' ? 'nothing' : `'${text}'`,
      });
    }
    y[i] = value;
  });
  const task = target.task;
  return evaluate(model, engineDataset({ x, y: task === 'classification' ? Int32Array.from(y) : y, count: rows }, task, model.outputs), penalty);
}
