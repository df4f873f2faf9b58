/**
 * What the live plots compute with the shared engine in the renderer: the decision boundary of a
 * 2-input classifier (class and confidence on a grid over the raw feature space) and the fitted
 * curve of a 1-input regression. Raw grid values go through the run's fitted preprocessing
 * (`applyPreprocessing`), exactly as a typed row in the Predict form does.
 */
import { applyPreprocessing, type NumericFeature, type TableState } from '../../../shared/data/preprocess.js';
import { classOfRow } from '../../../shared/nn/metrics.js';
import type { Model } from '../../../shared/nn/model.js';
import type { Point } from './decimate.js';

export interface Range {
  min: number;
  max: number;
}

/** The numeric features of a table state, when the model reads exactly `count` of them and nothing else. */
export function numericFeatures(state: TableState, count: number): NumericFeature[] | null {
  if (state.inputSize !== count || state.features.length !== count) return null;
  return state.features.every((f) => f.kind === 'numeric') ? (state.features as NumericFeature[]) : null;
}

/**
 * The range to draw a feature over: the data's own with 8% margin when the values are known,
 * else what the fitted normalisation tells (z-score: mean ± 2.5 std; min-max: [min, max]).
 */
export function featureRange(feature: NumericFeature, normalize: TableState['normalize'], values?: ArrayLike<number> | null): Range {
  let min = Infinity, max = -Infinity;
  if (values) {
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  if (!(max > min)) {
    // offset and scale: x' = (x − offset)·scale, so x = offset + x'/scale.
    const spread = feature.scale > 0 ? 1 / feature.scale : 1;
    if (normalize === 'zscore') {
      min = feature.offset - 2.5 * spread;
      max = feature.offset + 2.5 * spread;
    } else if (normalize === 'minmax') {
      min = feature.offset;
      max = feature.offset + spread;
    } else {
      min = feature.fill - 1;
      max = feature.fill + 1;
    }
  }
  const pad = (max - min) * 0.08;
  return { min: min - pad, max: max + pad };
}

export interface BoundaryGrid {
  /** Cells per side. */
  size: number;
  /** Predicted class per cell, row-major, row 0 at the TOP (largest y). */
  classes: Uint8Array;
  /** Probability of the predicted class per cell. */
  confidence: Float32Array;
}

/** Class and confidence of `model` on a size×size grid over xRange × yRange (raw feature values). */
export function boundaryGrid(model: Model, state: TableState, x: Range, y: Range, size: number): BoundaryGrid {
  const [fx, fy] = state.features;
  const rows: Record<string, number>[] = [];
  for (let r = 0; r < size; r++) {
    const yv = y.max - ((r + 0.5) / size) * (y.max - y.min);
    for (let c = 0; c < size; c++) rows.push({ [fx.column]: x.min + ((c + 0.5) / size) * (x.max - x.min), [fy.column]: yv });
  }
  const out = model.predict(applyPreprocessing(state, rows), rows.length);
  const k = model.outputs;
  const classes = new Uint8Array(rows.length);
  const confidence = new Float32Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const cls = classOfRow(out, i * k, k);
    classes[i] = cls;
    confidence[i] = k === 1 ? (cls === 1 ? out[i] : 1 - out[i]) : out[i * k + cls];
  }
  return { size, classes, confidence };
}

/** The model's first output over `points` evenly spaced raw values of the single input feature. */
export function fittedCurve(model: Model, state: TableState, x: Range, points = 200): Point[] {
  const column = state.features[0].column;
  const rows = Array.from({ length: points }, (_, i) => ({ [column]: x.min + (i / (points - 1)) * (x.max - x.min) }));
  const out = model.predict(applyPreprocessing(state, rows), points);
  return rows.map((row, i) => ({ x: row[column], y: out[i * model.outputs] }));
}

/** Counts of values in `bins` equal bins over their range. */
export function histogram(values: ArrayLike<number>, bins: number): { edges: number[]; counts: number[] } {
  let min = Infinity, max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (!(max >= min)) return { edges: [], counts: [] };
  if (max === min) {
    min -= 0.5;
    max += 0.5;
  }
  const width = (max - min) / bins;
  const counts = new Array<number>(bins).fill(0);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    counts[Math.min(bins - 1, Math.floor((v - min) / width))]++;
  }
  return { edges: Array.from({ length: bins + 1 }, (_, i) => min + i * width), counts };
}

export interface DataPoint {
  x: number;
  y: number;
  /** Class index (classification) or -1. */
  cls: number;
  split: 'train' | 'validation' | 'test';
}

/**
 * The prepared rows as raw (x, y) points for plots: for a 2-feature classifier the two feature
 * values and the class; for a 1-feature regression the feature value and the target. Raw values
 * come from the loaded table (`columns` looks a column's values up by name).
 */
export function dataPoints(
  splits: Record<DataPoint['split'], { rows: Int32Array; y: Int32Array | Float32Array; count: number }>,
  features: readonly string[],
  columns: (name: string) => ArrayLike<number> | null,
  task: 'classification' | 'regression',
  limit = 5000,
): DataPoint[] {
  const fx = columns(features[0]);
  const fy = features.length > 1 ? columns(features[1]) : null;
  if (!fx || (features.length > 1 && !fy)) return [];
  const out: DataPoint[] = [];
  for (const split of ['train', 'validation', 'test'] as const) {
    const s = splits[split];
    for (let k = 0; k < s.count && out.length < limit; k++) {
      const row = s.rows[k];
      if (task === 'classification') out.push({ x: fx[row], y: fy![row], cls: s.y[k], split });
      else out.push({ x: fx[row], y: s.y[k], cls: -1, split });
    }
  }
  return out;
}
