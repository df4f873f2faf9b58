/**
 * Gradient check: backpropagation against numerical differentiation, in float64.
 *
 * The engine trains in float32, where a finite difference would drown in rounding error, so the
 * check runs the same network through a small float64 reference path: plain triple-loop matrix
 * products on Float64Array and the very activation and loss definitions training uses (their loops
 * work on both array types). For every parameter p it compares the backprop gradient a with the
 * central difference n = (L(p + h) − L(p − h)) / 2h, h = 1e-4 (the tutorials' value), and reports
 * per tensor the largest relative error |a − n| / max(|a|, |n|, floor), the floor being 1/1000
 * of the tensor's largest gradient or a rounding-noise level (see `relativeErrorFloor`).
 *
 * Entries whose ±h straddles a kink — a ReLU/leaky ReLU/SELU pre-activation, an MAE residual or an
 * L1-penalised weight crossing 0 — are skipped and counted: there the difference measures neither
 * side's slope, and no backprop bug is to blame. Dropout is off (a random mask has no gradient to check).
 */
import type { Vec } from './activations.js';
import { checkShape } from './dataset.js';
import type { DenseLayer, Model } from './model.js';
import type { Loss } from './losses.js';

export interface GradCheckOptions {
  l1?: number;
  l2?: number;
  /** Step of the central difference (default 1e-4). */
  h?: number;
  /** Largest acceptable relative error (default 1e-5). */
  threshold?: number;
}

