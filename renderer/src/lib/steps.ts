/**
 * One training step as the tutorials teach it, cut into the pieces the Inspect page shows one at
 * a time: per layer forward (Z = X·W + b, then A = f(Z)), the loss, per layer backward from the
 * output (δ, then ∂L/∂W = Xᵀ·δ and ∂L/∂b = Σ δ), and the update by the optimizer the run uses (SGD,
 * momentum's velocity, RMSprop's average, Adam's moments and bias correction). The numbers are the
 * engine's own (`captureStep`, and `createOptimizer` for the update); this module only orders them.
 */
import type { Matrix, StepCapture } from '../../../shared/nn/inspect.js';
import { createOptimizer } from '../../../shared/nn/optimizers.js';
import { jsBackend } from '../../../shared/nn/backend-js.js';
import type { OptimizerSpec } from '../../../shared/nn/spec.js';
import { formatNumber } from './format.js';

export interface NamedMatrix {
  /** Symbol shown above the matrix: "X", "W₁", "Z₁", … */
  name: string;
  matrix: Matrix;
}

export interface Step {
  phase: 'forward' | 'activation' | 'loss' | 'delta' | 'gradient' | 'update';
  /** 1-based layer, 0 for the loss. */
  layer: number;
  /** The formula of this piece, with layer subscripts. */
  formula: string;
  matrices: NamedMatrix[];
  /** The loss value (loss step only). */
  value?: number;
}

const SUB = ['₀', '₁', '₂', '₃', '₄', '₅', '₆', '₇', '₈', '₉'];
/** A layer number as subscript digits: 12 → "₁₂". */
export function subscript(n: number): string {
  return String(n).split('').map((d) => SUB[Number(d)]).join('');
}

const row = (values: number[]): Matrix => ({ rows: 1, cols: values.length, data: [values] });

/** The optimizer's settings as the engine fills them in (the defaults of `createOptimizer`). */
export type UpdateRule = Pick<OptimizerSpec, 'name' | 'lr'> & Partial<OptimizerSpec>;

/** The ordered pieces of a captured step; `optimizer` is the rule of the update shown last. */
export function stepsOf(capture: StepCapture, optimizer: UpdateRule): Step[] {
  const steps: Step[] = [];
  capture.layers.forEach((l, i) => {
    const n = subscript(i + 1);
    const input = i === 0 ? 'X' : `A${subscript(i)}`;
    steps.push({
      phase: 'forward', layer: i + 1, formula: `Z${n} = ${input}·W${n}${l.bias ? ` + b${n}` : ''}`,
      matrices: [
        { name: input, matrix: l.input },
        { name: `W${n}`, matrix: l.weights },
        ...(l.bias ? [{ name: `b${n}`, matrix: row(l.bias) }] : []),
        { name: `Z${n}`, matrix: l.preActivation },
      ],
    });
    steps.push({
      phase: 'activation', layer: i + 1, formula: `A${n} = ${l.activation}(Z${n})`,
      matrices: [{ name: `Z${n}`, matrix: l.preActivation }, { name: `A${n}`, matrix: l.postActivation }],
    });
  });
  steps.push({
    phase: 'loss', layer: 0, formula: `L = loss(Y, T)${capture.penalty ? ' + penalty' : ''}`, value: capture.loss,
    matrices: [{ name: 'Y', matrix: capture.output }, { name: 'T', matrix: capture.target }],
  });
  for (let i = capture.layers.length - 1; i >= 0; i--) {
    const l = capture.layers[i];
    const n = subscript(i + 1);
    const last = i === capture.layers.length - 1;
    steps.push({
      phase: 'delta', layer: i + 1,
      formula: last ? `δ${n} = ∂L/∂Z${n}` : `δ${n} = (δ${subscript(i + 2)}·W${subscript(i + 2)}ᵀ) ⊙ f′(Z${n})`,
      matrices: [{ name: `δ${n}`, matrix: l.delta }],
    });
    steps.push({
      phase: 'gradient', layer: i + 1, formula: `∂L/∂W${n} = ${i === 0 ? 'X' : `A${subscript(i)}`}ᵀ·δ${n}${l.gradBias ? `,  ∂L/∂b${n} = Σ δ${n}` : ''}`,
      matrices: [
        { name: `∂W${n}`, matrix: l.gradWeights },
        ...(l.gradBias ? [{ name: `∂b${n}`, matrix: row(l.gradBias) }] : []),
      ],
    });
  }
  capture.layers.forEach((l, i) => steps.push(updateStep(l.weights, l.gradWeights, i + 1, optimizer)));
  return steps;
}

