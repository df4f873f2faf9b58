/**
 * A network of typed layers run layer by layer: one object per spec layer, each a forward/backward
 * pair over its own buffers of up to `capacity` rows (one backend allocation per network), reading
 * its parameters and state through the layout (layout.ts). The model uses it for every spec that
 * is not a plain dense stack (convolutions, pooling, batch normalisation, activation layers).
 *
 *   forward   x → layer 1 → … → layer L → y     (each layer keeps what its backward pass needs)
 *   backward  δ_L = ∂L/∂y (or ∂L/∂Z_L, fused with softmax/sigmoid when the loss allows),
 *             then each layer from the last: its parameter gradients, and ∂L/∂(its input)
 */
import { activation as activationByName, type Activation } from '../activations.js';
import type { Backend } from '../backend.js';
import type { LayerSlots, ModelLayout, TensorSlot } from '../layout.js';
import type { Loss } from '../losses.js';
import type { Random } from '../random.js';
import { poolStride, shapeSize } from '../spec.js';
import { batchnormBackward, batchnormForward } from './batchnorm.js';
import { conv2dBackward, conv2dForward, conv2dScratch } from './conv2d.js';
import { convGeometry, type ConvGeometry } from './geometry.js';
import { avgPoolBackward, avgPoolForward, globalAvgPoolBackward, globalAvgPoolForward, maxPoolBackward, maxPoolForward } from './pool.js';

/** What a layer's passes read besides their own buffers. */
interface PassContext {
  be: Backend;
  params: Float32Array;
  /** Parameter gradients (same layout as params), added to by backward. */
  grads: Float32Array;
  state: Float32Array;
  training: boolean;
  rng: Random | null;
}

/** One typed layer: forward writes `out` (and caches), backward returns ∂L/∂input (null when not wanted). */
interface TypedLayer {
  readonly out: Float32Array;
  /** What the layer's activation was applied to in the last forward pass (layers that end in one). */
  readonly pre?: Float32Array;
  forward(ctx: PassContext, inp: Float32Array, rows: number): void;
  /** dout = ∂L/∂out, or ∂L/∂Z when `doutIsPre` (the loss fused with this layer's activation). */
  backward(ctx: PassContext, dout: Float32Array, rows: number, wantDinp: boolean, doutIsPre: boolean): Float32Array | null;
}

/** Views of the flat buffers' tensors, made once per buffer and slot: a step allocates none, and a backend finds its known views again. */
const views = new WeakMap<Float32Array, Map<TensorSlot, Float32Array>>();

function tensor(flat: Float32Array, slot: TensorSlot | undefined): Float32Array | null {
  if (!slot) return null;
  let known = views.get(flat);
  if (!known) views.set(flat, (known = new Map()));
  let view = known.get(slot);
  if (!view) known.set(slot, (view = flat.subarray(slot.offset, slot.offset + slot.size)));
  return view;
}

export class LayerNetwork {
  private readonly layers: TypedLayer[];
  private readonly activationOfLast: Activation | null;
  private readonly delta: Float32Array;
  /**
   * preGated[i]: layer i is a ReLU (a convolution's or its own) whose next layer is a max pool: the
   * pool's backward pass applies relu' (layers/pool.ts gate), so layer i receives ∂L/∂Z directly
   * and one pass over its output is saved.
   */
  private readonly preGated: boolean[];
  private rows = 0;
  private training = false;

  constructor(private readonly layout: ModelLayout, private readonly loss: Loss, readonly capacity: number, backend: Backend) {
    const last = layout.layers[layout.layers.length - 1];
    this.activationOfLast = 'activation' in last.spec ? activationByName(last.spec.activation) : null;
    // One allocation: every layer's buffers, then the shared dcol scratch and the output delta.
    let floats = 0;
    const plans = layout.layers.map((slots) => bufferPlan(slots, capacity, backend));
    for (const p of plans) floats += p.total;
    const dcol = Math.max(0, ...plans.map((p) => p.dcol));
    const block = backend.alloc(floats + dcol + capacity * shapeSize(last.output));
    let at = 0;
    const take = (n: number) => block.subarray(at, (at += n));
    const layers = layout.layers.map((slots, i) => makeLayer(slots, capacity, take, plans[i]));
    const shared = take(dcol);
    for (const l of layers) if (l instanceof Conv2dLayer) l.dcol = shared;
    this.preGated = layout.layers.map(({ spec }, i) => {
      const next = layers[i + 1];
      const relu = (spec.type === 'conv2d' || spec.type === 'activation') && spec.activation === 'relu';
      if (relu && next instanceof MaxPoolLayer) next.gatesRelu = true;
      return relu && next instanceof MaxPoolLayer;
    });
    this.layers = layers;
    this.delta = take(capacity * shapeSize(last.output));
  }

