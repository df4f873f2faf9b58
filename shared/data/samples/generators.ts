/**
 * The synthetic samples: the truth tables of the perceptron lessons, the 2-D point clouds of the
 * decision-boundary demos (after scikit-learn's make_circles / make_moons / make_blobs and
 * CS231n's spiral), and the curves of the curve-fitting demos. Every draw comes from the seeded
 * `Random`, so a sample is the same on every machine, every time.
 */
import { Random } from '../../nn/random.js';

/** Rows of numbers; the last entry of each row is the target. */
export interface GeneratedRows {
  columns: string[];
  rows: number[][];
}

/** The four rows of a two-input logic gate. */
export function logicGate(gate: (a: number, b: number) => number): GeneratedRows {
  const rows = [[0, 0], [0, 1], [1, 0], [1, 1]].map(([a, b]) => [a, b, gate(a, b)]);
  return { columns: ['x1', 'x2', 'y'], rows };
}

/**
 * Two concentric circles (radius 1 → class 0, radius `factor` → class 1) with Gaussian noise:
 * the simplest set a line cannot separate.
 */
export function circles(n = 400, noise = 0.08, factor = 0.5, seed = 1): GeneratedRows {
  const random = new Random(seed);
  const rows: number[][] = [];
  for (let i = 0; i < n; i++) {
    const label = i % 2;
    const angle = random.range(0, 2 * Math.PI);
    const radius = label === 0 ? 1 : factor;
    rows.push([radius * Math.cos(angle) + noise * random.normal(), radius * Math.sin(angle) + noise * random.normal(), label]);
  }
  return { columns: ['x1', 'x2', 'label'], rows };
}

/** Two interleaving half circles: (cos t, sin t) and (1 − cos t, 0.5 − sin t), t ∈ [0, π]. */
export function moons(n = 400, noise = 0.1, seed = 2): GeneratedRows {
  const random = new Random(seed);
  const rows: number[][] = [];
  for (let i = 0; i < n; i++) {
    const label = i % 2;
    const t = random.range(0, Math.PI);
    const x = label === 0 ? Math.cos(t) : 1 - Math.cos(t);
    const y = label === 0 ? Math.sin(t) : 0.5 - Math.sin(t);
    rows.push([x + noise * random.normal(), y + noise * random.normal(), label]);
  }
  return { columns: ['x1', 'x2', 'label'], rows };
}

/**
 * CS231n's spiral: K arms of N points; arm k has radius r = i/(N−1) and angle
 * θ = 4k + 4r + 0.2·noise, point (r sin θ, r cos θ).
 */
export function spiral(perClass = 100, classes = 3, seed = 3): GeneratedRows {
  const random = new Random(seed);
  const rows: number[][] = [];
  for (let k = 0; k < classes; k++) {
    for (let i = 0; i < perClass; i++) {
      const r = i / (perClass - 1);
      const theta = 4 * k + 4 * r + 0.2 * random.normal();
      rows.push([r * Math.sin(theta), r * Math.cos(theta), k]);
    }
  }
  return { columns: ['x1', 'x2', 'label'], rows };
}

/** Gaussian blobs around fixed centres, one class each. */
export function blobs(perClass = 100, std = 0.8, seed = 4): GeneratedRows {
  const centres = [[-2, -2], [2, -1], [0, 2.5]];
  const random = new Random(seed);
  const rows: number[][] = [];
  centres.forEach(([cx, cy], k) => {
    for (let i = 0; i < perClass; i++) rows.push([cx + std * random.normal(), cy + std * random.normal(), k]);
  });
  return { columns: ['x1', 'x2', 'label'], rows };
}

/** y = sin(x) + noise, x uniform in [−π, π]. */
export function sine(n = 200, noise = 0.05, seed = 5): GeneratedRows {
  const random = new Random(seed);
  const rows: number[][] = [];
  for (let i = 0; i < n; i++) {
    const x = random.range(-Math.PI, Math.PI);
    rows.push([x, Math.sin(x) + noise * random.normal()]);
  }
  return { columns: ['x', 'y'], rows };
}

/** y = x³ − 2x + 0.5 + noise, x uniform in [−2, 2]. */
export function polynomial(n = 200, noise = 0.25, seed = 6): GeneratedRows {
  const random = new Random(seed);
  const rows: number[][] = [];
  for (let i = 0; i < n; i++) {
    const x = random.range(-2, 2);
    rows.push([x, x ** 3 - 2 * x + 0.5 + noise * random.normal()]);
  }
  return { columns: ['x', 'y'], rows };
}
