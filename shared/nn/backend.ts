/**
 * The kernels the engine's layers and optimizers are written against. The JavaScript backend
 * (`backend-js.ts`) is the readable reference and the fallback everywhere; faster backends
 * (WebAssembly SIMD, threads) implement the same interface and are tested against it.
 *
 * Conventions (llm.c style): every matrix is a row-major Float32Array with its sizes passed
 * explicitly; outputs come first; a kernel never allocates. Buffers that a backend wants to own
 * (WASM memory) are obtained with `alloc`, so a layer written once runs on every backend without
 * copies. Names: B = batch rows, C = input features, OC = output features.
 */
import type { ConvGeometry } from './layers/geometry.js';
import type { Model } from './model.js';
import type { PlanTraining, StepPlan } from './plans/plan.js';

export interface Backend {
  /** 'js', 'wasm-simd', 'wasm-relaxed-simd', … shown in the About box and in the benchmark. */
  readonly name: string;
  /** Threads the backend computes with (1 for the JS backend). */
  readonly threads: number;

  /** A zeroed Float32Array of n elements that this backend's kernels can use without copying. */
  alloc(n: number): Float32Array;

  /** out[M×N] = a[M×K] · b[K×N] (+ bias[N] broadcast over rows when bias is given). */
  matmul(out: Float32Array, a: Float32Array, b: Float32Array, M: number, K: number, N: number, bias?: Float32Array | null): void;

  /**
   * Optional: z[M×N] = a·b + bias and act = f(z) in one pass (f applied to the product's tiles while
   * they are in cache, instead of a pass over z afterwards), for the element-wise activation `name`;
   * false, doing nothing, for an activation it has no kernel for (the layer then runs matmul and
   * the activation).
   */
  matmulActivate?(z: Float32Array, act: Float32Array, a: Float32Array, b: Float32Array, M: number, K: number, N: number,
    bias: Float32Array | null, name: string): boolean;

  /** out[K×N] (+)= a[M×K]ᵀ · b[M×N]; accumulates into out when `accumulate` (weight gradients). */
  matmulTransA(out: Float32Array, a: Float32Array, b: Float32Array, M: number, K: number, N: number, accumulate: boolean): void;

  /** out[M×K] (+)= a[M×N] · b[K×N]ᵀ; accumulates into out when `accumulate` (input deltas). */
  matmulTransB(out: Float32Array, a: Float32Array, b: Float32Array, M: number, K: number, N: number, accumulate: boolean): void;

  /** out[N] (+)= Σ_rows a[M×N] (bias gradients). */
  sumRows(out: Float32Array, a: Float32Array, M: number, N: number, accumulate: boolean): void;

  /**
   * Optional: y[0..n) += alpha·x[0..n), both from `alloc` — the plain SGD update w ← w − η·g.
   * Without it the optimizer runs the same loop in JavaScript.
   */
  axpy?(y: Float32Array, x: Float32Array, n: number, alpha: number): void;

  /**
   * Optional: out = f(z) over a rows×cols matrix (softmax row by row), buffers from `alloc`.
   * Returns false, doing nothing, for an activation the backend has no kernel for; the layer then
   * runs the JavaScript definition (activations.ts), which is the reference.
   */
  activationForward?(name: string, out: Float32Array, z: Float32Array, rows: number, cols: number): boolean;

  /**
   * Optional: dz[0..n) = da ⊙ f'(z) with a = f(z) (dz may alias da), like `activationForward`:
   * false for activations without a kernel.
   */
  activationBackward?(name: string, dz: Float32Array, da: Float32Array, z: Float32Array, a: Float32Array, n: number): boolean;

  /**
   * Optional: one Adam/AdamW step over n parameters, all buffers from `alloc`. Without it the
   * optimizer runs the same formula as a JavaScript loop (optimizers.ts), which is the reference:
   *   m ← β₁·m + (1−β₁)·g;  v ← β₂·v + (1−β₂)·g²;  w ← w·decay − stepSize·m / (√v·invSqrtBc2 + ε)
   * with stepSize = η/(1−β₁ᵗ), invSqrtBc2 = 1/√(1−β₂ᵗ) and decay = 1 − η·λ (exactly 1 for Adam).
   * With a fast backend this loop is otherwise a sizeable share of a step (Adam on a 235k-weight MLP).
   */
  adam?(w: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, n: number,
    beta1: number, beta2: number, eps: number, stepSize: number, invSqrtBc2: number, decay: number, step: number): void;

  /**
   * Optional: a convolution layer's forward pass over the whole batch in one call (layers/conv2d.ts's
   * im2col route defines it and is the fallback), buffers from `alloc`: z[B×OC×OH×OW] = inp ⋆ weight
   * (+ bias[OC] per channel) for geometry g. When `a` is given and the activation is one whose
   * derivative its output determines (identity, relu, sigmoid, tanh: f'(z) from a = f(z)) and the
   * backend has its kernel, it writes a = f(z) INSTEAD of z (half the stores) and returns true; the
   * backward pass then reads a in place of z. Otherwise it writes z and returns false.
   */
  conv2dForward?(z: Float32Array, inp: Float32Array, weight: Float32Array, bias: Float32Array | null, g: ConvGeometry,
    a: Float32Array | null, activation: string): boolean;
  /**
   * Optional, with conv2dForward: the backward pass from delta[B×OC×OH×OW] = ∂L/∂z:
   * dweight[OC×C×k×k] += ∂L/∂W, and dinp[B×C×H×W] = ∂L/∂inp (overwritten; null skips it).
   */
  conv2dBackward?(dinp: Float32Array | null, dweight: Float32Array, delta: Float32Array, inp: Float32Array, weight: Float32Array,
    g: ConvGeometry): void;
  /** Optional: out[c] (+)= Σ_b Σ_p a[b][c][p] over B×C planes of P values. */
  sumChannels?(out: Float32Array, a: Float32Array, B: number, C: number, P: number, accumulate: boolean): void;
  /**
   * Optional: max pooling (layers/pool.ts defines it and is the fallback) over `planes` planes of
   * H×W: out[planes×OH×OW] = the window maxima, argmax = each one's index in inp.
   */
  maxPoolForward?(out: Float32Array, argmax: Int32Array, inp: Float32Array, planes: number, H: number, W: number,
    size: number, stride: number, OH: number, OW: number): void;
  /**
   * Optional: dinp[planes×H×W] = 0, then dinp[argmax[o]] += dout[o] for every output o (overwrites
   * dinp); with `gate`, only for the outputs where gate[o] > 0 (layers/pool.ts: a ReLU before the pool).
   */
  maxPoolBackward?(dinp: Float32Array, dout: Float32Array, argmax: Int32Array, planes: number, H: number, W: number, OH: number, OW: number,
    gate: Float32Array | null): void;

  /**
   * Optional: this backend's step plan for `model` over batches of up to `capacity` rows, for
   * training (`training`) or for inference and inspection (null). Its fast paths (fused passes,
   * background gathers, native kernels) and the rules for when they apply live in the plan.
   * Without one (the JavaScript backend; a new backend that so far supplies only kernels) the
   * model runs the plain layer-by-layer plan (plans/default-plan.ts).
   */
  plan?(model: Model, capacity: number, training: PlanTraining | null): StepPlan;
}