  /** y[rows × outputs] (a view of the last layer's buffer) for x[rows × inputs]. */
  forward(be: Backend, params: Float32Array, state: Float32Array, x: Float32Array, rows: number, training: boolean, rng: Random | null): Float32Array {
    const ctx: PassContext = { be, params, grads: params, state, training, rng };
    let inp = x;
    for (const l of this.layers) {
      l.forward(ctx, inp, rows);
      inp = l.out;
    }
    this.rows = rows;
    this.training = training;
    return inp.subarray(0, rows * (inp.length / this.capacity));
  }

  /** After forward: grads (+)= ∂L/∂params for targets t (zeroed first unless `accumulate`). */
  backward(be: Backend, params: Float32Array, grads: Float32Array, state: Float32Array, t: Float32Array, accumulate: boolean): void {
    if (!accumulate) grads.fill(0);
    const ctx: PassContext = { be, params, grads, state, training: this.training, rng: null };
    const rows = this.rows, L = this.layers.length - 1;
    const y = this.layers[L].out;
    const outputs = shapeSize(this.layout.layers[L].output);
    const fused = this.activationOfLast !== null && this.loss.fusedWith === this.activationOfLast.name;
    // δ_L: ∂L/∂Z_L when the loss absorbs the output activation, else ∂L/∂y
    if (fused) this.loss.fusedGrad(this.delta, y, t, rows, outputs);
    else this.loss.grad(this.delta, y, t, rows, outputs);
    let dout: Float32Array | null = this.delta;
    for (let i = L; i >= 0 && dout; i--) dout = this.layers[i].backward(ctx, dout, rows, i > 0, (fused && i === L) || this.preGated[i]);
  }

  /** The last layer's pre-activations of the last forward pass [rows × outputs], or null when it ends in no activation. */
  logits(): Float32Array | null {
    const last = this.layers[this.layers.length - 1];
    if (!last.pre) return null;
    return last.pre.subarray(0, this.rows * shapeSize(this.layout.layers[this.layers.length - 1].output));
  }

  /** Read-only: layer i's output [rows × its output size] from the last forward pass (the inspector's feature maps). */
  layerOutput(i: number): Float32Array {
    const out = this.layers[i].out;
    return out.subarray(0, this.rows * (out.length / this.capacity));
  }

  /**
   * After forward: ∂(Σ dy ⊙ y)/∂x, the gradient of a chosen combination of the outputs with respect
   * to the input (saliency maps). With `dyIsPre`, dy is taken as ∂/∂Z of the last layer (its
   * pre-activation: a class score before softmax). Parameter gradients go to `scratch`, not to training.
   */
  inputGradient(be: Backend, params: Float32Array, state: Float32Array, dy: Float32Array, dyIsPre: boolean, scratch: Float32Array): Float32Array {
    const ctx: PassContext = { be, params, grads: scratch, state, training: this.training, rng: null };
    const L = this.layers.length - 1;
    this.delta.set(dy.subarray(0, this.rows * (this.delta.length / this.capacity)));
    let dout: Float32Array = this.delta;
    for (let i = L; i >= 0; i--) dout = this.layers[i].backward(ctx, dout, this.rows, true, dyIsPre && i === L)!;
    return dout.subarray(0, this.rows * shapeSize(this.layout.layers[0].input));
  }
}

/** Floats a layer needs: its output, its ∂input, and its caches; conv2d's dcol is shared. */
function bufferPlan(slots: LayerSlots, capacity: number, be: Backend): { total: number; dcol: number; col: number; pre: number } {
  const inSize = capacity * shapeSize(slots.input), outSize = capacity * shapeSize(slots.output);
  const s = slots.spec;
  let col = 0, dcol = 0, pre = 0;
  if (s.type === 'conv2d') {
    ({ col, dcol } = conv2dScratch(geometryOf(slots, capacity), be));
    pre = outSize;
  }
  if (s.type === 'dense') pre = outSize;
  // batchnorm: x̂ (as big as its output) and 1/σ per channel; dropout: its mask
  const cache = s.type === 'batchnorm' ? outSize + slots.input[0] : s.type === 'dropout' ? outSize : 0;
  return { total: outSize + inSize + col + pre + cache, dcol, col, pre };
}

