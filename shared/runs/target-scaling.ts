/**
 * Regression targets are standardised on the training split for training, y' = (y − mean) / sd,
 * so an optimizer's steps of ~0.01 do not have to walk the output bias to a target mean of 150
 * (issue 16: diabetes scored R² −2.55 with a linear model and diverged with SGD otherwise).
 *
 * The inverse, y = y'·sd + mean, is folded into the output layer once training ends:
 * W_out ← W_out·sd and b_out ← b_out·sd + mean. The saved model therefore predicts in the target's
 * own units, and predict, evaluate, every export and every chart need no change of their own; a
 * project saved before target scaling holds an unscaled model and reads exactly as before.
 * Folding is exact only through an identity output layer with a bias, so other outputs train on
 * the raw target (targetScaleFor answers null).
 */
import type { TargetSpec } from '../data/preprocess.js';
import type { LossName } from '../nn/losses.js';
import { paramLayout } from '../nn/model.js';
import type { ModelSpec } from '../nn/spec.js';

export interface TargetScale {
  /** The target column, for messages. */
  column: string;
  mean: number;
  std: number;
}

/** The scaling a regression run trains with, or null (classification, a constant target, or an output layer that cannot carry the inverse). */
export function targetScaleFor(spec: ModelSpec, target: TargetSpec): TargetScale | null {
  if (target.task !== 'regression' || !(target.std > 0) || !Number.isFinite(target.mean)) return null;
  const last = spec.layers[spec.layers.length - 1];
  if (last?.type !== 'dense' || last.activation !== 'identity' || last.bias === false) return null;
  return { column: target.column, mean: target.mean, std: target.std };
}

/** (y − mean) / sd, as a new array. */
export function scaleTargets(y: Float32Array, scale: TargetScale): Float32Array {
  const out = new Float32Array(y.length);
  for (let i = 0; i < y.length; i++) out[i] = (y[i] - scale.mean) / scale.std;
  return out;
}

/**
 * A copy of `weights` (the engine's flat layout for `spec`; parameters, optionally followed by
 * state) whose output layer predicts in the target's units: W·sd, b·sd + mean.
 */
export function foldTargetScale(spec: ModelSpec, weights: Float32Array, scale: TargetScale): Float32Array {
  const out = Float32Array.from(weights);
  const layers = paramLayout(spec).layers;
  const output = layers[layers.length - 1];
  const { inputs, units, wOffset, bOffset } = output;
  for (let i = wOffset; i < wOffset + inputs * units; i++) out[i] = weights[i] * scale.std;
  for (let j = 0; j < units; j++) out[bOffset + j] = weights[bOffset + j] * scale.std + scale.mean;
  return out;
}

/**
 * A loss on standardised targets in the target's own units, for the history charts: squared
 * errors scale by sd², absolute ones by sd. Huber's mix of the two has no such factor: it stays
 * as trained. (The weight penalty, when there is one, is scaled along with it.)
 */
export function lossInTargetUnits(loss: number, name: LossName, scale: TargetScale | null): number {
  if (!scale) return loss;
  if (name === 'mse' || name === 'sse') return loss * scale.std * scale.std;
  if (name === 'mae') return loss * scale.std;
  return loss;
}
