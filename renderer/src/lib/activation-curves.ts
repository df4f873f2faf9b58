/**
 * Points of an activation function and its derivative, for the small plots beside each layer's
 * activation choice and the Inspect page's gallery. Uses the engine's own definitions
 * (shared/nn/activations.ts). Softmax is not element-wise: it is drawn as the first output of
 * softmax([x, 0]) (which equals σ(x)), with derivative y(1 − y). The step function's derivative
 * is 0 wherever it exists, which is exactly why backpropagation cannot train it.
 */
import { activation, type ActivationName } from '../../../shared/nn/activations.js';
import type { Point } from './decimate.js';

export interface ActivationCurve {
  f: Point[];
  df: Point[];
}

export function activationCurve(name: ActivationName, from = -4, to = 4, n = 81): ActivationCurve {
  const act = activation(name);
  const f: Point[] = [];
  const df: Point[] = [];
  for (let i = 0; i < n; i++) {
    const x = from + (i / (n - 1)) * (to - from);
    if (name === 'softmax') {
      const out = new Float64Array(2);
      act.forward(out, Float64Array.of(x, 0), 1, 2);
      f.push({ x, y: out[0] });
      df.push({ x, y: out[0] * (1 - out[0]) });
    } else if (name === 'step') {
      f.push({ x, y: act.f(x) });
      df.push({ x, y: 0 });
    } else {
      const y = act.f(x);
      f.push({ x, y });
      df.push({ x, y: act.df(x, y) });
    }
  }
  return { f, df };
}

/** An SVG path ("M x y L …") of points scaled into a width × height box over the given ranges. */
export function svgPath(points: readonly Point[], box: { width: number; height: number; x: [number, number]; y: [number, number] }): string {
  const sx = (x: number) => ((x - box.x[0]) / (box.x[1] - box.x[0])) * box.width;
  const sy = (y: number) => box.height - ((Math.min(box.y[1], Math.max(box.y[0], y)) - box.y[0]) / (box.y[1] - box.y[0])) * box.height;
  return points.map((p, i) => `${i ? 'L' : 'M'}${sx(p.x).toFixed(1)} ${sy(p.y).toFixed(1)}`).join(' ');
}
