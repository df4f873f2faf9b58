/**
 * The passes of a dense stack (dense layers, each maybe followed by dropout; flattens cost nothing:
 * an image's values are already in C,H,W order), over buffers for up to `capacity` rows:
 *   forward   Z = X·W + b,  A = f(Z),  (training with dropout: A' = A ⊙ mask)
 *   backward  δ_L = ∂L/∂Z_L (fused with softmax/sigmoid when the loss allows),
 *             ∂W += Xᵀ·δ,  ∂b += Σ_rows δ,  δ_prev = (δ·Wᵀ ⊙ mask_prev) ⊙ f'(Z_prev)
 * with three fast paths a backend's plan may switch on (wasm/wasm-plan.ts decides):
 * - fused epilogues and element-wise kernels: used whenever the backend has them
 *   (Backend.matmulActivate, activationForward/Backward);
 * - whole-network passes: `options.networkPasses`, the loops below in one kernel call each;
 * - fused SGD (`options.fusedSgd`): w ← w − η·∂L/∂w inside the backward pass, see `step`.
 * Without them, on any backend, this is the plain layer-by-layer computation (the inspector's).
 */
import type { Activation, ActivationName } from '../activations.js';
import type { Backend } from '../backend.js';
import { denseBackward, denseForward } from '../dense.js';
import type { Loss } from '../losses.js';
import type { DenseLayer, Model, ParamViews } from '../model.js';
import type { Random } from '../random.js';
import type { ModelSpec } from '../spec.js';
import { backwardThenUpdate, type Passes, type PlanTraining } from './plan.js';

/** One dense layer as whole-network passes see it. */
export interface PassLayer {
  inputs: number;
  units: number;
  activation: ActivationName;
  /** Offsets of W and of b (−1: no bias) in the flat parameter layout, which gradients share. */
  wOffset: number;
  bOffset: number;
  /** These passes' pre-activations Z, activations A and deltas ∂L/∂Z of this layer. */
  z: Float32Array;
  a: Float32Array;
  delta: Float32Array;
}

/**
 * How the output layer's δ = ∂L/∂Z comes from outputs y and targets t (losses.ts), with s = 1/rows
 * when the loss is `averaged`, else 1:
 *   'softmax-crossentropy'   (y·Σt − t)·s      cross-entropy fused with its softmax
 *   'difference'             (y − t)·s         binary cross-entropy fused with its sigmoid
 *   'difference-derivative'  (y − t)·s ⊙ f'(z) squared error through any element-wise activation
 */
export interface OutputDelta {
  rule: 'softmax-crossentropy' | 'difference' | 'difference-derivative';
  averaged: boolean;
}

/** Whole forward and backward passes of a dense stack bound to these passes' buffers. */
export interface NetworkPasses {
  /** Every layer's Z and A for x[rows × inputs]. */
  forward(params: Float32Array, x: Float32Array, rows: number): void;
  /**
   * After `forward`: every δ, and the gradients written into grads (added to them when
   * `accumulate`), with δ_L multiplied by `scale` (−η with grads = params: fused SGD).
   * Each layer's δ·Wᵀ is taken before its gradient is added, so grads may be params.
   */
  backward(params: Float32Array, grads: Float32Array, x: Float32Array, t: Float32Array, rows: number, accumulate: boolean, scale: number): void;
}

export interface DensePassOptions {
  /** Binds whole-network passes to these buffers (null: run layer by layer). */
  networkPasses?: (layers: readonly PassLayer[], capacity: number) => NetworkPasses | null;
  /** Plain SGD without a weight penalty: the update inside the backward pass. */
  fusedSgd?: boolean;
}

/** The dropout rate after each dense layer of a dense stack, or null when the spec has other layers. */
export function denseStackDropout(spec: ModelSpec): number[] | null {
  const rates: number[] = [];
  for (let i = 0; i < spec.layers.length; i++) {
    const layer = spec.layers[i], previous = spec.layers[i - 1];
    if (layer.type === 'dense') rates.push(0);
    else if (layer.type === 'dropout' && previous?.type === 'dense') rates[rates.length - 1] = layer.rate;
    else if (layer.type !== 'flatten') return null;
  }
  return spec.layers[spec.layers.length - 1].type === 'dense' ? rates : null;
}

