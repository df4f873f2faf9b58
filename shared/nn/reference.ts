/**
 * The textbook network, in float64 and plain loops: the oracle of the gradient check and of every
 * test of a fast path (tiled GEMMs, WebAssembly kernels, whole-network passes). Nothing here is
 * fast or clever on purpose; each function is the formula in its comment, written as loops.
 *
 * Conventions (llm.c's `*_forward` / `*_backward`): outputs first, sizes explicit (B rows, C
 * inputs, OC outputs), row-major arrays. A backward pass WRITES (=) its gradients. Activations and
 * losses are the engine's own definitions (activations.ts, losses.ts): they are already plain
 * loops over `Float32Array | Float64Array`, and the reference must use the very formulas training does.
 *
 * Sections: matrix product and dense layer; the reference model over a v2 spec (forward, backward,
 * the kinks a finite difference must not straddle); then the convolution, pooling and
 * normalisation layers.
 */
import { activation as activationByName, type Activation, type Vec } from './activations.js';
import { modelLayout, type LayerSlots, type ModelLayout } from './layout.js';
import { loss as lossByName, type Loss } from './losses.js';
import { outputActivation, shapeSize, type ModelSpec } from './spec.js';

type Num = ArrayLike<number>;

// ---------------------------------------------------------------------------------------------
// Matrix product and the dense layer

/**
 * out[M×N] = op(a)·op(b), the naive triple loop (llm.c's `matmul_forward_naive`), where op(a) is
 * a[M×K] or, with `transA`, the transpose of a stored [K×M]; op(b) is b[K×N] or, with `transB`,
 * the transpose of b stored [N×K].
 */
export function matmulNaive(out: Vec, a: Num, b: Num, M: number, K: number, N: number, transA = false, transB = false): void {
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += (transA ? a[k * M + i] : a[i * K + k]) * (transB ? b[j * K + k] : b[k * N + j]);
      out[i * N + j] = s;
    }
  }
}

/** out[B×OC] = inp[B×C] · weight[C×OC] + bias[OC] (bias null: none). */
export function denseForwardNaive(out: Vec, inp: Num, weight: Num, bias: Num | null, B: number, C: number, OC: number): void {
  matmulNaive(out, inp, weight, B, C, OC);
  if (bias) for (let r = 0; r < B; r++) for (let o = 0; o < OC; o++) out[r * OC + o] += bias[o];
}

/**
 * dinp[B×C] = dout · weightᵀ;  dweight[C×OC] = inpᵀ · dout;  dbias[OC] = Σ_rows dout
 * (each output may be null when not wanted).
 */
