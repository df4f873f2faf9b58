/**
 * Weight initialisers, all drawing from the one seeded `Random` (same seed → same weights).
 * For a weight matrix W[fanIn × fanOut] (a dense layer), or a conv2d kernel W[OC × C × k × k] with
 * fanIn = C·k·k and fanOut = OC·k·k (as PyTorch and Keras count them; see `weightFans`):
 *   normal          N(0, std²)                            the tutorials' `0.01 * randn`
 *   xavier-uniform  U(−l, l), l = √(6 / (fanIn + fanOut))   Glorot & Bengio 2010, for tanh/sigmoid
 *   xavier-normal   N(0, 2 / (fanIn + fanOut))
 *   he-normal       N(0, 2 / fanIn)                         He et al. 2015, for the ReLU family
 *   he-uniform      U(−l, l), l = √(6 / fanIn)
 *   lecun-normal    N(0, 1 / fanIn)                         what SELU's self-normalisation assumes
 *   zeros           0                                       the perceptron's classic start
 * Biases always start at 0.
 */
import type { ActivationName } from './activations.js';
import type { Random } from './random.js';

export const INIT_NAMES = ['normal', 'xavier-uniform', 'xavier-normal', 'he-normal', 'he-uniform', 'lecun-normal', 'zeros'] as const;
export type InitName = (typeof INIT_NAMES)[number];

/** An initialiser as it appears in a model spec; `std` is used by (and required for) 'normal'. */
export interface InitSpec {
  name: InitName;
  std?: number;
}

/** The usual choice for a layer's activation when the spec names none. */
export function defaultInit(activation: ActivationName, kind: 'mlp' | 'perceptron'): InitSpec {
  if (kind === 'perceptron') return { name: 'zeros' };
  switch (activation) {
    case 'relu': case 'leaky-relu': case 'elu': return { name: 'he-normal' };
    case 'selu': return { name: 'lecun-normal' };
    default: return { name: 'xavier-uniform' };
  }
}

/**
 * Fills the first n values of w from `init` (n = fanIn·fanOut for a dense W[fanIn × fanOut];
 * OC·C·k·k for a conv kernel).
 */
export function initWeights(w: Float32Array, fanIn: number, fanOut: number, init: InitSpec, rng: Random, n = fanIn * fanOut): void {
  switch (init.name) {
    case 'zeros': w.fill(0, 0, n); return;
    case 'normal': return fillNormal(w, n, init.std ?? 0.01, rng);
    case 'xavier-uniform': return fillUniform(w, n, Math.sqrt(6 / (fanIn + fanOut)), rng);
    case 'xavier-normal': return fillNormal(w, n, Math.sqrt(2 / (fanIn + fanOut)), rng);
    case 'he-normal': return fillNormal(w, n, Math.sqrt(2 / fanIn), rng);
    case 'he-uniform': return fillUniform(w, n, Math.sqrt(6 / fanIn), rng);
    case 'lecun-normal': return fillNormal(w, n, Math.sqrt(1 / fanIn), rng);
    default: throw new Error(`unknown initialiser ${String(init.name satisfies never)}`);
  }
}

/** fanIn and fanOut of a weight tensor: [in, out] for dense, [OC, C, k, k] → C·k·k and OC·k·k for conv2d. */
export function weightFans(shape: readonly number[]): { fanIn: number; fanOut: number } {
  if (shape.length === 2) return { fanIn: shape[0], fanOut: shape[1] };
  const [oc, c, kh, kw] = shape;
  return { fanIn: c * kh * kw, fanOut: oc * kh * kw };
}

function fillNormal(w: Float32Array, n: number, std: number, rng: Random): void {
  for (let i = 0; i < n; i++) w[i] = std * rng.normal();
}

function fillUniform(w: Float32Array, n: number, limit: number, rng: Random): void {
  for (let i = 0; i < n; i++) w[i] = rng.range(-limit, limit);
}
