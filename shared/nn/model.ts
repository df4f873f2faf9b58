/**
 * A network: a validated spec plus ALL its weights in one Float32Array (llm.c's single allocation).
 *
 * Weight layout, layer by layer: W[inputs × units] row-major, then b[units] when the layer has a
 * bias. So z = x·W + b for a row vector x, the tutorials' orientation. Exporters read a layer with
 * `model.weights(i)` (views, no copy); gradients and optimizer moments use the same layout, so any
 * flat buffer of `paramCount` floats can be viewed per layer with `viewParams`.
 *
 * The forward and backward passes (llm.c's `dense_forward` / `dense_backward` shape):
 *   forward   Z = X·W + b,  A = f(Z),  (training with dropout: A' = A ⊙ mask)
 *   backward  δ_L = ∂L/∂Z_L (fused with softmax/sigmoid when the loss allows),
 *             ∂W += Xᵀ·δ,  ∂b += Σ_rows δ,  δ_prev = (δ·Wᵀ ⊙ mask_prev) ⊙ f'(Z_prev)
 * They run in a `Workspace` made once per batch size, through the model's backend, allocating nothing.
 */
import { activation as activationByName, type Activation, type ActivationName } from './activations.js';
import type { Backend, NetworkPasses, OutputDelta } from './backend.js';
import { jsBackend } from './backend-js.js';
import { checkShape } from './dataset.js';
import { denseBackward, denseForward } from './dense.js';
import { DataError, SpecError } from './errors.js';
import { defaultInit, initWeights, weightFans, type InitSpec } from './init.js';
import { modelLayout, type ModelLayout } from './layout.js';
import { loss as lossByName, type Loss } from './losses.js';
import { Random } from './random.js';
import { LayerNetwork } from './layers/network.js';
import { inferShapes, outputActivation, parseModelSpec, shapeSize, type DenseLayerSpec, type ModelSpec } from './spec.js';

/** Where one layer's tensors sit in the flat parameter buffer. */
export interface ParamLayout {
  inputs: number;
  units: number;
  /** Offset of W[inputs × units]. */
  wOffset: number;
  /** Offset of b[units], or -1 when the layer has no bias. */
  bOffset: number;
}

/** One dense layer: its sizes, activation, dropout and where its weights live. */
export interface DenseLayer extends ParamLayout {
  /** Its place among the dense layers (the workspace's buffers and `weights(i)`). */
  index: number;
  /** Its place in the spec's layers (error messages name `layers.<specIndex>`). */
  specIndex: number;
  activation: Activation;
  dropout: number;
  init: InitSpec;
}

/** Per-layer views into one flat buffer laid out like the parameters (weights, gradients, moments). */
export interface ParamViews {
  flat: Float32Array;
  W: Float32Array[];
  b: (Float32Array | null)[];
}

/** What exporters read for layer i: views into the model's weights (copy them to keep them). */
export interface LayerWeights {
  inputs: number;
  units: number;
  activation: ActivationName;
  /** [inputs × units], row-major. */
  W: Float32Array;
  /** [units], or null when the layer has no bias. */
  b: Float32Array | null;
}

/**
 * The flat layout of a spec's parameters (layout.ts): per dense layer W then b, in spec order.
 * `count` is the number of parameters; `stateCount` the non-trainable state saved after them
 * (batchnorm's running statistics; 0 for dense networks).
 */
export function paramLayout(spec: ModelSpec): { layers: ParamLayout[]; count: number; stateCount: number } {
  const layout = modelLayout(spec);
  const layers = layout.layers.filter((l) => l.spec.type === 'dense').map((l) => {
    const [W, b] = l.params;
    return { inputs: W.shape[0], units: W.shape[1], wOffset: W.offset, bOffset: b ? b.offset : -1 };
  });
  return { layers, count: layout.paramCount, stateCount: layout.stateCount };
}

/** A dense layer of the spec with its input width and the dropout that follows it. */
interface StackedDense {
  specIndex: number;
  inputs: number;
  units: number;
  bias: boolean;
  activation: ActivationName;
  init: InitSpec | undefined;
  dropout: number;
}

