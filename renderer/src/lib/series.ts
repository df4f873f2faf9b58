/** A run's per-epoch history as chart series. */
import type { EpochPoint } from '../../../shared/runs/results.js';
import type { Point } from './decimate.js';

export interface EpochSeries {
  loss: Point[];
  valLoss: Point[];
  accuracy: Point[];
  /** Validation accuracy (classification) or R² (regression). */
  valMetric: Point[];
}

/** Series by epoch; missing values (no validation split, a regression's accuracy) are left out. */
export function epochSeries(history: readonly EpochPoint[]): EpochSeries {
  const out: EpochSeries = { loss: [], valLoss: [], accuracy: [], valMetric: [] };
  for (const p of history) {
    out.loss.push({ x: p.epoch, y: p.loss });
    if (p.valLoss !== null) out.valLoss.push({ x: p.epoch, y: p.valLoss });
    if (p.accuracy !== null) out.accuracy.push({ x: p.epoch, y: p.accuracy });
    if (p.valMetric !== null) out.valMetric.push({ x: p.epoch, y: p.valMetric });
  }
  return out;
}
