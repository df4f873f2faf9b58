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
 * the kinks a finite difference must not straddle), dispatching per layer type; then the
 * convolution, pooling and normalisation layers.
 */
import type { ConvGeometry } from './layers/geometry.js';
import { activation as activationByName, type Activation, type Vec } from './activations.js';
import { modelLayout, type LayerSlots, type ModelLayout } from './layout.js';
import { loss as lossByName, type Loss } from './losses.js';
import { convGeometry } from './layers/geometry.js';
import { outputActivation, poolStride, shapeSize, type ModelSpec } from './spec.js';

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
  /** Max pooling's winners (indices into the layer's input); null for other layers. */
  argmax: (Int32Array | null)[];
  /** The state (batchnorm's running statistics) as the pass read it, before a training pass updated it. */
  state: Float64Array;
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
  /**
   * A training pass: batchnorm normalises with the batch's statistics (and updates the running
   * ones); otherwise (default) with the running statistics, as in evaluation.
   */
  training?: boolean;
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

  /**
   * Every layer's output for x[rows × inputs] and the loss against t[rows × outputs]. `state` is
   * the running statistics (layout.ts; zeros for means and ones for variances when omitted); a
   * training pass updates it in place when it is a Float64Array.
   */
  forward(params: Num, x: Num, t: Num, rows: number, state?: Num): ReferencePass {
    const running = state instanceof Float64Array ? state : this.initialState(state);
    const pass: ReferencePass = { inputs: [], pre: [], argmax: [], outputs: [], loss: 0, state: Float64Array.from(running) };
    let inp: Float64Array = Float64Array.from(x);
    for (const slots of this.layout.layers) {
      const { pre, out, argmax } = this.layerForward(slots, params, inp, rows, running);
      pass.inputs.push(inp);
      pass.pre.push(pre);
      pass.argmax.push(argmax ?? null);
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
   * True when some quantity with a kink — a ReLU-family pre-activation, an MAE residual, a max
   * pool's winner — changes side between the two passes (a finite difference across it measures neither slope).
   */
  crossesKink(base: ReferencePass, other: ReferencePass, t: Num): boolean {
    for (let i = 0; i < this.activations.length; i++) {
      const zb = base.pre[i], zo = other.pre[i];
      if (!this.activations[i]?.kinkAtZero || !zb || !zo) continue;
      for (let k = 0; k < zb.length; k++) if (zb[k] > 0 !== zo[k] > 0) return true;
    }
    // Max pooling: a different winner in some window.
    for (let i = 0; i < base.argmax.length; i++) {
      const ab = base.argmax[i], ao = other.argmax[i];
      if (ab && ao) for (let k = 0; k < ab.length; k++) if (ab[k] !== ao[k]) return true;
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

  /** The given state as float64, or a fresh one: running means 0, running variances 1 (PyTorch's start). */
  private initialState(state: Num | undefined): Float64Array {
    if (state) return Float64Array.from(state);
    const fresh = new Float64Array(this.layout.stateCount);
    for (const l of this.layout.layers) for (const slot of l.state) if (slot.name === 'var') fresh.fill(1, slot.offset, slot.offset + slot.size);
    return fresh;
  }

  private penalty(params: Num): number {
    const { l1 = 0, l2 = 0 } = this.options;
    if (l1 === 0 && l2 === 0) return 0;
    let p = 0;
    this.forEachWeight((k) => { p += l1 * Math.abs(params[k]) + 0.5 * l2 * params[k] * params[k]; });
    return p;
  }

  private layerForward(slots: LayerSlots, params: Num, inp: Float64Array, rows: number, state: Float64Array):
    { pre: Float64Array | null; out: Float64Array; argmax?: Int32Array } {
    const layer = slots.spec;
    const n = rows * shapeSize(slots.output);
    const f = this.activations[slots.index];
    // Image sides (a vector [F] reads as F channels of 1×1: batchnorm per feature)
    const [C, H = 1, W = 1] = slots.input, [, OH = 1, OW = 1] = slots.output;
    switch (layer.type) {
      case 'conv2d': {
        const [Wt, b] = slots.params;
        const z = new Float64Array(n), out = new Float64Array(n);
        conv2dForwardRef(z, inp, view(params, Wt), b ? view(params, b) : null, convGeometry(rows, C, H, W, layer.filters, layer.kernel, layer.stride, layer.padding));
        f!.forward(out, z, rows, shapeSize(slots.output));
        return { pre: z, out };
      }
      case 'maxpool2d': {
        const out = new Float64Array(n), argmax = new Int32Array(n);
        maxPoolForwardRef(out, argmax, inp, rows * C, H, W, layer.size, poolStride(layer), OH, OW);
        return { pre: null, out, argmax };
      }
      case 'avgpool2d': {
        const out = new Float64Array(n);
        avgPoolForwardRef(out, inp, rows * C, H, W, layer.size, poolStride(layer), OH, OW);
        return { pre: null, out };
      }
      case 'globalavgpool': {
        const out = new Float64Array(n);
        globalAvgPoolForwardRef(out, inp, rows * C, H * W);
        return { pre: null, out };
      }
      case 'batchnorm': {
        const [gamma, beta] = slots.params, [mean, variance] = slots.state;
        const out = new Float64Array(n);
        batchnormForwardRef(out, inp, view(params, gamma), view(params, beta), view(state, mean), view(state, variance),
          rows, C, shapeSize(slots.input) / C, this.options.training ?? false, layer.momentum, layer.eps);
        return { pre: null, out };
      }
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
        throw new Error(`the reference has no ${(layer satisfies never as { type: string }).type} layer`);
    }
  }

  /** ∂L/∂(this layer's input) from ∂L/∂(its output), writing its parameter gradients into `grads`. */
  private layerBackward(slots: LayerSlots, params: Num, pass: ReferencePass, i: number, dout: Float64Array, rows: number,
    grads: Float64Array, doutIsPreActivation: boolean): Float64Array {
    const layer = slots.spec;
    const inp = pass.inputs[i];
    const f = this.activations[i];
    const dinp = new Float64Array(inp.length);
    // Image sides (a vector [F] reads as F channels of 1×1: batchnorm per feature)
    const [C, H = 1, W = 1] = slots.input, [, OH = 1, OW = 1] = slots.output;
    switch (layer.type) {
      case 'conv2d': {
        const [Wt, b] = slots.params;
        const dz = doutIsPreActivation ? dout : new Float64Array(dout.length);
        if (!doutIsPreActivation) f!.backward(dz, dout, pass.pre[i]!, pass.outputs[i], rows, shapeSize(slots.output));
        conv2dBackwardRef(dinp, view(grads, Wt), b ? view(grads, b) : null, dz, inp, view(params, Wt),
          convGeometry(rows, C, H, W, layer.filters, layer.kernel, layer.stride, layer.padding));
        return dinp;
      }
      case 'maxpool2d':
        maxPoolBackwardRef(dinp, dout, pass.argmax[i]!, rows * C, H, W, OH, OW);
        return dinp;
      case 'avgpool2d':
        avgPoolBackwardRef(dinp, dout, rows * C, H, W, layer.size, poolStride(layer), OH, OW);
        return dinp;
      case 'globalavgpool':
        globalAvgPoolBackwardRef(dinp, dout, rows * C, H * W);
        return dinp;
      case 'batchnorm': {
        const [gamma, beta] = slots.params, [mean, variance] = slots.state;
        batchnormBackwardRef(dinp, view(grads, gamma), view(grads, beta), dout, inp, view(params, gamma), view(pass.state, mean), view(pass.state, variance),
          rows, C, shapeSize(slots.input) / C, this.options.training ?? false, layer.eps);
        return dinp;
      }
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
        throw new Error(`the reference has no ${(layer satisfies never as { type: string }).type} layer`);
    }
  }
}

/** A tensor's values in a flat buffer (a view for typed arrays). */
function view<T extends Num>(flat: T, slot: { offset: number; size: number }): T {
  if (ArrayBuffer.isView(flat)) return (flat as unknown as Float64Array).subarray(slot.offset, slot.offset + slot.size) as unknown as T;
  return Array.prototype.slice.call(flat, slot.offset, slot.offset + slot.size) as unknown as T;
}

// ---------------------------------------------------------------------------------------------
// Convolution, pooling and batch normalisation: the textbook loops in float64 (the oracle of
// layers/conv2d.ts, layers/pool.ts and layers/batchnorm.ts). NCHW tensors, flat arrays, sizes
// explicit; outputs first; backward passes add into weight gradients and overwrite dinp.
// ---------------------------------------------------------------------------------------------

/** out[B×OC×OH×OW] = inp ⋆ W[OC×C×k×k] + b: for every image, six nested loops. */
export function conv2dForwardRef(out: Float64Array, inp: ArrayLike<number>, W: ArrayLike<number>, b: ArrayLike<number> | null, g: ConvGeometry): void {
  const { B, C, H, W: IW, OC, k, stride, padTop, padLeft, OH, OW } = g;
  for (let n = 0; n < B; n++) {
    for (let oc = 0; oc < OC; oc++) {
      for (let oh = 0; oh < OH; oh++) {
        for (let ow = 0; ow < OW; ow++) {
          let s = b ? b[oc] : 0;
          for (let c = 0; c < C; c++) {
            for (let i = 0; i < k; i++) {
              for (let j = 0; j < k; j++) {
                const ih = oh * stride + i - padTop, iw = ow * stride + j - padLeft;
                if (ih < 0 || ih >= H || iw < 0 || iw >= IW) continue;
                s += inp[((n * C + c) * H + ih) * IW + iw] * W[((oc * C + c) * k + i) * k + j];
              }
            }
          }
          out[((n * OC + oc) * OH + oh) * OW + ow] = s;
        }
      }
    }
  }
}

/** dW += ∂L/∂W, db += ∂L/∂b (when given), dinp = ∂L/∂inp (when given) from dout = ∂L/∂out: the same loops. */
export function conv2dBackwardRef(dinp: Float64Array | null, dW: Float64Array, db: Float64Array | null, dout: ArrayLike<number>,
  inp: ArrayLike<number>, W: ArrayLike<number>, g: ConvGeometry): void {
  const { B, C, H, W: IW, OC, k, stride, padTop, padLeft, OH, OW } = g;
  dinp?.fill(0, 0, B * C * H * IW);
  for (let n = 0; n < B; n++) {
    for (let oc = 0; oc < OC; oc++) {
      for (let oh = 0; oh < OH; oh++) {
        for (let ow = 0; ow < OW; ow++) {
          const d = dout[((n * OC + oc) * OH + oh) * OW + ow];
          if (db) db[oc] += d;
          for (let c = 0; c < C; c++) {
            for (let i = 0; i < k; i++) {
              for (let j = 0; j < k; j++) {
                const ih = oh * stride + i - padTop, iw = ow * stride + j - padLeft;
                if (ih < 0 || ih >= H || iw < 0 || iw >= IW) continue;
                const x = ((n * C + c) * H + ih) * IW + iw, w = ((oc * C + c) * k + i) * k + j;
                dW[w] += d * inp[x];
                if (dinp) dinp[x] += d * W[w];
              }
            }
          }
        }
      }
    }
  }
}

/** out = window maxima over planes×H×W, argmax = the index in inp of each (the first maximum wins a tie). */
export function maxPoolForwardRef(out: Float64Array, argmax: Int32Array, inp: ArrayLike<number>, planes: number, H: number, W: number,
  size: number, stride: number, OH: number, OW: number): void {
  for (let p = 0; p < planes; p++) {
    for (let oh = 0; oh < OH; oh++) {
      for (let ow = 0; ow < OW; ow++) {
        let best = -1, max = -Infinity;
        for (let i = 0; i < size; i++) {
          for (let j = 0; j < size; j++) {
            const at = (p * H + oh * stride + i) * W + ow * stride + j;
            if (best < 0 || inp[at] > max) {
              max = inp[at];
              best = at;
            }
          }
        }
        const o = (p * OH + oh) * OW + ow;
        out[o] = max;
        argmax[o] = best;
      }
    }
  }
}

/** dinp = ∂L/∂inp of max pooling: each output's gradient to the input that won its window. */
export function maxPoolBackwardRef(dinp: Float64Array, dout: ArrayLike<number>, argmax: ArrayLike<number>, planes: number, H: number, W: number,
  OH: number, OW: number): void {
  dinp.fill(0, 0, planes * H * W);
  for (let o = 0; o < planes * OH * OW; o++) dinp[argmax[o]] += dout[o];
}

/** out = window means over planes×H×W. */
export function avgPoolForwardRef(out: Float64Array, inp: ArrayLike<number>, planes: number, H: number, W: number,
  size: number, stride: number, OH: number, OW: number): void {
  for (let p = 0; p < planes; p++) {
    for (let oh = 0; oh < OH; oh++) {
      for (let ow = 0; ow < OW; ow++) {
        let s = 0;
        for (let i = 0; i < size; i++) for (let j = 0; j < size; j++) s += inp[(p * H + oh * stride + i) * W + ow * stride + j];
        out[(p * OH + oh) * OW + ow] = s / (size * size);
      }
    }
  }
}

/** dinp = ∂L/∂inp of average pooling. */
export function avgPoolBackwardRef(dinp: Float64Array, dout: ArrayLike<number>, planes: number, H: number, W: number,
  size: number, stride: number, OH: number, OW: number): void {
  dinp.fill(0, 0, planes * H * W);
  for (let p = 0; p < planes; p++) {
    for (let oh = 0; oh < OH; oh++) {
      for (let ow = 0; ow < OW; ow++) {
        const d = dout[(p * OH + oh) * OW + ow] / (size * size);
        for (let i = 0; i < size; i++) for (let j = 0; j < size; j++) dinp[(p * H + oh * stride + i) * W + ow * stride + j] += d;
      }
    }
  }
}

/** out[planes] = each plane's mean. */
export function globalAvgPoolForwardRef(out: Float64Array, inp: ArrayLike<number>, planes: number, HW: number): void {
  for (let p = 0; p < planes; p++) {
    let s = 0;
    for (let i = 0; i < HW; i++) s += inp[p * HW + i];
    out[p] = s / HW;
  }
}

/** dinp = ∂L/∂inp of global average pooling. */
export function globalAvgPoolBackwardRef(dinp: Float64Array, dout: ArrayLike<number>, planes: number, HW: number): void {
  for (let p = 0; p < planes; p++) for (let i = 0; i < HW; i++) dinp[p * HW + i] = dout[p] / HW;
}

/** Channel c's mean and biased variance over x[N×C×S]. */
function channelMoments(x: ArrayLike<number>, N: number, C: number, S: number, c: number): { mean: number; variance: number } {
  let s = 0;
  for (let n = 0; n < N; n++) for (let i = 0; i < S; i++) s += x[(n * C + c) * S + i];
  const mean = s / (N * S);
  let q = 0;
  for (let n = 0; n < N; n++) for (let i = 0; i < S; i++) q += (x[(n * C + c) * S + i] - mean) ** 2;
  return { mean, variance: q / (N * S) };
}

/**
 * Batch normalisation of x[N×C×S] per channel: y = γ·(x − μ)/√(σ² + ε) + β with the batch's μ, σ²
 * (training: also running ← momentum·running + (1 − momentum)·batch, the variance unbiased, left
 * alone when N·S = 1) or the running ones (evaluation).
 */
export function batchnormForwardRef(out: Float64Array, x: ArrayLike<number>, gamma: ArrayLike<number>, beta: ArrayLike<number>,
  runningMean: Float64Array, runningVar: Float64Array, N: number, C: number, S: number, training: boolean, momentum: number, eps: number): void {
  const m = N * S;
  for (let c = 0; c < C; c++) {
    const { mean, variance } = training ? channelMoments(x, N, C, S, c) : { mean: runningMean[c], variance: runningVar[c] };
    if (training) {
      runningMean[c] = momentum * runningMean[c] + (1 - momentum) * mean;
      if (m > 1) runningVar[c] = momentum * runningVar[c] + (1 - momentum) * variance * (m / (m - 1));
    }
    for (let n = 0; n < N; n++) {
      for (let i = 0; i < S; i++) {
        const at = (n * C + c) * S + i;
        out[at] = (gamma[c] * (x[at] - mean)) / Math.sqrt(variance + eps) + beta[c];
      }
    }
  }
}

/**
 * dgamma += ∂L/∂γ, dbeta += ∂L/∂β, dinp = ∂L/∂x of batchnormForwardRef (training: through the batch
 * statistics, by the chain rule written out term by term; evaluation: the running ones are constants).
 */
export function batchnormBackwardRef(dinp: Float64Array, dgamma: Float64Array, dbeta: Float64Array, dout: ArrayLike<number>,
  x: ArrayLike<number>, gamma: ArrayLike<number>, runningMean: ArrayLike<number>, runningVar: ArrayLike<number>,
  N: number, C: number, S: number, training: boolean, eps: number): void {
  const m = N * S;
  for (let c = 0; c < C; c++) {
    const { mean, variance } = training ? channelMoments(x, N, C, S, c) : { mean: runningMean[c], variance: runningVar[c] };
    const inv = 1 / Math.sqrt(variance + eps);
    // ∂L/∂x̂ = γ·∂y;  ∂L/∂σ² = Σ ∂L/∂x̂·(x − μ)·(−½)(σ² + ε)^(−3/2);  ∂L/∂μ = Σ −∂L/∂x̂/√(σ²+ε) (+ a term that sums to 0)
    let dvar = 0, dmean = 0;
    for (let n = 0; n < N; n++) {
      for (let i = 0; i < S; i++) {
        const at = (n * C + c) * S + i;
        const dxhat = gamma[c] * dout[at];
        dgamma[c] += dout[at] * (x[at] - mean) * inv;
        dbeta[c] += dout[at];
        dvar += dxhat * (x[at] - mean) * -0.5 * inv ** 3;
        dmean -= dxhat * inv;
      }
    }
    for (let n = 0; n < N; n++) {
      for (let i = 0; i < S; i++) {
        const at = (n * C + c) * S + i;
        const dxhat = gamma[c] * dout[at];
        dinp[at] = training ? dxhat * inv + (dvar * 2 * (x[at] - mean)) / m + dmean / m : dxhat * inv;
      }
    }
  }
}