const flat = (m: Matrix) => Float32Array.from(m.data.flat());
const shaped = (like: Matrix, values: ArrayLike<number>): Matrix => ({
  rows: like.rows, cols: like.cols,
  data: like.data.map((r, a) => r.map((_, b) => values[a * like.cols + b])),
});

/**
 * One layer's weight update, done by the engine's optimizer on a copy of the weights. It is the
 * first step of a fresh optimizer (t = 1, moments from zero): the run's own moments are not kept.
 */
function updateStep(weights: Matrix, grad: Matrix, layer: number, spec: UpdateRule): Step {
  const n = subscript(layer);
  const w = flat(weights);
  const opt = createOptimizer({ ...spec }, w.length, jsBackend);
  opt.update(w, flat(grad), spec.lr);
  const [first, second] = opt.moments;
  const W = `W${n}`, g = `∂L/∂W${n}`;
  const f = (x: number) => formatNumber(x);
  const eta = `η = ${f(spec.lr)}`;
  const after = { name: `${W}′`, matrix: shaped(weights, w) };
  const before = { name: W, matrix: weights };
  const step = (formula: string, moments: NamedMatrix[]): Step => ({ phase: 'update', layer, formula, matrices: [before, ...moments, after] });
  switch (spec.name) {
    case 'sgd':
      return step(`${W} ← ${W} − η·${g}   (${eta})`, []);
    case 'momentum':
    case 'nesterov': {
      const mu = `μ = ${f(spec.momentum ?? 0.9)}`;
      const rule = spec.name === 'momentum' ? `${W} ← ${W} + v${n}` : `${W} ← ${W} + μ·v${n} − η·${g}`;
      return step(`v${n} ← μ·v${n} − η·${g};  ${rule}   (${mu}, ${eta}, v${n} from 0)`, [{ name: `v${n}`, matrix: shaped(weights, first) }]);
    }
    case 'rmsprop':
      return step(`h${n} ← ρ·h${n} + (1−ρ)·(${g})²;  ${W} ← ${W} − η·${g} / (√h${n} + ε)   (ρ = ${f(spec.rho ?? 0.9)}, ε = ${f(spec.eps ?? 1e-8)}, ${eta}, h${n} from 0)`,
        [{ name: `h${n}`, matrix: shaped(weights, first) }]);
    case 'adam':
    case 'adamw': {
      const b1 = spec.beta1 ?? 0.9, b2 = spec.beta2 ?? 0.999, t = opt.steps;
      const decay = spec.name === 'adamw' ? `${W} ← ${W} − η·λ·${W} (λ = ${f(spec.weightDecay ?? 0.01)}), then ` : '';
      const mHat = Array.from(first, (m) => m / (1 - b1 ** t));
      const vHat = Array.from(second, (v) => v / (1 - b2 ** t));
      return step(
        `${decay}m${n} ← β₁·m${n} + (1−β₁)·${g};  v${n} ← β₂·v${n} + (1−β₂)·(${g})²;  m̂ = m${n}/(1−β₁ᵗ), v̂ = v${n}/(1−β₂ᵗ);  ${W} ← ${W} − η·m̂/(√v̂ + ε)   (t = ${t}, β₁ = ${f(b1)}, β₂ = ${f(b2)}, ε = ${f(spec.eps ?? 1e-8)}, ${eta})`,
        [
          { name: `m${n}`, matrix: shaped(weights, first) },
          { name: `v${n}`, matrix: shaped(weights, second) },
          { name: `m̂${n}`, matrix: shaped(weights, mHat) },
          { name: `v̂${n}`, matrix: shaped(weights, vHat) },
        ],
      );
    }
    default:
      throw new Error(`unknown optimizer ${String(spec.name satisfies never)}`);
  }
}