/**
 * The spec as the stack of dense layers this engine runs: each dense layer with the dropout layer
 * that follows it (a flatten, or the flatten implied before a dense layer on an image, costs
 * nothing: the values are already in C,H,W order); null when the spec has other layers (the model
 * then runs them as typed layers, layers/network.ts).
 */
function denseStack(spec: ModelSpec): StackedDense[] | null {
  const shapes = inferShapes(spec);
  const stack: StackedDense[] = [];
  for (let i = 0; i < spec.layers.length; i++) {
    const layer = spec.layers[i];
    const inputs = shapeSize(i === 0 ? spec.input : shapes[i - 1]);
    const previous = spec.layers[i - 1];
    if (layer.type === 'dense') {
      stack.push({ specIndex: i, inputs, units: layer.units, bias: layer.bias, activation: layer.activation, init: layer.init, dropout: 0 });
    } else if (layer.type === 'dropout' && previous?.type === 'dense') {
      stack[stack.length - 1].dropout = layer.rate;
    } else if (layer.type !== 'flatten') {
      return null;
    }
  }
  return spec.layers[spec.layers.length - 1].type === 'dense' ? stack : null;
}

/** Views of `flat` per layer following `layout`. */
export function viewParams(flat: Float32Array, layout: readonly ParamLayout[]): ParamViews {
  return {
    flat,
    W: layout.map((l) => flat.subarray(l.wOffset, l.wOffset + l.inputs * l.units)),
    b: layout.map((l) => (l.bOffset < 0 ? null : flat.subarray(l.bOffset, l.bOffset + l.units))),
  };
}

/**
 * Scratch matrices for forward and backward passes of up to `capacity` rows: per layer the
 * pre-activations Z, activations A, dropout masks and deltas ∂L/∂Z. One backend allocation.
 */
export class Workspace {
  readonly z: Float32Array[] = [];
  readonly a: Float32Array[] = [];
  /** A ⊙ mask for layers with dropout (what the next layer sees while training), else A itself. */
  readonly dropped: Float32Array[] = [];
  readonly mask: (Float32Array | null)[] = [];
  readonly delta: Float32Array[] = [];
  /**
   * The backend's whole-network passes over these buffers (Backend.networkPasses), when it has
   * them for this model: forward and backward are then one kernel call each instead of ~20.
   */
  passes: NetworkPasses | null = null;
  /** The typed layers' buffers and passes, for a model that is not a dense stack (Model.typed); its z/a/delta lists are then empty. */
  network: LayerNetwork | null = null;
  /** The loss the backward pass differentiates (the model's, or a class-weighted one: Model.workspace). */
  loss: Loss | null = null;
  /** What the last forward pass read and whether it was a training pass (dropout on). */
  input: Float32Array = new Float32Array(0);
  rows = 0;
  training = false;

  private view: Float32Array | null = null;

  /** The first rows×outputs of the last layer's activations, as a view cached per row count (no allocation per step). */
  outputView(rows: number, outputs: number): Float32Array {
    const n = rows * outputs;
    if (this.view === null || this.view.length !== n) this.view = this.a[this.a.length - 1].subarray(0, n);
    return this.view;
  }

  constructor(readonly capacity: number, layers: readonly DenseLayer[], backend: Backend) {
    let total = 0;
    for (const l of layers) total += capacity * l.units * (l.dropout > 0 ? 5 : 3);
    const block = backend.alloc(total);
    let at = 0;
    const take = (n: number) => block.subarray(at, (at += n));
    for (const l of layers) {
      const n = capacity * l.units;
      this.z.push(take(n));
      this.a.push(take(n));
      this.delta.push(take(n));
      if (l.dropout > 0) {
        this.mask.push(take(n));
        this.dropped.push(take(n));
      } else {
        this.mask.push(null);
        this.dropped.push(this.a[this.a.length - 1]);
      }
    }
  }
}

/** Rows per chunk when predicting, so a large dataset never needs a workspace its size. */
const PREDICT_CHUNK = 256;

