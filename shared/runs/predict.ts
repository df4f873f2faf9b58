/**
 * Predictions of a trained run for raw rows, exactly as the studio computes them everywhere (the
 * Predict form, `nn-studio predict`, exports' reference): the fitted preprocessing, then the
 * network, then class names for classification.
 */
import { applyPreprocessing, type RawRow } from '../data/preprocess.js';
import { base64ToFloat32 } from '../ipc/binary.js';
import { Model } from '../nn/model.js';
import type { RunOutcome } from './results.js';

export interface RowPrediction {
  /** The class name, or the first output's value for regression. */
  prediction: string | number;
  /** Class probabilities in class order, or every output value for regression. */
  outputs: number[];
}

/** The run's network with its trained weights. */
export function trainedModel(outcome: Pick<RunOutcome, 'spec' | 'weights'>): Model {
  return Model.fromWeights(outcome.spec, base64ToFloat32(outcome.weights));
}

/**
 * Class probabilities per row from network outputs: a single sigmoid unit gives P(class 1), so its
 * two classes are [1 − p, p]; a softmax row already is the distribution.
 */
export function classProbabilities(outputs: Float32Array, rows: number, units: number): number[][] {
  const result: number[][] = [];
  for (let r = 0; r < rows; r++) {
    if (units === 1) {
      const p = outputs[r];
      result.push([1 - p, p]);
    } else {
      result.push(Array.from(outputs.subarray(r * units, (r + 1) * units)));
    }
  }
  return result;
}

/** Predicts raw table rows (objects by column name, or arrays in the training columns' order). */
export function predictRows(outcome: RunOutcome, rows: readonly RawRow[], model: Model = trainedModel(outcome)): RowPrediction[] {
  if (outcome.preprocessing.kind !== 'table') {
    throw new Error('this run was trained on images; predict it from images, not table rows');
  }
  const x = applyPreprocessing(outcome.preprocessing, rows);
  return predictFeatures(outcome, x, rows.length, model);
}

/** Predicts already-preprocessed feature rows x[rows × inputs]. */
export function predictFeatures(outcome: Pick<RunOutcome, 'spec' | 'weights' | 'threshold'>, x: Float32Array, rows: number, model: Model = trainedModel(outcome)): RowPrediction[] {
  const out = model.predict(x, rows);
  const units = model.outputs;
  if (outcome.spec.task === 'regression') {
    return Array.from({ length: rows }, (_, r) => {
      const outputs = Array.from(out.subarray(r * units, (r + 1) * units));
      return { prediction: outputs[0], outputs };
    });
  }
  const labels = outcome.spec.labels ?? [];
  return classProbabilities(out, rows, units).map((p) => {
    const best = predictedClass(p, outcome.threshold);
    return { prediction: labels[best] ?? String(best), outputs: p };
  });
}

/**
 * The class predicted from one row's probabilities: for two classes with a decision threshold, the
 * second when its probability is ≥ it; otherwise the most probable class.
 */
export function predictedClass(probabilities: readonly number[], threshold?: number | null): number {
  if (threshold !== undefined && threshold !== null && probabilities.length === 2) return probabilities[1] >= threshold ? 1 : 0;
  let best = 0;
  for (let k = 1; k < probabilities.length; k++) if (probabilities[k] > probabilities[best]) best = k;
  return best;
}
