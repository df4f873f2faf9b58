/**
 * Gradient check: backpropagation against numerical differentiation, in float64.
 *
 * The engine trains in float32, where a finite difference would drown in rounding error, so the
 * check runs the model's spec through the float64 textbook network of reference.ts (plain loops,
 * the very activation and loss definitions training uses). For every parameter p it compares the
 * backprop gradient a with the central difference n = (L(p + h) − L(p − h)) / 2h, h = 1e-4 (the
 * tutorials' value), and reports per tensor the largest relative error |a − n| / max(|a|, |n|, floor),
 * the floor being 1/1000 of the tensor's largest gradient or a rounding-noise level (see `relativeErrorFloor`).
 *
 * Entries whose ±h straddles a kink — a ReLU/leaky ReLU/SELU pre-activation, an MAE residual or an
 * L1-penalised weight crossing 0 — are skipped and counted: there the difference measures neither
 * side's slope, and no backprop bug is to blame (a max pool whose winner changes, likewise). Dropout
 * is off (a random mask has no gradient to check).
 */
import { checkShape } from './dataset.js';
import type { TensorSlot } from './layout.js';
import type { Model } from './model.js';
import { ReferenceModel } from './reference.js';
import type { ModelSpec } from './spec.js';

export interface GradCheckOptions {
  l1?: number;
  l2?: number;
  /** Step of the central difference (default 1e-4). */
  h?: number;
  /** Largest acceptable relative error (default 1e-5). */
  threshold?: number;
  /** Check a training pass (batchnorm with the batch's statistics) instead of an evaluation one. */
  training?: boolean;
  /**
   * Check at most this many entries per tensor, evenly spaced (first and last included), so that
   * every layer of a large network is covered in seconds; absent: every entry.
   */
  sample?: number;
}

export interface TensorCheck {
  /** 0-based index of the layer in the spec. */
  layer: number;
  tensor: TensorSlot['name'];
  shape: number[];
  maxRelError: number;
  maxAbsError: number;
  /** Entries compared, and entries skipped because ±h crossed a kink. */
  checked: number;
  skipped: number;
}

export interface GradCheckResult {
  h: number;
  threshold: number;
  maxRelError: number;
  ok: boolean;
  loss: number;
  tensors: TensorCheck[];
}

/**
 * The smallest denominator of an entry's relative error: 1/1000 of the tensor's largest gradient,
 * and at least 1e-6·max(1, |L|). Without it an exactly-zero gradient (say an MAE bias whose signs
 * cancel) would compare against the ~1e-12·|L| of float64 rounding noise in (L₊ − L₋)/2h and
 * report a 100% error where nothing is wrong.
 */
function relativeErrorFloor(grads: Float64Array, loss: number): number {
  let max = 0;
  for (let i = 0; i < grads.length; i++) max = Math.max(max, Math.abs(grads[i]));
  return Math.max(1e-3 * max, 1e-6 * Math.max(1, Math.abs(loss)));
}

/**
 * The float64 loss and gradient of `model`'s loss on x[rows × inputs], t[rows × outputs], with the
 * weights `params` (the model's own when omitted). Gradients use the model's flat layout.
 */
export function referenceGradients(model: Model, x: ArrayLike<number>, t: ArrayLike<number>, rows: number,
  options: { l1?: number; l2?: number; params?: ArrayLike<number> } = {}): { loss: number; grads: Float64Array } {
  const ref = referenceOf(model.spec, x, t, rows, options);
  const params = Float64Array.from(options.params ?? model.params);
  const pass = ref.forward(params, x, t, rows);
  return { loss: pass.loss, grads: ref.backward(params, pass, t, rows) };
}

/** Compares backprop with central differences for every parameter of `model` (see the module comment). */
export function gradientCheck(model: Model, x: ArrayLike<number>, t: ArrayLike<number>, rows: number, options: GradCheckOptions = {}): GradCheckResult {
  model.assertTrainableByBackprop();
  return gradientCheckSpec(model.spec, model.params, x, t, rows, options);
}

/**
 * The same check for a spec and its parameters, without building a float32 model: the reference
 * network's own backward pass against its own finite differences (every layer type it knows).
 */
export function gradientCheckSpec(spec: ModelSpec, weights: ArrayLike<number>, x: ArrayLike<number>, t: ArrayLike<number>, rows: number,
  options: GradCheckOptions = {}): GradCheckResult {
  const h = options.h ?? 1e-4;
  const threshold = options.threshold ?? 1e-5;
  const l1 = options.l1 ?? 0;
  const ref = referenceOf(spec, x, t, rows, options);
  const params = Float64Array.from(weights);
  if (params.length !== ref.layout.paramCount) throw new Error(`${params.length} weights for ${ref.layout.paramCount} parameters`);
  const base = ref.forward(params, x, t, rows);
  const analytic = ref.backward(params, base, t, rows);
  const tensors: TensorCheck[] = [];
  for (const layer of ref.layout.layers) {
    for (const slot of layer.params) {
      const { offset, size } = slot;
      const check: TensorCheck = { layer: layer.index, tensor: slot.name, shape: slot.shape, maxRelError: 0, maxAbsError: 0, checked: 0, skipped: 0 };
      const floor = relativeErrorFloor(analytic.subarray(offset, offset + size), base.loss);
      for (const p of entriesToCheck(offset, size, options.sample)) {
        const original = params[p];
        // |w| < h: the L1 term's kink at 0 lies inside [w − h, w + h].
        let crossed = slot.name === 'W' && l1 > 0 && Math.abs(original) < h;
        params[p] = original + h;
        const plus = ref.forward(params, x, t, rows);
        crossed ||= ref.crossesKink(base, plus, t);
        params[p] = original - h;
        const minus = ref.forward(params, x, t, rows);
        crossed ||= ref.crossesKink(base, minus, t);
        params[p] = original;
        if (crossed) {
          check.skipped++;
          continue;
        }
        const numeric = (plus.loss - minus.loss) / (2 * h);
        const abs = Math.abs(analytic[p] - numeric);
        const rel = abs / Math.max(Math.abs(analytic[p]), Math.abs(numeric), floor);
        check.maxAbsError = Math.max(check.maxAbsError, abs);
        check.maxRelError = Math.max(check.maxRelError, rel);
        check.checked++;
      }
      tensors.push(check);
    }
  }
  const maxRelError = Math.max(0, ...tensors.map((c) => c.maxRelError));
  return { h, threshold, maxRelError, ok: maxRelError <= threshold, loss: base.loss, tensors };
}

/** Indices offset … offset + size − 1, or `sample` of them evenly spaced. */
function entriesToCheck(offset: number, size: number, sample: number | undefined): number[] {
  if (sample === undefined || sample >= size) return Array.from({ length: size }, (_, i) => offset + i);
  if (sample <= 1) return [offset];
  return Array.from({ length: sample }, (_, i) => offset + Math.round((i * (size - 1)) / (sample - 1)));
}

/** The spec as the float64 reference network, after checking the data's sizes. */
function referenceOf(spec: ModelSpec, x: ArrayLike<number>, t: ArrayLike<number>, rows: number,
  options: { l1?: number; l2?: number; training?: boolean }): ReferenceModel {
  const ref = new ReferenceModel(spec, { l1: options.l1, l2: options.l2, training: options.training });
  checkShape(x, rows, ref.inputs, 'inputs');
  checkShape(t, rows, ref.outputs, 'targets');
  return ref;
}