/** How δ_L = ∂L/∂Z_L follows from the loss and the output activation, for whole-network passes; null for the others. */
export function outputDelta(loss: Loss, out: Activation): OutputDelta | null {
  if (loss.fusedWith === out.name) return { rule: out.name === 'softmax' ? 'softmax-crossentropy' : 'difference', averaged: loss.averaged };
  if (loss.name === 'mse' || loss.name === 'sse') return { rule: 'difference-derivative', averaged: loss.averaged };
  return null;
}

export class DensePasses implements Passes {
  readonly description;
  /** Per dense layer: pre-activations Z, activations A, deltas ∂L/∂Z (the inspector shows them). */
  readonly z: Float32Array[] = [];
  readonly a: Float32Array[] = [];
  readonly delta: Float32Array[] = [];
  /** A ⊙ mask for layers with dropout (what the next layer sees while training), else A itself. */
  readonly dropped: Float32Array[] = [];
  /** Each layer's last dropout mask (0 or 1/(1−p)), null without dropout. */
  readonly mask: (Float32Array | null)[] = [];
  private readonly dropout: number[];
  private readonly passes: NetworkPasses | null;
  private readonly grads: Float32Array | null;
  private gradViews: ParamViews | null = null;
  /** What the last forward pass read, and whether it was a training pass (dropout on). */
  input: Float32Array = new Float32Array(0);
  rows = 0;
  private training = false;
  private view: Float32Array | null = null;

  constructor(private readonly model: Model, readonly capacity: number, private readonly plan: PlanTraining | null,
    private readonly options: DensePassOptions = {}) {
    const rates = denseStackDropout(model.spec);
    if (rates === null) throw new Error('these passes run dense stacks only');
    this.dropout = rates;
    let total = 0;
    model.layers.forEach((l, i) => (total += capacity * l.units * (rates[i] > 0 ? 5 : 3)));
    const block = model.backend.alloc(total);
    let at = 0;
    const take = (n: number) => block.subarray(at, (at += n));
    for (const l of model.layers) {
      const n = capacity * l.units;
      this.z.push(take(n));
      this.a.push(take(n));
      this.delta.push(take(n));
      const dropped = rates[l.index] > 0;
      this.mask.push(dropped ? take(n) : null);
      this.dropped.push(dropped ? take(n) : this.a[l.index]);
    }
    this.passes = options.networkPasses?.(model.layers.map((l) => ({
      inputs: l.inputs, units: l.units, activation: l.activation.name, wOffset: l.wOffset, bOffset: l.bOffset,
      z: this.z[l.index], a: this.a[l.index], delta: this.delta[l.index],
    })), capacity) ?? null;
    this.grads = plan?.optimizer && !options.fusedSgd ? model.backend.alloc(model.paramCount) : null;
    this.description = {
      passes: this.passes ? 'whole-network passes' : 'dense layers',
      fusedEpilogues: this.passes === null && model.backend.matmulActivate !== undefined,
      update: plan?.optimizer ? (options.fusedSgd ? 'fused SGD' : 'optimizer') : 'none',
    };
  }

  forward(x: Float32Array, rows: number, training: boolean, rng: Random | null): Float32Array {
    const m = this.model, be = m.backend, { W, b } = m.views;
    let inp = x;
    if (this.passes !== null) this.passes.forward(m.params, x, rows); // the loop below in one call
    else for (const l of m.layers) {
      const i = l.index, z = this.z[i], a = this.a[i];
      // Z = inp·W + b;  A = f(Z): in one pass where the backend can, else one after the other
      if (!be.matmulActivate?.(z, a, inp, W[i], rows, l.inputs, l.units, b[i], l.activation.name)) {
        denseForward(be, z, inp, W[i], b[i], rows, l.inputs, l.units);
        activate(be, l.activation, a, z, rows, l.units);
      }
      inp = a;
      if (training && this.dropout[i] > 0) {
        if (!rng) throw new Error('dropout needs the trainer\'s random generator');
        applyDropout(this.dropped[i], a, this.mask[i]!, rows * l.units, this.dropout[i], rng);
        inp = this.dropped[i];
      }
    }
    this.input = x;
    this.rows = rows;
    this.training = training;
    const n = rows * m.outputs;
    if (this.view === null || this.view.length !== n) this.view = this.a[this.a.length - 1].subarray(0, n);
    return this.view;
  }

  backward(t: Float32Array, grads: Float32Array, overwrite: boolean): void {
    if (this.gradViews?.flat !== grads) this.gradViews = this.model.viewsOf(grads); // once per buffer: a step allocates nothing
    this.backpropagate(t, this.gradViews, !overwrite, 1);
  }