export interface TensorCheck {
  /** 0-based layer index. */
  layer: number;
  tensor: 'W' | 'b';
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

/** A float64 forward pass: per layer Z and A, and the loss (with penalty). */
interface Pass {
  z: Float64Array[];
  a: Float64Array[];
  loss: number;
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
  const ref = new Reference(model, x, t, rows, options.l1 ?? 0, options.l2 ?? 0);
  const params = Float64Array.from(options.params ?? model.params);
  const pass = ref.forward(params);
  return { loss: pass.loss, grads: ref.backward(params, pass) };
}

/** Compares backprop with central differences for every parameter of `model` (see the module comment). */
export function gradientCheck(model: Model, x: ArrayLike<number>, t: ArrayLike<number>, rows: number, options: GradCheckOptions = {}): GradCheckResult {
  model.assertTrainableByBackprop();
  const h = options.h ?? 1e-4;
  const threshold = options.threshold ?? 1e-5;
  const l1 = options.l1 ?? 0;
  const ref = new Reference(model, x, t, rows, l1, options.l2 ?? 0);
  const params = Float64Array.from(model.params);
  const base = ref.forward(params);
  const analytic = ref.backward(params, base);
  const tensors: TensorCheck[] = [];
  for (const layer of model.layers) {
    const tensorsOfLayer: [TensorCheck['tensor'], number, number, number[]][] = [['W', layer.wOffset, layer.inputs * layer.units, [layer.inputs, layer.units]]];
    if (layer.bOffset >= 0) tensorsOfLayer.push(['b', layer.bOffset, layer.units, [layer.units]]);
    for (const [tensor, offset, size, shape] of tensorsOfLayer) {
      const check: TensorCheck = { layer: layer.index, tensor, shape, maxRelError: 0, maxAbsError: 0, checked: 0, skipped: 0 };
      const floor = relativeErrorFloor(analytic.subarray(offset, offset + size), base.loss);
      for (let p = offset; p < offset + size; p++) {
        const original = params[p];
        // |w| < h: the L1 term's kink at 0 lies inside [w − h, w + h].
        let crossed = tensor === 'W' && l1 > 0 && Math.abs(original) < h;
        params[p] = original + h;
        const plus = ref.forward(params);
        crossed ||= ref.crossesKink(base, plus);
        params[p] = original - h;
        const minus = ref.forward(params);
        crossed ||= ref.crossesKink(base, minus);
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

/** The float64 reference network: textbook loops, the engine's activation and loss definitions. */
class Reference {
  private readonly layers: readonly DenseLayer[];
  private readonly loss: Loss;
  private readonly x: Float64Array;
  private readonly t: Float64Array;

  constructor(model: Model, x: ArrayLike<number>, t: ArrayLike<number>, private readonly rows: number,
    private readonly l1: number, private readonly l2: number) {
    checkShape(x, rows, model.inputs, 'inputs');
    checkShape(t, rows, model.outputs, 'targets');
    this.layers = model.layers;
    this.loss = model.loss;
    this.x = Float64Array.from(x);
    this.t = Float64Array.from(t);
  }

  forward(params: Float64Array): Pass {
    const rows = this.rows;
    const z: Float64Array[] = [], a: Float64Array[] = [];
    let inp = this.x;
    let penalty = 0;
    for (const l of this.layers) {
      const zl = new Float64Array(rows * l.units), al = new Float64Array(rows * l.units);
      // Z = inp·W + b
      for (let r = 0; r < rows; r++) {
        for (let j = 0; j < l.units; j++) {
          let s = l.bOffset >= 0 ? params[l.bOffset + j] : 0;
          for (let k = 0; k < l.inputs; k++) s += inp[r * l.inputs + k] * params[l.wOffset + k * l.units + j];
          zl[r * l.units + j] = s;
        }
      }
      l.activation.forward(al, zl, rows, l.units);
      for (let k = 0; k < l.inputs * l.units; k++) {
        const w = params[l.wOffset + k];
        penalty += this.l1 * Math.abs(w) + 0.5 * this.l2 * w * w;
      }
      z.push(zl);
      a.push(al);
      inp = al;
    }
    const out = a[a.length - 1];
    return { z, a, loss: this.loss.value(out, this.t, rows, this.layers[this.layers.length - 1].units) + penalty };
  }

  /** ∂L/∂params by the chain rule, layer by layer from the output back. */
  backward(params: Float64Array, pass: Pass): Float64Array {
    const rows = this.rows;
    const grads = new Float64Array(params.length);
    const L = this.layers.length - 1;
    const out = this.layers[L];
    let delta: Vec = new Float64Array(rows * out.units);
    if (this.loss.fusedWith === out.activation.name) {
      this.loss.fusedGrad(delta, pass.a[L], this.t, rows, out.units);
    } else {
      this.loss.grad(delta, pass.a[L], this.t, rows, out.units);
      out.activation.backward(delta, delta, pass.z[L], pass.a[L], rows, out.units);
    }
    for (let i = L; i >= 0; i--) {
      const l = this.layers[i];
      const inp = i === 0 ? this.x : pass.a[i - 1];
      // ∂W = inpᵀ·δ + λ₁·sign(W) + λ₂·W;  ∂b = Σ_rows δ
      for (let k = 0; k < l.inputs; k++) {
        for (let j = 0; j < l.units; j++) {
          let s = 0;
          for (let r = 0; r < rows; r++) s += inp[r * l.inputs + k] * delta[r * l.units + j];
          const w = params[l.wOffset + k * l.units + j];
          grads[l.wOffset + k * l.units + j] = s + this.l1 * Math.sign(w) + this.l2 * w;
        }
      }
      if (l.bOffset >= 0) {
        for (let j = 0; j < l.units; j++) {
          let s = 0;
          for (let r = 0; r < rows; r++) s += delta[r * l.units + j];
          grads[l.bOffset + j] = s;
        }
      }
      if (i === 0) break;
      // δ_prev = (δ·Wᵀ) ⊙ f'(Z_prev)
      const prev = this.layers[i - 1];
      const dPrev = new Float64Array(rows * prev.units);
      for (let r = 0; r < rows; r++) {
        for (let k = 0; k < l.inputs; k++) {
          let s = 0;
          for (let j = 0; j < l.units; j++) s += delta[r * l.units + j] * params[l.wOffset + k * l.units + j];
          dPrev[r * prev.units + k] = s;
        }
      }
      prev.activation.backward(dPrev, dPrev, pass.z[i - 1], pass.a[i - 1], rows, prev.units);
      delta = dPrev;
    }
    return grads;
  }

  /** True when some kinked quantity is on different sides of 0 in the two passes. */
  crossesKink(base: Pass, other: Pass): boolean {
    for (let i = 0; i < this.layers.length; i++) {
      if (!this.layers[i].activation.kinkAtZero) continue;
      const zb = base.z[i], zo = other.z[i];
      for (let k = 0; k < zb.length; k++) if (zb[k] > 0 !== zo[k] > 0) return true;
    }
    if (this.loss.kinkAtZeroError) {
      const ab = base.a[base.a.length - 1], ao = other.a[other.a.length - 1];
      for (let k = 0; k < ab.length; k++) if (ab[k] > this.t[k] !== ao[k] > this.t[k]) return true;
    }
    return false;
  }
}
