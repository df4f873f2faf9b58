/**
 * A network: a validated spec, ALL its weights in one Float32Array (llm.c's single allocation),
 * and the backend whose plan runs it (Backend.plan; plans/ for what a plan is).
 *
 * Weight layout, layer by layer (layout.ts): a dense layer's W[inputs × units] row-major, then
 * b[units] when it has a bias, so z = x·W + b for a row vector x, the tutorials' orientation;
 * a convolution's W[filters × channels·k·k] and b; batchnorm's γ and β. Exporters read a dense
 * layer with `model.weights(i)` (views, no copy); gradients and optimizer moments use the same
 * layout, so any flat buffer of `paramCount` floats can be viewed per layer with `viewsOf`.
 */
import { activation as activationByName, type Activation, type ActivationName } from './activations.js';
import type { Backend } from './backend.js';
import { jsBackend } from './backend-js.js';
import { checkShape } from './dataset.js';
import { DataError, SpecError } from './errors.js';
import { defaultInit, initWeights, weightFans, type InitSpec } from './init.js';
import { modelLayout, type ModelLayout } from './layout.js';
import { loss as lossByName, type Loss } from './losses.js';
import { layerByLayerPlan } from './plans/default-plan.js';
import type { PlanTraining, StepPlan } from './plans/plan.js';
import { Random } from './random.js';
import { parseModelSpec, shapeSize, type DenseLayerSpec, type ModelSpec } from './spec.js';

/** Where one layer's tensors sit in the flat parameter buffer. */
export interface ParamLayout {
  inputs: number;
  units: number;
  /** Offset of W[inputs × units]. */
  wOffset: number;
  /** Offset of b[units], or -1 when the layer has no bias. */
  bOffset: number;
}

/** One dense layer: its sizes, activation and where its weights live. */
export interface DenseLayer extends ParamLayout {
  /** Its place among the dense layers (`weights(i)`, the dense passes' buffers). */
  index: number;
  /** Its place in the spec's layers (error messages name `layers.<specIndex>`). */
  specIndex: number;
  activation: Activation;
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

/** Views of `flat` per layer following `layout`. */
export function viewParams(flat: Float32Array, layout: readonly ParamLayout[]): ParamViews {
  return {
    flat,
    W: layout.map((l) => flat.subarray(l.wOffset, l.wOffset + l.inputs * l.units)),
    b: layout.map((l) => (l.bOffset < 0 ? null : flat.subarray(l.bOffset, l.bOffset + l.units))),
  };
}

/** Rows per chunk when predicting, so a large dataset never needs a plan its size. */
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
  private inference: StepPlan | null = null;

  private constructor(spec: ModelSpec, backend: Backend) {
    this.spec = spec;
    this.backend = backend;
    const { layers, count, stateCount } = paramLayout(spec);
    this.layout = modelLayout(spec);
    const dense = this.layout.layers.filter((l) => l.spec.type === 'dense');
    this.layers = layers.map((p, i) => {
      const l = dense[i].spec as DenseLayerSpec;
      return { ...p, index: i, specIndex: dense[i].index, activation: activationByName(l.activation),
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
   * The backend's step plan for batches of up to `capacity` rows (Backend.plan; the plain
   * layer-by-layer plan when the backend has none): for training with `training`, else for
   * inference and inspection.
   */
  plan(capacity: number, training: PlanTraining | null = null): StepPlan {
    return this.backend.plan?.(this, capacity, training) ?? layerByLayerPlan(this, capacity, training);
  }

  /** A copy of this model (spec and weights) on the same backend. */
  clone(): Model {
    return Model.fromWeights(this.spec, this.savedWeights(), { backend: this.backend });
  }

  /**
   * The weight penalty λ₁·Σ|w| + ½λ₂·Σw² over every W (biases are not penalised); with `grads`
   * (laid out like the parameters), also adds its gradient λ₁·sign(w) + λ₂·w to them.
   */
  regularize(l1: number, l2: number, grads: Float32Array | null = null): number {
    if (l1 === 0 && l2 === 0) return 0;
    let penalty = 0;
    const w = this.params, g = grads;
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
   * Runs inference over x in chunks, calling `visit(outputs, firstRow, chunkRows)` with each
   * chunk's outputs (a view valid only during the call).
   */
  forEachChunk(x: Float32Array, rows: number, visit: (out: Float32Array, firstRow: number, chunkRows: number) => void): void {
    const want = Math.min(PREDICT_CHUNK, rows);
    if (!this.inference || this.inference.capacity < want) this.inference = this.plan(want);
    const plan = this.inference;
    for (let start = 0; start < rows;) {
      const n = Math.min(plan.capacity, rows - start);
      const out = plan.forward(x.subarray(start * this.inputs, (start + n) * this.inputs), n);
      visit(out, start, n);
      start += n;
    }
  }

  /** Throws a SpecError when backpropagation cannot train this model (a step activation). */
  assertTrainableByBackprop(): void {
    const stepLayer = this.layers.find((l) => !l.activation.differentiable);
    if (stepLayer) throw new SpecError(`layers.${stepLayer.specIndex}.activation`, `'${stepLayer.activation.name}' cannot be trained by backpropagation`);
  }
}
