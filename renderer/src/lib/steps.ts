/**
 * One training step as the tutorials teach it, cut into the pieces the Inspect page shows one at
 * a time: per layer forward (Z = X·W + b, then A = f(Z)), the loss, per layer backward from the
 * output (δ, then ∂L/∂W = Xᵀ·δ and ∂L/∂b = Σ δ), and the update W ← W − η·∂L/∂W. The numbers are the
 * engine's own (`captureStep`); this module only orders them.
 */
import type { Matrix, StepCapture } from '../../../shared/nn/inspect.js';

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

/** The ordered pieces of a captured step; `learningRate` gives the plain-SGD update shown last. */
export function stepsOf(capture: StepCapture, learningRate: number): Step[] {
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
  capture.layers.forEach((l, i) => {
    const n = subscript(i + 1);
    const updated: Matrix = {
      rows: l.weights.rows, cols: l.weights.cols,
      data: l.weights.data.map((r, a) => r.map((w, b) => w - learningRate * l.gradWeights.data[a][b])),
    };
    steps.push({
      phase: 'update', layer: i + 1, formula: `W${n} ← W${n} − η·∂L/∂W${n}   (η = ${learningRate})`,
      matrices: [{ name: `W${n}`, matrix: l.weights }, { name: `W${n}′`, matrix: updated }],
    });
  });
  return steps;
}