  /**
   * Fused SGD: backpropagation is linear in δ, so started from −η·δ_L it yields −η·∂L/∂W, which is
   * added straight into the weights: no gradient buffer is written and no update pass reads it.
   * Each layer's δ·Wᵀ is taken before that layer's weights change. The deltas then hold −η·δ.
   */
  step(t: Float32Array, lr: number): void {
    if (this.options.fusedSgd) this.backpropagate(t, this.model.views, true, -lr);
    else if (this.plan && this.grads) backwardThenUpdate(this, this.model, this.plan, this.grads, t, lr);
    else throw new Error('this plan was made for inference');
  }

  /** The backward pass into (accumulate) or over `grads`, every δ multiplied by `scale`. */
  private backpropagate(t: Float32Array, grads: ParamViews, accumulate: boolean, scale: number): void {
    const m = this.model, be = m.backend, rows = this.rows;
    if (this.passes !== null) { // all of the below in one call
      this.passes.backward(m.params, grads.flat, this.input, t, rows, accumulate, scale);
      return;
    }
    const L = m.layers.length - 1, out = m.layers[L], dz = this.delta[L];
    // δ_L = ∂L/∂Z_L: fused (y − t)/B when the loss absorbs the output activation, else ∂L/∂A ⊙ f'(Z).
    if (m.loss.fusedWith === out.activation.name) {
      m.loss.fusedGrad(dz, this.a[L], t, rows, out.units);
    } else {
      m.loss.grad(dz, this.a[L], t, rows, out.units);
      activateBackward(be, out.activation, dz, dz, this.z[L], this.a[L], rows, out.units);
    }
    if (scale !== 1) for (let k = 0, n = rows * out.units; k < n; k++) dz[k] *= scale;
    const { W } = m.views;
    for (let i = L; i >= 0; i--) {
      const l = m.layers[i];
      const inp = i === 0 ? this.input : this.training ? this.dropped[i - 1] : this.a[i - 1];
      const dPrev = i === 0 ? null : this.delta[i - 1];
      // ∂A_prev = δ·Wᵀ (into the previous layer's delta buffer);  ∂W (+)= inpᵀ·δ;  ∂b (+)= Σ_rows δ
      denseBackward(be, dPrev, grads.W[i], grads.b[i], this.delta[i], inp, W[i], rows, l.inputs, l.units, accumulate);
      if (!dPrev) break;
      // δ_prev = ∂A_prev ⊙ mask ⊙ f'(Z_prev)
      const prev: DenseLayer = m.layers[i - 1], mask = this.mask[i - 1];
      if (this.training && mask) for (let k = 0, n = rows * prev.units; k < n; k++) dPrev[k] *= mask[k];
      activateBackward(be, prev.activation, dPrev, dPrev, this.z[i - 1], this.a[i - 1], rows, prev.units);
    }
  }
}

/**
 * Element-wise passes shorter than this stay in JavaScript: calling a backend's kernel costs about
 * as much as computing a hundred or so activations (tiny networks, e.g. 10 rows × 8 units).
 */
const BACKEND_ELEMENTWISE_MIN = 256;

/** out = f(z) over rows×cols: the backend's kernel when it has one for f, else the JavaScript definition. */
function activate(be: Backend, f: Activation, out: Float32Array, z: Float32Array, rows: number, cols: number): void {
  const n = rows * cols;
  if (n >= BACKEND_ELEMENTWISE_MIN && be.activationForward !== undefined && be.activationForward(f.name, out, z, rows, cols)) return;
  f.forward(out, z, rows, cols);
}

/** dz = da ⊙ f'(z) over rows×cols (dz may alias da): the backend's kernel when it has one, else JavaScript. */
function activateBackward(be: Backend, f: Activation, dz: Float32Array, da: Float32Array, z: Float32Array, a: Float32Array,
  rows: number, cols: number): void {
  const n = rows * cols;
  if (n >= BACKEND_ELEMENTWISE_MIN && be.activationBackward !== undefined && f.elementwise && be.activationBackward(f.name, dz, da, z, a, n)) return;
  f.backward(dz, da, z, a, rows, cols);
}

/** Inverted dropout: mask = 0 with probability p, else 1/(1−p); out = a ⊙ mask. */
function applyDropout(out: Float32Array, a: Float32Array, mask: Float32Array, n: number, p: number, rng: Random): void {
  const keep = 1 / (1 - p);
  for (let k = 0; k < n; k++) {
    const m = rng.uniform() < p ? 0 : keep;
    mask[k] = m;
    out[k] = a[k] * m;
  }
}