function geometryOf(slots: LayerSlots, rows: number): ConvGeometry {
  const s = slots.spec;
  if (s.type !== 'conv2d') throw new Error('not a convolution');
  const [C, H, W] = slots.input as [number, number, number];
  return convGeometry(rows, C, H, W, s.filters, s.kernel, s.stride, s.padding);
}

function makeLayer(slots: LayerSlots, capacity: number, take: (n: number) => Float32Array, plan: ReturnType<typeof bufferPlan>): TypedLayer {
  const out = take(capacity * shapeSize(slots.output));
  const dinp = take(capacity * shapeSize(slots.input));
  const s = slots.spec;
  switch (s.type) {
    case 'dense': return new DenseLayer(slots, out, dinp, take(plan.pre), activationByName(s.activation));
    case 'conv2d': return new Conv2dLayer(slots, out, dinp, take(plan.pre), take(plan.col), activationByName(s.activation));
    case 'maxpool2d': return new MaxPoolLayer(slots, out, dinp, new Int32Array(capacity * shapeSize(slots.output)));
    case 'avgpool2d': case 'globalavgpool': return new AveragePoolLayer(slots, out, dinp);
    case 'batchnorm': return new BatchNormLayer(slots, out, dinp, take(capacity * shapeSize(slots.output)), take(slots.input[0]));
    case 'dropout': return new DropoutLayer(slots, out, dinp, take(capacity * shapeSize(slots.output)), s.rate);
    case 'activation': return new ActivationLayer(slots, out, dinp, activationByName(s.activation));
    case 'flatten': return new FlattenLayer(slots, out);
    default: throw new Error(`no layer ${(s satisfies never as { type: string }).type}`);
  }
}

/** out = f(z) over rows×cols: the backend's kernel where it has one (element-wise or softmax), else JavaScript. */
function activateForward(be: Backend, f: Activation, out: Float32Array, z: Float32Array, rows: number, cols: number): void {
  if (!be.activationForward?.(f.name, out, z, rows, cols)) f.forward(out, z, rows, cols);
}

/** dz = da ⊙ f'(z) in place (a = f(z)): the backend's element-wise kernel where it has one. */
function activateBackwardInPlace(be: Backend, f: Activation, d: Float32Array, z: Float32Array, a: Float32Array, rows: number, cols: number): void {
  if (!(f.elementwise && be.activationBackward?.(f.name, d, d, z, a, rows * cols))) f.backward(d, d, z, a, rows, cols);
}

/** [B×C] = X[B×C_in·…]·W + b, A = f(Z) (an image input is read flat, C,H,W order). */
class DenseLayer implements TypedLayer {
  private inp: Float32Array = new Float32Array(0);
  constructor(private readonly slots: LayerSlots, readonly out: Float32Array, private readonly dinp: Float32Array,
    private readonly z: Float32Array, private readonly f: Activation) {}

  get pre(): Float32Array {
    return this.z;
  }

  forward(ctx: PassContext, inp: Float32Array, rows: number): void {
    const [W, b] = this.slots.params, [C, OC] = W.shape;
    const weight = tensor(ctx.params, W)!, bias = tensor(ctx.params, b);
    // Z = inp·W + b and A = f(Z), in one pass where the backend fuses f into the product
    if (!ctx.be.matmulActivate?.(this.z, this.out, inp, weight, rows, C, OC, bias, this.f.name)) {
      ctx.be.matmul(this.z, inp, weight, rows, C, OC, bias);
      activateForward(ctx.be, this.f, this.out, this.z, rows, OC);
    }
    this.inp = inp;
  }

  backward(ctx: PassContext, dout: Float32Array, rows: number, wantDinp: boolean, doutIsPre: boolean): Float32Array | null {
    const [W, b] = this.slots.params, [C, OC] = W.shape;
    // δ = ∂L/∂A ⊙ f'(Z), in place in dout
    if (!doutIsPre) activateBackwardInPlace(ctx.be, this.f, dout, this.z, this.out, rows, OC);
    if (wantDinp) ctx.be.matmulTransB(this.dinp, dout, tensor(ctx.params, W)!, rows, C, OC, false);
    ctx.be.matmulTransA(tensor(ctx.grads, W)!, this.inp, dout, rows, C, OC, true);
    if (b) ctx.be.sumRows(tensor(ctx.grads, b)!, dout, rows, OC, true);
    return wantDinp ? this.dinp : null;
  }
}

