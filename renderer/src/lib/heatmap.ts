/**
 * Values as colours, the way CNN Explainer draws every neuron: a plane of H×W values becomes RGBA
 * pixels. 'sequential' runs dark → bright over [min, max] (activations, images); 'diverging' runs
 * orange (negative) → white (0) → blue (positive), symmetric in the largest |v| (weights, gradients),
 * so zero is always white and the two signs compare at a glance.
 */
export type HeatmapScale = 'sequential' | 'diverging';

/** The range a plane is drawn over: [min, max], or ±max|v| for diverging. */
export function planeRange(values: ArrayLike<number>, start: number, count: number, scale: HeatmapScale): { lo: number; hi: number } {
  let lo = Infinity, hi = -Infinity;
  for (let i = start; i < start + count; i++) {
    lo = Math.min(lo, values[i]);
    hi = Math.max(hi, values[i]);
  }
  if (!Number.isFinite(lo)) return { lo: 0, hi: 1 };
  if (scale === 'diverging') {
    const m = Math.max(Math.abs(lo), Math.abs(hi)) || 1;
    return { lo: -m, hi: m };
  }
  return hi > lo ? { lo, hi } : { lo, hi: lo + 1 };
}

/** RGBA bytes of one value already placed in [0, 1] of its range. */
export function colourAt(u: number, scale: HeatmapScale): [number, number, number] {
  const v = Math.min(1, Math.max(0, u));
  if (scale === 'sequential') {
    // near-black → teal → pale yellow (a viridis-like ramp in three stops)
    return v < 0.5 ? mix([20, 20, 40], [33, 145, 140], v * 2) : mix([33, 145, 140], [250, 231, 140], (v - 0.5) * 2);
  }
  return v < 0.5 ? mix([230, 120, 30], [255, 255, 255], v * 2) : mix([255, 255, 255], [40, 100, 200], (v - 0.5) * 2);
}

function mix(a: number[], b: number[], t: number): [number, number, number] {
  return [Math.round(a[0] + (b[0] - a[0]) * t), Math.round(a[1] + (b[1] - a[1]) * t), Math.round(a[2] + (b[2] - a[2]) * t)];
}

/** RGBA pixels [h×w×4] of the plane values[start … start + h·w). */
export function planeToRgba(values: ArrayLike<number>, start: number, h: number, w: number, scale: HeatmapScale,
  range = planeRange(values, start, h * w, scale)): Uint8ClampedArray {
  const out = new Uint8ClampedArray(h * w * 4);
  const span = range.hi - range.lo || 1;
  for (let p = 0; p < h * w; p++) {
    const [r, g, b] = colourAt((values[start + p] - range.lo) / span, scale);
    out[p * 4] = r;
    out[p * 4 + 1] = g;
    out[p * 4 + 2] = b;
    out[p * 4 + 3] = 255;
  }
  return out;
}
