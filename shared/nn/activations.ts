/**
 * Activation functions, each a value and its derivative found by name (TensorFlow Playground's
 * `{ output, der }` map), so a model is plain JSON naming them.
 *
 * Every activation has
 * - `f(x)` and `df(x, y)`: the scalar value and derivative (y = f(x) is passed because for
 *   sigmoid, tanh, ELU, SELU the derivative is cheapest from the output: σ' = y(1−y), tanh' = 1−y²);
 * - `forward(out, z, rows, cols)`: out = f(z) over a rows×cols matrix (softmax works row by row);
 * - `backward(dz, da, z, a, rows, cols)`: dz = da ⊙ f'(z), the chain rule through the activation
 *   (for softmax the Jacobian–vector product dzᵢ = yᵢ(daᵢ − Σⱼ daⱼyⱼ)). `dz` may alias `da`.
 * The bulk loops work on Float32Array (training) and Float64Array (the float64 gradient check) alike;
 * tanh alone takes a float32-precise shortcut on Float32Array (see `fastTanh`).
 */
import { SpecError } from './errors.js';

export type Vec = Float32Array | Float64Array;

export const ACTIVATION_NAMES = [
  'step', 'identity', 'sigmoid', 'tanh', 'relu', 'leaky-relu', 'elu', 'selu', 'softplus', 'softmax',
] as const;
export type ActivationName = (typeof ACTIVATION_NAMES)[number];

export interface Activation {
  readonly name: ActivationName;
  /** False for step: its derivative is 0 almost everywhere, so backpropagation cannot train through it. */
  readonly differentiable: boolean;
  /** False for softmax, whose outputs depend on the whole row. */
  readonly elementwise: boolean;
  /**
   * True when f' jumps at z = 0 (ReLU, leaky ReLU, SELU, step): a finite difference that straddles 0
   * measures neither side's slope, so the gradient check skips those entries.
   */
  readonly kinkAtZero: boolean;
  f(x: number): number;
  df(x: number, y: number): number;
  forward(out: Vec, z: Vec, rows: number, cols: number): void;
  backward(dz: Vec, da: Vec, z: Vec, a: Vec, rows: number, cols: number): void;
}

/** Leaky ReLU's slope for z < 0. */
export const LEAKY_SLOPE = 0.01;
/** ELU's α. */
export const ELU_ALPHA = 1;
/** SELU's λ and α (Klambauer et al. 2017), the values that make activations self-normalising. */
export const SELU_LAMBDA = 1.0507009873554805;
export const SELU_ALPHA = 1.6732632423543772;

// Scalar definitions. Each bulk loop below calls these directly, so V8 inlines them.

/** σ(x) = 1 / (1 + e^−x), written so that e^x never overflows. */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}
const sigmoidDer = (_x: number, y: number) => y * (1 - y);