/** Z = inp ⋆ W + b (layers/conv2d.ts: one implicit GEMM per pass, or im2col + GEMMs), A = f(Z). */
class Conv2dLayer implements TypedLayer {
  dcol: Float32Array = new Float32Array(0);
  private inp: Float32Array = new Float32Array(0);
  /** Z as the backward pass reads it: A itself when the backend wrote f(Z) in its place (f' follows from A). */
  private zOrA: Float32Array;
  constructor(private readonly slots: LayerSlots, readonly out: Float32Array, private readonly dinp: Float32Array,
    private readonly z: Float32Array, private readonly col: Float32Array, private readonly f: Activation) {
    this.zOrA = z;
  }

  forward(ctx: PassContext, inp: Float32Array, rows: number): void {
    const [W, b] = this.slots.params;
    const g = geometryOf(this.slots, rows);
    const activated = conv2dForward(ctx.be, this.z, this.col, inp, tensor(ctx.params, W)!, tensor(ctx.params, b), g, { out: this.out, name: this.f.name });
    if (!activated) activateForward(ctx.be, this.f, this.out, this.z, rows, g.OC * g.OH * g.OW);
    this.zOrA = activated ? this.out : this.z;
    this.inp = inp;
  }

  backward(ctx: PassContext, dout: Float32Array, rows: number, wantDinp: boolean, doutIsPre: boolean): Float32Array | null {
    const [W, b] = this.slots.params;
    const g = geometryOf(this.slots, rows);
    if (!doutIsPre) activateBackwardInPlace(ctx.be, this.f, dout, this.zOrA, this.out, rows, g.OC * g.OH * g.OW);
    conv2dBackward(ctx.be, wantDinp ? this.dinp : null, tensor(ctx.grads, W)!, tensor(ctx.grads, b), this.dcol, dout, this.col,
      this.inp, tensor(ctx.params, W)!, g);
    return wantDinp ? this.dinp : null;
  }
}

/** Window maxima, each output's gradient routed back to the input that won its window. */
class MaxPoolLayer implements TypedLayer {
  /** Its input is a ReLU's output: the backward pass returns ∂L/∂Z of that ReLU (LayerNetwork.preGated). */
  gatesRelu = false;
  constructor(private readonly slots: LayerSlots, readonly out: Float32Array, private readonly dinp: Float32Array,
    private readonly argmax: Int32Array) {}

  forward(ctx: PassContext, inp: Float32Array, rows: number): void {
    const [C, H, W] = this.slots.input as [number, number, number], [, OH, OW] = this.slots.output as [number, number, number];
    const s = this.slots.spec as Extract<LayerSlots['spec'], { type: 'maxpool2d' }>;
    maxPoolForward(ctx.be, this.out, this.argmax, inp, rows * C, H, W, s.size, poolStride(s), OH, OW);
  }

  backward(ctx: PassContext, dout: Float32Array, rows: number, wantDinp: boolean): Float32Array | null {
    if (!wantDinp) return null;
    const [C, H, W] = this.slots.input as [number, number, number], [, OH, OW] = this.slots.output as [number, number, number];
    maxPoolBackward(ctx.be, this.dinp, dout, this.argmax, rows * C, H, W, OH, OW, this.gatesRelu ? this.out : null);
    return this.dinp;
  }
}

/** Window means (avgpool2d), or each plane's mean (globalavgpool). */
class AveragePoolLayer implements TypedLayer {
  constructor(private readonly slots: LayerSlots, readonly out: Float32Array, private readonly dinp: Float32Array) {}

  forward(_ctx: PassContext, inp: Float32Array, rows: number): void {
    const [C, H, W] = this.slots.input as [number, number, number];
    const s = this.slots.spec;
    if (s.type === 'globalavgpool') return globalAvgPoolForward(this.out, inp, rows * C, H * W);
    const [, OH, OW] = this.slots.output as [number, number, number];
    if (s.type === 'avgpool2d') avgPoolForward(this.out, inp, rows * C, H, W, s.size, poolStride(s), OH, OW);
  }

  backward(_ctx: PassContext, dout: Float32Array, rows: number, wantDinp: boolean): Float32Array | null {
    if (!wantDinp) return null;
    const [C, H, W] = this.slots.input as [number, number, number];
    const s = this.slots.spec;
    if (s.type === 'globalavgpool') globalAvgPoolBackward(this.dinp, dout, rows * C, H * W);
    else if (s.type === 'avgpool2d') {
      const [, OH, OW] = this.slots.output as [number, number, number];
      avgPoolBackward(this.dinp, dout, rows * C, H, W, s.size, poolStride(s), OH, OW);
    }
    return this.dinp;
  }
}

