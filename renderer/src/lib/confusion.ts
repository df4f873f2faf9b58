/**
 * The rows behind a confusion-matrix cell: the test rows whose actual class is `actual` and whose
 * predicted class is `predicted`, found by predicting the local copy of the test split with the
 * run's weights (the same split the worker evaluated; see localdata.ts).
 */
import type { PreparedDataset } from '../../../shared/data/prepare.js';
import { classIndices } from '../../../shared/nn/metrics.js';
import type { Model } from '../../../shared/nn/model.js';

export interface CellRows {
  /** Indices into the loaded table (to show the raw rows). */
  rows: number[];
  /** The predicted class's probability for each of them. */
  confidence: number[];
}

/** Predicted class per test row, with its probability. */
export function predictTestSplit(model: Model, prepared: PreparedDataset): { predicted: Int32Array; confidence: Float32Array } {
  const split = prepared.test;
  const out = model.predict(split.x, split.count);
  const k = model.outputs;
  const predicted = classIndices(out, split.count, k);
  const confidence = new Float32Array(split.count);
  for (let i = 0; i < split.count; i++) {
    confidence[i] = k === 1 ? (predicted[i] === 1 ? out[i] : 1 - out[i]) : out[i * k + predicted[i]];
  }
  return { predicted, confidence };
}

/** The test rows of one cell (actual × predicted), at most `limit`. */
export function rowsOfCell(prepared: PreparedDataset, predicted: Int32Array, confidence: Float32Array, actual: number, predictedClass: number, limit = 200): CellRows {
  if (prepared.task !== 'classification') return { rows: [], confidence: [] };
  const split = prepared.test;
  const rows: number[] = [];
  const conf: number[] = [];
  for (let i = 0; i < split.count && rows.length < limit; i++) {
    if (split.y[i] === actual && predicted[i] === predictedClass) {
      rows.push(split.rows[i]);
      conf.push(confidence[i]);
    }
  }
  return { rows, confidence: conf };
}

/** Share of each cell in its row (recall view), for the heat map's colour. */
export function rowShares(confusion: readonly (readonly number[])[]): number[][] {
  return confusion.map((row) => {
    const total = row.reduce((s, v) => s + v, 0);
    return row.map((v) => (total > 0 ? v / total : 0));
  });
}
