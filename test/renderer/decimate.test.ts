import { describe, expect, it } from 'vitest';
import { decimateMinMax, finitePoints, type Point } from '../../renderer/src/lib/decimate.js';

describe('min–max decimation of a long loss curve', () => {
  const curve: Point[] = Array.from({ length: 10_000 }, (_, i) => ({ x: i, y: 1 / (1 + i) }));
  curve[6_789] = { x: 6_789, y: 5 }; // a spike a person must see

  it('keeps at most the requested number of points, the first and last, in order', () => {
    const out = decimateMinMax(curve, 400);
    expect(out.length).toBeLessThanOrEqual(400);
    expect(out[0]).toBe(curve[0]);
    expect(out[out.length - 1]).toBe(curve[curve.length - 1]);
    for (let i = 1; i < out.length; i++) expect(out[i].x).toBeGreaterThan(out[i - 1].x);
  });

  it('keeps the spike and the minimum', () => {
    const out = decimateMinMax(curve, 400);
    expect(out.some((p) => p.y === 5)).toBe(true);
    expect(Math.min(...out.map((p) => p.y))).toBe(Math.min(...curve.map((p) => p.y)));
  });

  it('returns short series unchanged and drops non-finite values on request', () => {
    const short = curve.slice(0, 10);
    expect(decimateMinMax(short, 400)).toBe(short);
    expect(finitePoints([{ x: 0, y: NaN }, { x: 1, y: 2 }, { x: 2, y: Infinity }])).toEqual([{ x: 1, y: 2 }]);
  });
});