// tanh(x) ≈ x·P(x²)/Q(x²) on [−9, 9], clamped beyond: a rational fit within 6e-8 relative error
// (at most 1 float32 ulp from Math.tanh) at a third of its cost. Training's float32 path uses it;
// float64 (the gradient check) uses Math.tanh, so the check stays exact.
//
// Hot scalar functions spell their constants as literals: bundlers turn module-level `const`s
// into `var`s, which V8 then reloads on every call instead of folding (2× slower here).
/** tanh to float32 precision (≤ 1 ulp), about 3× faster than Math.tanh in V8. */
export function fastTanh(x: number): number {
  // Clamping (rather than returning ±1) keeps the loop branch-free; the fit at ±9 is 1 − 3e-8.
  const c = x > 9 ? 9 : x < -9 ? -9 : x;
  const s = c * c;
  return (c * (9.9999998322749728e-1 + s * (1.3392437942402191e-1 + s * (3.5091405328591231e-3 + s * (2.0832052060349758e-5 + s * 1.3663558557071803e-8))))) /
    (1 + s * (4.6725756592758239e-1 + s * (2.5928544475571538e-2 + s * (3.3077961584345513e-4 + s * 7.9029964917085965e-7))));
}
const tanhDer = (_x: number, y: number) => 1 - y * y;
const relu = (x: number) => (x > 0 ? x : 0);
const reluDer = (x: number) => (x > 0 ? 1 : 0);
// The literals below are LEAKY_SLOPE, ELU_ALPHA (1), SELU_LAMBDA and SELU_ALPHA (see fastTanh's note).
const leakyRelu = (x: number) => (x > 0 ? x : 0.01 * x);
const leakyReluDer = (x: number) => (x > 0 ? 1 : 0.01);
const elu = (x: number) => (x > 0 ? x : Math.expm1(x));
const eluDer = (x: number, y: number) => (x > 0 ? 1 : y + 1);
const selu = (x: number) => 1.0507009873554805 * (x > 0 ? x : 1.6732632423543772 * Math.expm1(x));
const seluDer = (x: number, y: number) => (x > 0 ? 1.0507009873554805 : y + 1.0507009873554805 * 1.6732632423543772);
/** softplus(x) = ln(1 + eˣ), stable for large |x|; its derivative is σ(x). */
const softplus = (x: number) => (x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x)));
const softplusDer = (x: number) => sigmoid(x);
/** The perceptron's Heaviside step: 1 when z > 0, else 0 (the tutorials' `x > 0`). */
const step = (x: number) => (x > 0 ? 1 : 0);

function refuseStepBackward(): never {
  throw new SpecError('activation', "'step' has no useful derivative (it is 0 everywhere but at 0), so backpropagation cannot train through it; " +
    "use it only in a single perceptron trained by the perceptron rule, or use 'sigmoid'");
}

const identity: Activation = {
  name: 'identity', differentiable: true, elementwise: true, kinkAtZero: false,
  f: (x) => x,
  df: () => 1,
  forward(out, z, rows, cols) { if (out !== z) for (let i = 0, n = rows * cols; i < n; i++) out[i] = z[i]; },
  backward(dz, da, _z, _a, rows, cols) { if (dz !== da) for (let i = 0, n = rows * cols; i < n; i++) dz[i] = da[i]; },
};

const sigmoidAct: Activation = {
  name: 'sigmoid', differentiable: true, elementwise: true, kinkAtZero: false,
  f: sigmoid,
  df: sigmoidDer,
  forward(out, z, rows, cols) { for (let i = 0, n = rows * cols; i < n; i++) out[i] = sigmoid(z[i]); },
  backward(dz, da, z, a, rows, cols) { for (let i = 0, n = rows * cols; i < n; i++) dz[i] = da[i] * sigmoidDer(z[i], a[i]); },
};

const tanhAct: Activation = {
  name: 'tanh', differentiable: true, elementwise: true, kinkAtZero: false,
  f: Math.tanh,
  df: tanhDer,
  forward(out, z, rows, cols) {
    const n = rows * cols;
    if (out instanceof Float64Array) for (let i = 0; i < n; i++) out[i] = Math.tanh(z[i]);
    else for (let i = 0; i < n; i++) out[i] = fastTanh(z[i]);
  },
  backward(dz, da, z, a, rows, cols) { for (let i = 0, n = rows * cols; i < n; i++) dz[i] = da[i] * tanhDer(z[i], a[i]); },
};

const reluAct: Activation = {
  name: 'relu', differentiable: true, elementwise: true, kinkAtZero: true,
  f: relu,
  df: reluDer,
  forward(out, z, rows, cols) { for (let i = 0, n = rows * cols; i < n; i++) out[i] = relu(z[i]); },
  backward(dz, da, z, _a, rows, cols) { for (let i = 0, n = rows * cols; i < n; i++) dz[i] = z[i] > 0 ? da[i] : 0; },
};

const leakyReluAct: Activation = {
  name: 'leaky-relu', differentiable: true, elementwise: true, kinkAtZero: true,
  f: leakyRelu,
  df: leakyReluDer,
  forward(out, z, rows, cols) { for (let i = 0, n = rows * cols; i < n; i++) out[i] = leakyRelu(z[i]); },
  backward(dz, da, z, _a, rows, cols) { for (let i = 0, n = rows * cols; i < n; i++) dz[i] = da[i] * leakyReluDer(z[i]); },
};

