/**
 * Loss functions, each a value and its gradient found by name. `y` is the network's output and
 * `t` the target, both rows×cols row-major (cols = outputs; targets one-hot for classes).
 *
 * One convention for all of them: the per-row loss is summed over the outputs and averaged over
 * the rows of the batch, so the gradient carries a 1/B — except `sse`, the tutorials' plain sum.
 *
 * Squared error follows the tutorials' ½·Σ convention (the ½ cancels the 2 of the derivative):
 *   mse  L = (1/B) Σ_rows ½ Σ_k (y − t)²      ∂L/∂y = (y − t)/B
 *   sse  L =        Σ_rows ½ Σ_k (y − t)²      ∂L/∂y = (y − t)
 * So the loss `mse` is K/2 times the *metric* MSE of `metrics.ts` (mean of (y − t)² over all
 * B·K entries, no ½), which is what the studio reports as "MSE".
 *   mae    L = (1/B) Σ_rows Σ_k |y − t|
 *   huber  L = (1/B) Σ_rows Σ_k h(y − t), h(e) = ½e² for |e| ≤ δ, δ(|e| − ½δ) beyond (δ = 1)
 *   binary-crossentropy       L = −(1/B) Σ Σ_k [t ln y + (1 − t) ln(1 − y)]
 *   categorical-crossentropy  L = −(1/B) Σ Σ_k t ln y
 * From the outputs y, logarithms are guarded: ln(max(y, ε)) with ε = 1e-7, so a saturated output
 * costs at most −ln ε ≈ 16.1 instead of Infinity. The trainer and evaluation instead take the value
 * from the logits z when the output activation is the one the loss absorbs (`valueFromLogits`),
 * exact however confidently wrong the network is:
 *   categorical-crossentropy  L = (1/B) Σ_rows Σ_k t_k (lse(z) − z_k),  lse(z) = m + ln Σ_j e^(z_j − m), m = max z
 *   binary-crossentropy       L = (1/B) Σ Σ_k [max(z, 0) − t·z + ln(1 + e^−|z|)]
 * Cross-entropy after softmax (and binary cross-entropy after sigmoid) is fused: the chain rule
 * through both collapses to ∂L/∂z = (y·Σt − t)/B (= (y − t)/B for one-hot rows), which is exact
 * and never divides by a tiny y.
 *
 * Class weights (`weightedLoss`) multiply each row's loss and gradient by the weight of the row's
 * class, read off its target: Σ_k t_k·w_k for one-hot rows, t·w₁ + (1 − t)·w₀ for one 0/1 output.
 */
import type { Vec } from './activations.js';
import { SpecError } from './errors.js';

export const LOSS_NAMES = ['mse', 'sse', 'mae', 'huber', 'binary-crossentropy', 'categorical-crossentropy'] as const;
export type LossName = (typeof LOSS_NAMES)[number];

/** The guard inside logarithms. */
export const LOG_EPSILON = 1e-7;
/** Huber's δ: quadratic inside, linear outside. */
export const HUBER_DELTA = 1;

export interface Loss {
  readonly name: LossName;
  /** The loss of the batch (see the module comment for each formula). */
  value(y: Vec, t: Vec, rows: number, cols: number): number;
  /** g = ∂L/∂y (overwrites g). */
  grad(g: Vec, y: Vec, t: Vec, rows: number, cols: number): void;
  /** The output activation whose derivative this loss absorbs, if any. */
  readonly fusedWith: 'softmax' | 'sigmoid' | null;
  /** g = ∂L/∂z through the fused output activation (only when `fusedWith` matches). */
  fusedGrad(g: Vec, y: Vec, t: Vec, rows: number, cols: number): void;
  /** The loss from the logits z of the fused output activation (cross-entropies: see the module comment). */
  valueFromLogits?(z: Vec, t: Vec, rows: number, cols: number): number;
  /** True when ∂L/∂y jumps somewhere (MAE at y = t): the gradient check skips entries straddling it. */
  readonly kinkAtZeroError: boolean;
  /** True when the value is a mean over rows (all but `sse`, which sums them). */
  readonly averaged: boolean;
}

// Hot loops below spell LOG_EPSILON (1e-7) and HUBER_DELTA (1) as literals: bundlers turn module
// constants into `var`s, which V8 reloads on every use instead of folding.
const safeLog = (p: number) => Math.log(p > 1e-7 ? p : 1e-7);

function notFused(): never {
  throw new Error('this loss is not fused with an output activation');
}