export class Model {
  readonly spec: ModelSpec;
  readonly backend: Backend;
  readonly layers: readonly DenseLayer[];
  readonly loss: Loss;
  /** Every weight and bias, in `paramLayout` order. */
  readonly params: Float32Array;
  /**
   * Non-trainable state, after the parameters when saved (batchnorm's running mean and variance,
   * layout.ts); empty for dense networks.
   */
  readonly state: Float32Array;
  /** Per-layer views of `params`. */
  readonly views: ParamViews;
  readonly inputs: number;
  readonly outputs: number;
  /** Every layer's tensors in params and state (layout.ts). */
  readonly layout: ModelLayout;
  /**
   * True when the spec is more than a stack of dense layers (with dropout, flatten): it then runs
   * as typed layers (layers/network.ts), layer by layer.
   */
  readonly typed: boolean;
  private inference: Workspace | null = null;

  private constructor(spec: ModelSpec, backend: Backend) {
    this.spec = spec;
    this.backend = backend;
    const { layers, count, stateCount } = paramLayout(spec);
    const stack = denseStack(spec);
    this.layout = modelLayout(spec);
    this.typed = stack === null;
    const dense = this.layout.layers.filter((l) => l.spec.type === 'dense');
    this.layers = layers.map((p, i) => {
      const l = dense[i].spec as DenseLayerSpec;
      return { ...p, index: i, specIndex: dense[i].index, activation: activationByName(l.activation), dropout: stack?.[i].dropout ?? 0,
        init: l.init ?? defaultInit(l.activation, spec.kind) };
    });
    this.loss = lossByName(spec.loss);
    this.params = backend.alloc(count);
    this.state = backend.alloc(stateCount);
    this.views = viewParams(this.params, layers);
    this.inputs = shapeSize(spec.input);
    this.outputs = shapeSize(this.layout.layers[this.layout.layers.length - 1].output);
  }

  /** A new model with freshly initialised weights (seeded: same seed, same weights). */
  static create(spec: unknown, options: { seed?: number; backend?: Backend } = {}): Model {
    const model = new Model(parseModelSpec(spec), options.backend ?? jsBackend);
    const rng = new Random(options.seed ?? 1);
    // Every W in spec order from the one generator; biases and β at 0, γ and running variances at 1.
    for (const l of model.layout.layers) {
      const s = l.spec;
      for (const slot of l.params) {
        const values = model.params.subarray(slot.offset, slot.offset + slot.size);
        if (slot.name === 'W' && (s.type === 'dense' || s.type === 'conv2d')) {
          const { fanIn, fanOut } = weightFans(slot.shape);
          initWeights(values, fanIn, fanOut, s.init ?? defaultInit(s.activation, model.spec.kind), rng, slot.size);
        } else if (slot.name === 'gamma') values.fill(1);
      }
      for (const slot of l.state) if (slot.name === 'var') model.state.fill(1, slot.offset, slot.offset + slot.size);
    }
    return model;
  }

  /**
   * A model with the given saved weights (e.g. loaded from a project file): `paramCount` parameters
   * followed by `stateCount` state values (see `savedWeights`).
   */
  static fromWeights(spec: unknown, weights: ArrayLike<number>, options: { backend?: Backend } = {}): Model {
    const model = new Model(parseModelSpec(spec), options.backend ?? jsBackend);
    const P = model.params.length, S = model.state.length;
    if (weights.length !== P + S) {
      throw new DataError(`the weights hold ${weights.length} numbers but this model has ${P} parameters` +
        (S > 0 ? ` and ${S} state values (${P + S} in all)` : ''));
    }
    model.setWeights(ArrayBuffer.isView(weights) ? (weights as Float32Array) : Float32Array.from(weights));
    return model;
  }

  /** What a saved model stores: a copy of the parameters followed by the state. */
  savedWeights(): Float32Array {
    const all = new Float32Array(this.params.length + this.state.length);
    this.copyWeightsTo(all);
    return all;
  }

  /** Copies the parameters then the state into `into` (at least paramCount + stateCount floats). */
  copyWeightsTo(into: Float32Array): void {
    into.set(this.params);
    into.set(this.state, this.params.length);
  }

