/**
 * Step inspection: one forward and backward pass on a small batch with every intermediate matrix
 * kept, as plain arrays, for the studio's step-by-step view of the tutorials. It runs the real
 * engine (float32, the model's backend) without dropout and without changing the weights.
 */
import { checkShape } from './dataset.js';
import type { Model } from './model.js';
import { DensePasses } from './plans/dense-passes.js';

/** A matrix as plain JSON: `data[r][c]`, with its shape. */
export interface Matrix {
  rows: number;
  cols: number;
  data: number[][];
}

export interface LayerCapture {
  index: number;
  activation: string;
  /** W [inputs × units] and b [units] (null without bias) before the step. */
  weights: Matrix;
  bias: number[] | null;
  /** What the layer received: X for the first layer, the previous layer's A otherwise. */
  input: Matrix;
  /** Z = input·W + b */
  preActivation: Matrix;
  /** A = f(Z) */
  postActivation: Matrix;
  /** δ = ∂L/∂Z */
  delta: Matrix;
  /** ∂L/∂W = inputᵀ·δ (+ the penalty's gradient) and ∂L/∂b = Σ_rows δ */
  gradWeights: Matrix;
  gradBias: number[] | null;
}

export interface StepCapture {
  rows: number;
  input: Matrix;
  target: Matrix;
  output: Matrix;
  /** Data loss + penalty. */
  loss: number;
  dataLoss: number;
  penalty: number;
  layers: LayerCapture[];
}

/** Longest batch the inspector shows (the view is for reading, not for training). */
export const MAX_CAPTURE_ROWS = 64;

/** `flat` [rows × cols] as nested arrays. */
export function toMatrix(flat: ArrayLike<number>, rows: number, cols: number): Matrix {
  const data: number[][] = [];
  for (let r = 0; r < rows; r++) data.push(Array.from({ length: cols }, (_, c) => flat[r * cols + c]));
  return { rows, cols, data };
}

/** Every dense layer's activations for x[rows × inputs] (no dropout), each [rows × units]. */
export function layerActivations(model: Model, x: Float32Array, rows: number): Float32Array[] {
  const passes = new DensePasses(model, rows, null);
  passes.forward(x, rows, false, null);
  return model.layers.map((l, i) => passes.a[i].subarray(0, rows * l.units));
}

/** Runs one forward + backward pass of `model` on x[rows × inputs], t[rows × outputs] and returns every matrix. */
export function captureStep(model: Model, x: Float32Array, t: Float32Array, rows: number, options: { l1?: number; l2?: number } = {}): StepCapture {
  if (rows > MAX_CAPTURE_ROWS) throw new RangeError(`step inspection shows at most ${MAX_CAPTURE_ROWS} rows, got ${rows}`);
  checkShape(x, rows, model.inputs, 'inputs');
  checkShape(t, rows, model.outputs, 'targets');
  model.assertTrainableByBackprop();
  const l1 = options.l1 ?? 0, l2 = options.l2 ?? 0;
  const passes = new DensePasses(model, rows, null); // the plain passes, every layer's matrices kept
  const grads = model.viewsOf(model.backend.alloc(model.paramCount));
  const xs = model.backend.alloc(x.length);
  const ts = model.backend.alloc(t.length);
  xs.set(x);
  ts.set(t);
  const out = passes.forward(xs, rows, false, null);
  const dataLoss = model.loss.value(out, ts, rows, model.outputs);
  passes.backward(ts, grads.flat, false);
  const penalty = model.regularize(l1, l2, grads.flat);
  const layers = model.layers.map((l, i): LayerCapture => ({
    index: i,
    activation: l.activation.name,
    weights: toMatrix(model.views.W[i], l.inputs, l.units),
    bias: model.views.b[i] ? Array.from(model.views.b[i]!) : null,
    input: toMatrix(i === 0 ? xs : passes.a[i - 1], rows, l.inputs),
    preActivation: toMatrix(passes.z[i], rows, l.units),
    postActivation: toMatrix(passes.a[i], rows, l.units),
    delta: toMatrix(passes.delta[i], rows, l.units),
    gradWeights: toMatrix(grads.W[i], l.inputs, l.units),
    gradBias: grads.b[i] ? Array.from(grads.b[i]!) : null,
  }));
  return {
    rows,
    input: toMatrix(xs, rows, model.inputs),
    target: toMatrix(ts, rows, model.outputs),
    output: toMatrix(out, rows, model.outputs),
    loss: dataLoss + penalty,
    dataLoss,
    penalty,
    layers,
  };
}