const mse: Loss = {
  name: 'mse', averaged: true, fusedWith: null, fusedGrad: notFused, kinkAtZeroError: false,
  value(y, t, rows, cols) {
    let s = 0;
    for (let i = 0, n = rows * cols; i < n; i++) { const e = y[i] - t[i]; s += e * e; }
    return (0.5 * s) / rows;
  },
  grad(g, y, t, rows, cols) {
    const inv = 1 / rows;
    for (let i = 0, n = rows * cols; i < n; i++) g[i] = (y[i] - t[i]) * inv;
  },
};

const sse: Loss = {
  name: 'sse', averaged: false, fusedWith: null, fusedGrad: notFused, kinkAtZeroError: false,
  value(y, t, rows, cols) {
    let s = 0;
    for (let i = 0, n = rows * cols; i < n; i++) { const e = y[i] - t[i]; s += e * e; }
    return 0.5 * s;
  },
  grad(g, y, t, rows, cols) {
    for (let i = 0, n = rows * cols; i < n; i++) g[i] = y[i] - t[i];
  },
};

const mae: Loss = {
  name: 'mae', averaged: true, fusedWith: null, fusedGrad: notFused, kinkAtZeroError: true,
  value(y, t, rows, cols) {
    let s = 0;
    for (let i = 0, n = rows * cols; i < n; i++) s += Math.abs(y[i] - t[i]);
    return s / rows;
  },
  grad(g, y, t, rows, cols) {
    const inv = 1 / rows;
    for (let i = 0, n = rows * cols; i < n; i++) g[i] = Math.sign(y[i] - t[i]) * inv;
  },
};

const huber: Loss = {
  name: 'huber', averaged: true, fusedWith: null, fusedGrad: notFused, kinkAtZeroError: false,
  value(y, t, rows, cols) {
    let s = 0;
    for (let i = 0, n = rows * cols; i < n; i++) {
      const e = Math.abs(y[i] - t[i]);
      s += e <= 1 ? 0.5 * e * e : e - 0.5;
    }
    return s / rows;
  },
  grad(g, y, t, rows, cols) {
    const inv = 1 / rows;
    for (let i = 0, n = rows * cols; i < n; i++) {
      const e = y[i] - t[i];
      g[i] = (e > 1 ? 1 : e < -1 ? -1 : e) * inv;
    }
  },
};

const binaryCrossentropy: Loss = {
  name: 'binary-crossentropy', averaged: true, fusedWith: 'sigmoid', kinkAtZeroError: false,
  value(y, t, rows, cols) {
    let s = 0;
    for (let i = 0, n = rows * cols; i < n; i++) s -= t[i] * safeLog(y[i]) + (1 - t[i]) * safeLog(1 - y[i]);
    return s / rows;
  },
  // ∂/∂y of −[t ln y + (1−t) ln(1−y)] = (y − t) / (y(1 − y)), with the same guard as the value.
  grad(g, y, t, rows, cols) {
    const inv = 1 / rows;
    for (let i = 0, n = rows * cols; i < n; i++) {
      const p = y[i];
      const dp = p > 1e-7 ? -t[i] / p : 0;
      const dq = 1 - p > 1e-7 ? (1 - t[i]) / (1 - p) : 0;
      g[i] = (dp + dq) * inv;
    }
  },
  fusedGrad(g, y, t, rows, cols) {
    const inv = 1 / rows;
    for (let i = 0, n = rows * cols; i < n; i++) g[i] = (y[i] - t[i]) * inv;
  },
  // −[t ln σ(z) + (1 − t) ln(1 − σ(z))] = max(z, 0) − t·z + ln(1 + e^−|z|)
  valueFromLogits(z, t, rows, cols) {
    let s = 0;
    for (let i = 0, n = rows * cols; i < n; i++) {
      const v = z[i];
      s += (v > 0 ? v : 0) - t[i] * v + Math.log1p(Math.exp(-Math.abs(v)));
    }
    return s / rows;
  },
};