  /** Puts back parameters then state, as `copyWeightsTo` wrote them. */
  setWeights(from: Float32Array | Float64Array): void {
    const P = this.params.length;
    this.params.set(from.subarray(0, P));
    this.state.set(from.subarray(P, P + this.state.length));
  }

  /** Non-trainable values saved after the parameters (0 for dense networks). */
  get stateCount(): number {
    return this.state.length;
  }

  get paramCount(): number {
    return this.params.length;
  }

  /** Layer i's sizes, activation and weight views (W as [inputs × units] row-major, b as [units]). */
  weights(i: number): LayerWeights {
    const l = this.layers[i];
    return { inputs: l.inputs, units: l.units, activation: l.activation.name, W: this.views.W[i], b: this.views.b[i] };
  }

  /** Per-layer views of another flat buffer with this model's layout (gradients, moments). */
  viewsOf(flat: Float32Array): ParamViews {
    if (flat.length !== this.params.length) throw new Error(`buffer of ${flat.length} floats for ${this.params.length} parameters`);
    return viewParams(flat, this.layers);
  }

  /**
   * Scratch space for batches of up to `rows` rows. `loss` replaces the model's loss in backward
   * passes over it (class weights: losses.ts weightedLoss); the backend's whole-network passes know
   * only the plain losses, so a replaced loss runs layer by layer.
   */
  workspace(rows: number, loss: Loss = this.loss): Workspace {
    if (this.typed) {
      const ws = new Workspace(rows, [], this.backend);
      ws.network = new LayerNetwork(this.layout, loss, rows, this.backend);
      ws.loss = loss;
      return ws;
    }
    const ws = new Workspace(rows, this.layers, this.backend);
    ws.loss = loss;
    ws.passes = loss === this.loss ? this.networkPasses(ws) : null;
    return ws;
  }

  /**
   * The output layer's pre-activations Z_L [rows × outputs] of the last forward pass over `ws` (a
   * view), or null when the network does not end in an activation applied to them.
   */
  logits(ws: Workspace): Float32Array | null {
    if (ws.network !== null) return ws.network.logits();
    return ws.z[ws.z.length - 1].subarray(0, ws.rows * this.outputs);
  }

  /**
   * The loss of the last forward pass over `ws` for targets t: from the logits by log-sum-exp when
   * the loss absorbs the output activation (exact however confident the network is wrong: no
   * saturation at −ln ε), else from the outputs `out`.
   */
  lossValue(ws: Workspace, out: Float32Array, t: Float32Array, loss: Loss = ws.loss ?? this.loss): number {
    const z = loss.valueFromLogits && loss.fusedWith === outputActivation(this.spec) ? this.logits(ws) : null;
    return z ? loss.valueFromLogits!(z, t, ws.rows, this.outputs) : loss.value(out, t, ws.rows, this.outputs);
  }

  /**
   * The backend's whole-network passes over ws, when it has them and they compute exactly what
   * forward/backward below do: no dropout (its masks are drawn here) and a loss whose δ_L is one
   * of the backend's rules; otherwise null (and the layer-by-layer passes run).
   */
  private networkPasses(ws: Workspace): NetworkPasses | null {
    const be = this.backend;
    if (be.networkPasses === undefined || this.layers.some((l) => l.dropout > 0)) return null;
    const delta = outputDelta(this.loss, this.layers[this.layers.length - 1].activation);
    if (!delta) return null;
    const layers = this.layers.map((l) => ({
      inputs: l.inputs, units: l.units, activation: l.activation.name, wOffset: l.wOffset, bOffset: l.bOffset,
      z: ws.z[l.index], a: ws.a[l.index], delta: ws.delta[l.index],
    }));
    return be.networkPasses(layers, delta, ws.capacity);
  }

  /** A copy of this model (spec and weights) on the same backend. */
  clone(): Model {
    return Model.fromWeights(this.spec, this.savedWeights(), { backend: this.backend });
  }