const eluAct: Activation = {
  name: 'elu', differentiable: true, elementwise: true, kinkAtZero: false,
  f: elu,
  df: eluDer,
  forward(out, z, rows, cols) { for (let i = 0, n = rows * cols; i < n; i++) out[i] = elu(z[i]); },
  backward(dz, da, z, a, rows, cols) { for (let i = 0, n = rows * cols; i < n; i++) dz[i] = da[i] * eluDer(z[i], a[i]); },
};

const seluAct: Activation = {
  name: 'selu', differentiable: true, elementwise: true, kinkAtZero: true,
  f: selu,
  df: seluDer,
  forward(out, z, rows, cols) { for (let i = 0, n = rows * cols; i < n; i++) out[i] = selu(z[i]); },
  backward(dz, da, z, a, rows, cols) { for (let i = 0, n = rows * cols; i < n; i++) dz[i] = da[i] * seluDer(z[i], a[i]); },
};

const softplusAct: Activation = {
  name: 'softplus', differentiable: true, elementwise: true, kinkAtZero: false,
  f: softplus,
  df: softplusDer,
  forward(out, z, rows, cols) { for (let i = 0, n = rows * cols; i < n; i++) out[i] = softplus(z[i]); },
  backward(dz, da, z, _a, rows, cols) { for (let i = 0, n = rows * cols; i < n; i++) dz[i] = da[i] * softplusDer(z[i]); },
};

const stepAct: Activation = {
  name: 'step', differentiable: false, elementwise: true, kinkAtZero: true,
  f: step,
  df: refuseStepBackward,
  forward(out, z, rows, cols) { for (let i = 0, n = rows * cols; i < n; i++) out[i] = step(z[i]); },
  backward: refuseStepBackward,
};

/**
 * softmax(z)ᵢ = e^(zᵢ − max z) / Σⱼ e^(zⱼ − max z), row by row. Subtracting the row's max changes
 * nothing mathematically and keeps e^x ≤ 1, so softmax([1010, 1000, 990]) does not overflow.
 */
const softmaxAct: Activation = {
  name: 'softmax', differentiable: true, elementwise: false, kinkAtZero: false,
  f: () => { throw new Error('softmax is not element-wise; use forward() on whole rows'); },
  df: () => { throw new Error('softmax is not element-wise; use backward() on whole rows'); },
  forward(out, z, rows, cols) {
    for (let r = 0, o = 0; r < rows; r++, o += cols) {
      let max = -Infinity;
      for (let j = 0; j < cols; j++) if (z[o + j] > max) max = z[o + j];
      let sum = 0;
      for (let j = 0; j < cols; j++) {
        const e = Math.exp(z[o + j] - max);
        out[o + j] = e;
        sum += e;
      }
      const inv = 1 / sum;
      for (let j = 0; j < cols; j++) out[o + j] *= inv;
    }
  },
  backward(dz, da, _z, a, rows, cols) {
    for (let r = 0, o = 0; r < rows; r++, o += cols) {
      let dot = 0;
      for (let j = 0; j < cols; j++) dot += da[o + j] * a[o + j];
      for (let j = 0; j < cols; j++) dz[o + j] = a[o + j] * (da[o + j] - dot);
    }
  },
};

const byName: Record<ActivationName, Activation> = {
  step: stepAct,
  identity,
  sigmoid: sigmoidAct,
  tanh: tanhAct,
  relu: reluAct,
  'leaky-relu': leakyReluAct,
  elu: eluAct,
  selu: seluAct,
  softplus: softplusAct,
  softmax: softmaxAct,
};

/** The activation called `name`; a SpecError listing the known names otherwise. */
export function activation(name: string): Activation {
  const a = (byName as Record<string, Activation | undefined>)[name];
  if (!a) throw new SpecError('activation', `unknown activation '${name}'; expected one of ${ACTIVATION_NAMES.join(', ')}`);
  return a;
}