export function denseBackwardNaive(dinp: Vec | null, dweight: Vec | null, dbias: Vec | null, dout: Num, inp: Num, weight: Num,
  B: number, C: number, OC: number): void {
  if (dinp) matmulNaive(dinp, dout, weight, B, OC, C, false, true);
  if (dweight) matmulNaive(dweight, inp, dout, C, B, OC, true, false);
  if (dbias) {
    for (let o = 0; o < OC; o++) {
      let s = 0;
      for (let r = 0; r < B; r++) s += dout[r * OC + o];
      dbias[o] = s;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The reference model

/** What a reference forward pass keeps per layer: its input, its pre-activation (if it has one) and its output. */
export interface ReferencePass {
  inputs: Float64Array[];
  /** Z before the activation, for dense, conv2d and activation layers; null for the others. */
  pre: (Float64Array | null)[];
  outputs: Float64Array[];
  /** The loss of the batch, penalty included. */
  loss: number;
}

export interface ReferenceOptions {
  /** Weight penalties λ₁·Σ|w| + ½λ₂·Σw² over every W (not biases, not γ/β). */
  l1?: number;
  l2?: number;
  /**
   * Per layer index, the inverted-dropout mask (0 or 1/(1−p) per value) of a training pass; a
   * dropout layer without one passes its input through (evaluation).
   */
  masks?: ReadonlyMap<number, Num>;
}

/**
 * A model spec as the textbook network: forward and backward over float64 parameters in the
 * model's flat layout (layout.ts), layer by layer, each layer type by its own loops.
 */
export class ReferenceModel {
  readonly layout: ModelLayout;
  readonly loss: Loss;
  private readonly activations: (Activation | null)[];

  constructor(readonly spec: ModelSpec, private readonly options: ReferenceOptions = {}) {
    this.layout = modelLayout(spec);
    this.loss = lossByName(spec.loss);
    this.activations = spec.layers.map((l) => ('activation' in l ? activationByName(l.activation) : null));
  }

  get inputs(): number {
    return shapeSize(this.spec.input);
  }

  get outputs(): number {
    return shapeSize(this.layout.layers[this.layout.layers.length - 1].output);
  }

  /** Every layer's output for x[rows × inputs] and the loss against t[rows × outputs]. */
  forward(params: Num, x: Num, t: Num, rows: number): ReferencePass {
    const pass: ReferencePass = { inputs: [], pre: [], outputs: [], loss: 0 };
    let inp: Float64Array = Float64Array.from(x);
    for (const slots of this.layout.layers) {
      const { pre, out } = this.layerForward(slots, params, inp, rows);
      pass.inputs.push(inp);
      pass.pre.push(pre);
      pass.outputs.push(out);
      inp = out;
    }
    pass.loss = this.loss.value(inp, Float64Array.from(t), rows, this.outputs) + this.penalty(params);
    return pass;
  }

  /** ∂L/∂params (penalty included) after `forward`, in the parameter layout, by the chain rule from the output back. */
  backward(params: Num, pass: ReferencePass, t: Num, rows: number): Float64Array {
    const grads = new Float64Array(this.layout.paramCount);
    const L = this.layout.layers.length - 1;
    const targets = Float64Array.from(t);
    const y = pass.outputs[L];
    // δ at the output: ∂L/∂Z_L directly when the loss absorbs the output activation (exact), else ∂L/∂y.
    let dout: Float64Array = new Float64Array(y.length);
    const fused = this.loss.fusedWith !== null && this.loss.fusedWith === outputActivation(this.spec) && pass.pre[L] !== null;
    if (fused) this.loss.fusedGrad(dout, y, targets, rows, this.outputs);
    else this.loss.grad(dout, y, targets, rows, this.outputs);
    for (let i = L; i >= 0; i--) {
      dout = this.layerBackward(this.layout.layers[i], params, pass, i, dout, rows, grads, fused && i === L);
    }
    const { l1 = 0, l2 = 0 } = this.options;
    if (l1 !== 0 || l2 !== 0) {
      this.forEachWeight((k) => { grads[k] += l1 * Math.sign(params[k]) + l2 * params[k]; });
    }
    return grads;
  }

  /**
   * True when some quantity with a kink — a ReLU-family pre-activation, an MAE residual — lies on
   * different sides of 0 in the two passes (a finite difference across it measures neither slope).
   */
  crossesKink(base: ReferencePass, other: ReferencePass, t: Num): boolean {
    for (let i = 0; i < this.activations.length; i++) {
      const zb = base.pre[i], zo = other.pre[i];
      if (!this.activations[i]?.kinkAtZero || !zb || !zo) continue;
      for (let k = 0; k < zb.length; k++) if (zb[k] > 0 !== zo[k] > 0) return true;
    }
    if (this.loss.kinkAtZeroError) {
      const yb = base.outputs[base.outputs.length - 1], yo = other.outputs[other.outputs.length - 1];
      for (let k = 0; k < yb.length; k++) if (yb[k] > t[k] !== yo[k] > t[k]) return true;
    }
    return false;
  }

  /** Calls `visit(k)` for the index of every penalised weight (each W; not biases, γ or β). */
  forEachWeight(visit: (k: number) => void): void {
    for (const layer of this.layout.layers) {
      for (const slot of layer.params) if (slot.name === 'W') for (let k = slot.offset; k < slot.offset + slot.size; k++) visit(k);
    }
  }

  private penalty(params: Num): number {
    const { l1 = 0, l2 = 0 } = this.options;
    if (l1 === 0 && l2 === 0) return 0;
    let p = 0;
    this.forEachWeight((k) => { p += l1 * Math.abs(params[k]) + 0.5 * l2 * params[k] * params[k]; });
    return p;
  }

  private layerForward(slots: LayerSlots, params: Num, inp: Float64Array, rows: number): { pre: Float64Array | null; out: Float64Array } {
    const layer = slots.spec;
    const n = rows * shapeSize(slots.output);
    const f = this.activations[slots.index];
    switch (layer.type) {
      case 'dense': {
        const [W, b] = slots.params;
        const z = new Float64Array(n), out = new Float64Array(n);
        // Z = X·W + b (an image input is read flat, in C,H,W order: the implied flatten)
        denseForwardNaive(z, inp, view(params, W), b ? view(params, b) : null, rows, W.shape[0], W.shape[1]);
        f!.forward(out, z, rows, W.shape[1]);
        return { pre: z, out };
      }
      case 'activation': {
        const out = new Float64Array(n);
        f!.forward(out, inp, rows, shapeSize(slots.output));
        return { pre: inp, out };
      }
      case 'dropout': {
        const mask = this.options.masks?.get(slots.index);
        if (!mask) return { pre: null, out: inp };
        const out = new Float64Array(n);
        for (let k = 0; k < n; k++) out[k] = inp[k] * mask[k];
        return { pre: null, out };
      }
      case 'flatten':
        return { pre: null, out: inp };
      default:
        throw new Error(`the reference has no ${layer.type} layer`);
    }
  }

  /** ∂L/∂(this layer's input) from ∂L/∂(its output), writing its parameter gradients into `grads`. */
  private layerBackward(slots: LayerSlots, params: Num, pass: ReferencePass, i: number, dout: Float64Array, rows: number,
    grads: Float64Array, doutIsPreActivation: boolean): Float64Array {
    const layer = slots.spec;
    const inp = pass.inputs[i];
    const f = this.activations[i];
    const dinp = new Float64Array(inp.length);
    switch (layer.type) {
      case 'dense': {
        const [W, b] = slots.params;
        const [C, OC] = W.shape;
        // δ = ∂L/∂Z = ∂L/∂A ⊙ f'(Z) (softmax: its Jacobian row by row), unless the loss gave ∂L/∂Z
        const dz = doutIsPreActivation ? dout : new Float64Array(dout.length);
        if (!doutIsPreActivation) f!.backward(dz, dout, pass.pre[i]!, pass.outputs[i], rows, OC);
        denseBackwardNaive(dinp, view(grads, W), b ? view(grads, b) : null, dz, inp, view(params, W), rows, C, OC);
        return dinp;
      }
      case 'activation':
        if (doutIsPreActivation) return dout;
        f!.backward(dinp, dout, inp, pass.outputs[i], rows, shapeSize(slots.output));
        return dinp;
      case 'dropout': {
        const mask = this.options.masks?.get(i);
        if (!mask) return dout;
        for (let k = 0; k < dinp.length; k++) dinp[k] = dout[k] * mask[k];
        return dinp;
      }
      case 'flatten':
        return dout;
      default:
        throw new Error(`the reference has no ${layer.type} layer`);
    }
  }
}

/** A tensor's values in a flat buffer (a view for typed arrays). */
function view<T extends Num>(flat: T, slot: { offset: number; size: number }): T {
  if (ArrayBuffer.isView(flat)) return (flat as unknown as Float64Array).subarray(slot.offset, slot.offset + slot.size) as unknown as T;
  return Array.prototype.slice.call(flat, slot.offset, slot.offset + slot.size) as unknown as T;
}