  /**
   * Forward pass of x[rows × inputs] through every layer into `ws`; returns the output view
   * [rows × outputs] (valid until the workspace is reused). With `training`, layers with dropout
   * zero each unit with probability p and scale the survivors by 1/(1−p) (inverted dropout).
   */
  forward(ws: Workspace, x: Float32Array, rows: number, training = false, rng: Random | null = null): Float32Array {
    if (rows > ws.capacity) throw new Error(`batch of ${rows} rows in a workspace for ${ws.capacity}`);
    const be = this.backend;
    if (ws.network !== null) {
      const out = ws.network.forward(be, this.params, this.state, x, rows, training, rng);
      ws.input = x;
      ws.rows = rows;
      ws.training = training;
      return out;
    }
    const { W, b } = this.views;
    let inp = x;
    if (ws.passes !== null) ws.passes.forward(this.params, x, rows); // the loop below in one call
    else for (const l of this.layers) {
      const i = l.index, z = ws.z[i], a = ws.a[i];
      // Z = inp·W + b;  A = f(Z): in one pass where the backend can, else one after the other
      if (!be.matmulActivate?.(z, a, inp, W[i], rows, l.inputs, l.units, b[i], l.activation.name)) {
        denseForward(be, z, inp, W[i], b[i], rows, l.inputs, l.units);
        activate(be, l.activation, a, z, rows, l.units);
      }
      inp = a;
      if (training && l.dropout > 0) {
        if (!rng) throw new Error('dropout needs the trainer\'s random generator');
        applyDropout(ws.dropped[i], a, ws.mask[i]!, rows * l.units, l.dropout, rng);
        inp = ws.dropped[i];
      }
    }
    ws.input = x;
    ws.rows = rows;
    ws.training = training;
    return ws.outputView(rows, this.outputs);
  }

  /**
   * Backward pass after `forward` on the same workspace: ∂L/∂params for targets t[rows × outputs]
   * are ADDED to `grads` (zero it first), or with `overwrite` written over whatever `grads` held
   * (every parameter is some layer's W or b, so nothing is left stale; this saves the trainer a
   * pass zeroing them each step). The deltas ∂L/∂Z stay in `ws.delta` (the inspector shows them).
   */
  backward(ws: Workspace, t: Float32Array, grads: ParamViews, overwrite = false): void {
    if (ws.network !== null) return ws.network.backward(this.backend, this.params, grads.flat, this.state, t, !overwrite);
    this.backpropagate(ws, t, grads, !overwrite, 1);
  }

  /**
   * One step of plain gradient descent, w ← w − η·∂L/∂w for every weight and bias, fused with the
   * backward pass after `forward`. Backpropagation is linear in δ: started from −η·δ_L it yields
   * −η·∂L/∂W, which is added straight into the weights, so no gradient buffer is written and no
   * separate update pass reads it. Each layer's δ·Wᵀ is taken before that layer's weights change.
   * The workspace's deltas then hold −η·δ.
   */
  descend(ws: Workspace, t: Float32Array, lr: number): void {
    if (ws.network !== null) throw new Error('fused descent runs on dense stacks only (Model.typed is true)');
    this.backpropagate(ws, t, this.views, true, -lr);
  }

  /** The backward pass into (accumulate) or over `grads`, every δ multiplied by `scale`. */
  private backpropagate(ws: Workspace, t: Float32Array, grads: ParamViews, accumulate: boolean, scale: number): void {
    const be = this.backend;
    const rows = ws.rows;
    if (ws.passes !== null) { // all of the below in one call
      ws.passes.backward(this.params, grads.flat, ws.input, t, rows, accumulate, scale);
      return;
    }
    const L = this.layers.length - 1;
    const out = this.layers[L];
    const dz = ws.delta[L];
    const loss = ws.loss ?? this.loss;
    // δ_L = ∂L/∂Z_L: fused (y − t)/B when the loss absorbs the output activation, else ∂L/∂A ⊙ f'(Z).
    if (loss.fusedWith === out.activation.name) {
      loss.fusedGrad(dz, ws.a[L], t, rows, out.units);
    } else {
      loss.grad(dz, ws.a[L], t, rows, out.units);
      activateBackward(be, out.activation, dz, dz, ws.z[L], ws.a[L], rows, out.units);
    }
    if (scale !== 1) for (let k = 0, n = rows * out.units; k < n; k++) dz[k] *= scale;
    const { W } = this.views;
    for (let i = L; i >= 0; i--) {
      const l = this.layers[i];
      const inp = i === 0 ? ws.input : ws.training ? ws.dropped[i - 1] : ws.a[i - 1];
      const dPrev = i === 0 ? null : ws.delta[i - 1];
      // ∂A_prev = δ·Wᵀ (into the previous layer's delta buffer);  ∂W (+)= inpᵀ·δ;  ∂b (+)= Σ_rows δ
      denseBackward(be, dPrev, grads.W[i], grads.b[i], ws.delta[i], inp, W[i], rows, l.inputs, l.units, accumulate);
      if (!dPrev) break;
      // δ_prev = ∂A_prev ⊙ mask ⊙ f'(Z_prev)
      const prev = this.layers[i - 1], mask = ws.mask[i - 1];
      if (ws.training && mask) for (let k = 0, n = rows * prev.units; k < n; k++) dPrev[k] *= mask[k];
      activateBackward(be, prev.activation, dPrev, dPrev, ws.z[i - 1], ws.a[i - 1], rows, prev.units);
    }
  }