const categoricalCrossentropy: Loss = {
  name: 'categorical-crossentropy', averaged: true, fusedWith: 'softmax', kinkAtZeroError: false,
  value(y, t, rows, cols) {
    let s = 0;
    for (let i = 0, n = rows * cols; i < n; i++) if (t[i] !== 0) s -= t[i] * safeLog(y[i]);
    return s / rows;
  },
  grad(g, y, t, rows, cols) {
    const inv = 1 / rows;
    for (let i = 0, n = rows * cols; i < n; i++) g[i] = y[i] > 1e-7 ? (-t[i] / y[i]) * inv : 0;
  },
  // Through softmax: ∂L/∂zⱼ = Σᵢ (−tᵢ/yᵢ)·yᵢ(δᵢⱼ − yⱼ) = yⱼ·Σt − tⱼ.
  fusedGrad(g, y, t, rows, cols) {
    const inv = 1 / rows;
    for (let r = 0, o = 0; r < rows; r++, o += cols) {
      let sumT = 0;
      for (let j = 0; j < cols; j++) sumT += t[o + j];
      for (let j = 0; j < cols; j++) g[o + j] = (y[o + j] * sumT - t[o + j]) * inv;
    }
  },
  valueFromLogits(z, t, rows, cols) {
    let s = 0;
    for (let r = 0, o = 0; r < rows; r++, o += cols) {
      let max = -Infinity;
      for (let j = 0; j < cols; j++) if (z[o + j] > max) max = z[o + j];
      let sum = 0;
      for (let j = 0; j < cols; j++) sum += Math.exp(z[o + j] - max);
      const lse = max + Math.log(sum);
      for (let j = 0; j < cols; j++) if (t[o + j] !== 0) s += t[o + j] * (lse - z[o + j]);
    }
    return s / rows;
  },
};

const byName: Record<LossName, Loss> = {
  mse, sse, mae, huber,
  'binary-crossentropy': binaryCrossentropy,
  'categorical-crossentropy': categoricalCrossentropy,
};

/** The loss called `name`; a SpecError listing the known names otherwise. */
export function loss(name: string): Loss {
  const l = (byName as Record<string, Loss | undefined>)[name];
  if (!l) throw new SpecError('loss', `unknown loss '${name}'; expected one of ${LOSS_NAMES.join(', ')}`);
  return l;
}

/** The weight of row r's class, read off its target row (see the module comment). */
function rowWeight(weights: readonly number[], t: Vec, r: number, cols: number): number {
  if (cols === 1) return t[r] * weights[1] + (1 - t[r]) * weights[0];
  let w = 0;
  for (let k = 0, o = r * cols; k < cols; k++) w += t[o + k] * weights[k];
  return w;
}

/**
 * `base` with each row's loss and gradient multiplied by its class's weight (`weights[k]` for class
 * k; two weights for one sigmoid output). The mean over rows keeps its 1/B, so balanced weights
 * (which average 1 over the training rows) leave the loss's scale as it was.
 */
export function weightedLoss(base: Loss, weights: readonly number[]): Loss {
  const perRow = (value: (y: Vec, t: Vec, rows: number, cols: number) => number) => (y: Vec, t: Vec, rows: number, cols: number) => {
    let s = 0;
    for (let r = 0; r < rows; r++) {
      const w = rowWeight(weights, t, r, cols);
      if (w !== 0) s += w * value(y.subarray(r * cols, (r + 1) * cols), t.subarray(r * cols, (r + 1) * cols), 1, cols);
    }
    return base.averaged ? s / rows : s;
  };
  const scaleRows = (g: Vec, t: Vec, rows: number, cols: number) => {
    for (let r = 0; r < rows; r++) {
      const w = rowWeight(weights, t, r, cols);
      for (let k = r * cols, end = k + cols; k < end; k++) g[k] *= w;
    }
  };
  const logits = base.valueFromLogits;
  return {
    ...base,
    value: perRow((y, t, rows, cols) => base.value(y, t, rows, cols)),
    grad(g, y, t, rows, cols) {
      base.grad(g, y, t, rows, cols);
      scaleRows(g, t, rows, cols);
    },
    fusedGrad(g, y, t, rows, cols) {
      base.fusedGrad(g, y, t, rows, cols);
      scaleRows(g, t, rows, cols);
    },
    ...(logits ? { valueFromLogits: perRow((z, t, rows, cols) => logits(z, t, rows, cols)) } : {}),
  };
}

/**
 * scikit-learn's 'balanced' class weights, n / (K · n_k), from one-hot (or one 0/1 column) targets:
 * every class then weighs as much in the loss as any other. A class without rows gets weight 1.
 */
export function balancedClassWeights(y: Vec, rows: number, cols: number): number[] {
  const K = Math.max(2, cols);
  const counts = new Array<number>(K).fill(0);
  for (let r = 0; r < rows; r++) {
    if (cols === 1) counts[y[r] >= 0.5 ? 1 : 0]++;
    else for (let k = 0; k < cols; k++) counts[k] += y[r * cols + k];
  }
  return counts.map((n) => (n > 0 ? rows / (K * n) : 1));
}