/** y = γ·x̂ + β per feature or channel (layers/batchnorm.ts); the running statistics live in the model's state. */
class BatchNormLayer implements TypedLayer {
  private training = false;
  constructor(private readonly slots: LayerSlots, readonly out: Float32Array, private readonly dinp: Float32Array,
    private readonly xhat: Float32Array, private readonly invStd: Float32Array) {}

  private sizes(rows: number): [number, number, number] {
    const C = this.slots.input[0];
    return [rows, C, shapeSize(this.slots.input) / C];
  }

  forward(ctx: PassContext, inp: Float32Array, rows: number): void {
    const [gamma, beta] = this.slots.params, [mean, variance] = this.slots.state;
    const s = this.slots.spec as Extract<LayerSlots['spec'], { type: 'batchnorm' }>;
    const [N, C, S] = this.sizes(rows);
    batchnormForward(this.out, { xhat: this.xhat, invStd: this.invStd }, inp, tensor(ctx.params, gamma)!, tensor(ctx.params, beta)!,
      tensor(ctx.state, mean)!, tensor(ctx.state, variance)!, N, C, S, ctx.training, s.momentum, s.eps);
    this.training = ctx.training;
  }

  backward(ctx: PassContext, dout: Float32Array, rows: number, wantDinp: boolean): Float32Array | null {
    const [gamma, beta] = this.slots.params;
    const [N, C, S] = this.sizes(rows);
    batchnormBackward(wantDinp ? this.dinp : null, tensor(ctx.grads, gamma)!, tensor(ctx.grads, beta)!, dout,
      { xhat: this.xhat, invStd: this.invStd }, tensor(ctx.params, gamma)!, N, C, S, this.training);
    return wantDinp ? this.dinp : null;
  }
}

/** Inverted dropout while training: mask = 0 with probability p, else 1/(1−p); out = inp ⊙ mask. */
class DropoutLayer implements TypedLayer {
  private dropped = false;
  constructor(private readonly slots: LayerSlots, readonly out: Float32Array, private readonly dinp: Float32Array,
    private readonly mask: Float32Array, private readonly rate: number) {}

  forward(ctx: PassContext, inp: Float32Array, rows: number): void {
    const n = rows * shapeSize(this.slots.output);
    this.dropped = ctx.training && this.rate > 0;
    if (!this.dropped) {
      this.out.set(inp.subarray(0, n));
      return;
    }
    if (!ctx.rng) throw new Error('dropout needs the trainer\'s random generator');
    const keep = 1 / (1 - this.rate);
    for (let k = 0; k < n; k++) {
      const m = ctx.rng.uniform() < this.rate ? 0 : keep;
      this.mask[k] = m;
      this.out[k] = inp[k] * m;
    }
  }

  backward(_ctx: PassContext, dout: Float32Array, rows: number, wantDinp: boolean): Float32Array | null {
    if (!wantDinp) return null;
    const n = rows * shapeSize(this.slots.output);
    if (!this.dropped) return dout;
    for (let k = 0; k < n; k++) this.dinp[k] = dout[k] * this.mask[k];
    return this.dinp;
  }
}

/** out = f(inp) on its own (conv → batchnorm → relu). */
class ActivationLayer implements TypedLayer {
  private inp: Float32Array = new Float32Array(0);
  constructor(private readonly slots: LayerSlots, readonly out: Float32Array, private readonly dinp: Float32Array, private readonly f: Activation) {}

  get pre(): Float32Array {
    return this.inp;
  }

  forward(ctx: PassContext, inp: Float32Array, rows: number): void {
    const cols = shapeSize(this.slots.output);
    activateForward(ctx.be, this.f, this.out, inp, rows, cols);
    this.inp = inp;
  }

  backward(_ctx: PassContext, dout: Float32Array, rows: number, wantDinp: boolean, doutIsPre: boolean): Float32Array | null {
    if (!wantDinp) return null;
    if (doutIsPre) return dout;
    this.f.backward(this.dinp, dout, this.inp, this.out, rows, shapeSize(this.slots.output));
    return this.dinp;
  }
}

/** [C,H,W] → [C·H·W]: the values are already in that order, so a copy of the rows in use. */
class FlattenLayer implements TypedLayer {
  constructor(private readonly slots: LayerSlots, readonly out: Float32Array) {}

  forward(_ctx: PassContext, inp: Float32Array, rows: number): void {
    this.out.set(inp.subarray(0, rows * shapeSize(this.slots.output)));
  }

  backward(_ctx: PassContext, dout: Float32Array, _rows: number, wantDinp: boolean): Float32Array | null {
    return wantDinp ? dout : null;
  }
}
