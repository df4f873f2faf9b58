import { describe, expect, it } from 'vitest';
import { activationCurve, svgPath } from '../../renderer/src/lib/activation-curves.js';

describe('activation plots', () => {
  it('draw the engine’s function and derivative: σ′ = σ(1 − σ)', () => {
    const { f, df } = activationCurve('sigmoid', -2, 2, 5);
    expect(f[2]).toEqual({ x: 0, y: 0.5 });
    f.forEach((p, i) => expect(df[i].y).toBeCloseTo(p.y * (1 - p.y), 12));
  });

  it('draw softmax as its first output over [x, 0], which is σ(x)', () => {
    const soft = activationCurve('softmax', -3, 3, 7);
    const sig = activationCurve('sigmoid', -3, 3, 7);
    soft.f.forEach((p, i) => expect(p.y).toBeCloseTo(sig.f[i].y, 12));
  });

  it('show the step function’s derivative as 0 everywhere', () => {
    const { f, df } = activationCurve('step', -1, 1, 3);
    expect(f.map((p) => p.y)).toEqual([0, 0, 1]);
    expect(df.every((p) => p.y === 0)).toBe(true);
  });

  it('scale points into an SVG path', () => {
    expect(svgPath([{ x: 0, y: 0 }, { x: 1, y: 1 }], { width: 10, height: 10, x: [0, 1], y: [0, 1] })).toBe('M0.0 10.0 L10.0 0.0');
  });
});