  /**
   * The weight penalty λ₁·Σ|w| + ½λ₂·Σw² over every W (biases are not penalised); with `grads`,
   * also adds its gradient λ₁·sign(w) + λ₂·w to them.
   */
  regularize(l1: number, l2: number, grads: ParamViews | null = null): number {
    if (l1 === 0 && l2 === 0) return 0;
    let penalty = 0;
    const w = this.params, g = grads ? grads.flat : null;
    for (const layer of this.layout.layers) {
      for (const slot of layer.params) {
        if (slot.name !== 'W') continue;
        for (let k = slot.offset, end = slot.offset + slot.size; k < end; k++) {
          const v = w[k];
          penalty += l1 * Math.abs(v) + 0.5 * l2 * v * v;
          if (g) g[k] += l1 * Math.sign(v) + l2 * v;
        }
      }
    }
    return penalty;
  }

  /**
   * Outputs for x[rows × inputs]: probabilities for classification (the sigmoid/softmax output),
   * values for regression. Returns a new Float32Array [rows × outputs]. No dropout.
   */
  predict(x: Float32Array, rows: number): Float32Array {
    checkShape(x, rows, this.inputs, 'inputs');
    const result = new Float32Array(rows * this.outputs);
    this.forEachChunk(x, rows, (out, start, n) => result.set(out.subarray(0, n * this.outputs), start * this.outputs));
    return result;
  }

  /**
   * Runs inference over x in chunks, calling `visit(outputs, firstRow, chunkRows, workspace)` with
   * each chunk's outputs (a view valid only during the call; the workspace holds its logits).
   */
  forEachChunk(x: Float32Array, rows: number, visit: (out: Float32Array, firstRow: number, chunkRows: number, ws: Workspace) => void): void {
    const want = Math.min(PREDICT_CHUNK, rows);
    if (!this.inference || this.inference.capacity < want) this.inference = this.workspace(want);
    const ws = this.inference;
    for (let start = 0; start < rows;) {
      const n = Math.min(ws.capacity, rows - start);
      const out = this.forward(ws, x.subarray(start * this.inputs, (start + n) * this.inputs), n, false);
      visit(out, start, n, ws);
      start += n;
    }
  }

  /** Throws a SpecError when backpropagation cannot train this model (a step activation). */
  assertTrainableByBackprop(): void {
    const stepLayer = this.layers.find((l) => !l.activation.differentiable);
    if (stepLayer) throw new SpecError(`layers.${stepLayer.specIndex}.activation`, `'${stepLayer.activation.name}' cannot be trained by backpropagation`);
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

/** How δ_L = ∂L/∂Z_L follows from the loss and the output activation, for whole-network passes; null for the others. */
function outputDelta(loss: Loss, out: Activation): OutputDelta | null {
  if (loss.fusedWith === out.name) return { rule: out.name === 'softmax' ? 'softmax-crossentropy' : 'difference', averaged: loss.averaged };
  if (loss.name === 'mse' || loss.name === 'sse') return { rule: 'difference-derivative', averaged: loss.averaged };
  return null;
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
