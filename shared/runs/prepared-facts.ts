/**
 * What a run records about its prepared data and how it is judged on it, shared by the worker
 * (the built-in engine) and the importer of PyTorch results, so both runs look alike.
 */
import type { PreparedDataset } from '../data/prepare.js';
import { evaluate } from '../nn/evaluate.js';
import type { Model } from '../nn/model.js';
import type { DataShape } from './config.js';
import type { RunData, RunOutcome, SplitEvaluation } from './results.js';
import { engineDataset } from './tensors.js';

/** Predicted-vs-actual pairs kept for regression plots. */
const MAX_PAIRS = 5000;

/** What the data decides about a network (its input shape, outputs, classes). */
export function dataShape(prepared: PreparedDataset): DataShape {
  return {
    task: prepared.task,
    inputs: prepared.inputSize,
    input: prepared.inputShape,
    outputs: prepared.outputSize,
    trainRows: prepared.train.count,
    labels: prepared.task === 'classification' ? prepared.classes : undefined,
  };
}

/** The facts about the prepared data a run keeps. */
export function runData(prepared: PreparedDataset): RunData {
  return {
    name: prepared.name,
    source: prepared.source,
    task: prepared.task,
    inputs: prepared.inputSize,
    featureNames: prepared.featureNames,
    classes: prepared.task === 'classification' ? prepared.classes : undefined,
    inputShape: prepared.inputShape,
    rows: { train: prepared.train.count, validation: prepared.validation.count, test: prepared.test.count },
    notes: prepared.notes,
  };
}

/**
 * The trained model judged on each split (empty splits: null), and a regression's test pairs;
 * validation by `validationModel` when another model chose the epoch (a refit trained on it).
 */
export function judgeSplits(model: Model, prepared: PreparedDataset, penalty: { l1: number; l2: number }, validationModel = model): Pick<RunOutcome, 'evaluation' | 'pairs'> {
  const outputs = model.outputs;
  const judge = (split: PreparedDataset['train'], by = model): SplitEvaluation | null =>
    (split.count > 0 ? evaluate(by, engineDataset(split, prepared.task, outputs), penalty) : null);
  const test = prepared.test.count > 0 ? engineDataset(prepared.test, prepared.task, outputs) : null;
  return {
    evaluation: { train: judge(prepared.train)!, validation: judge(prepared.validation, validationModel), test: judge(prepared.test) },
    pairs: prepared.task === 'regression' && test ? regressionPairs(model, test) : undefined,
  };
}

function regressionPairs(model: Model, test: { x: Float32Array; y: Float32Array; rows: number }): { actual: number[]; predicted: number[] } {
  const n = Math.min(test.rows, MAX_PAIRS);
  const predicted = model.predict(test.x.subarray(0, n * model.inputs), n);
  const actual: number[] = [];
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    actual.push(test.y[i * model.outputs]);
    out.push(predicted[i * model.outputs]);
  }
  return { actual, predicted: out };
}
