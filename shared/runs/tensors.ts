/**
 * From prepared splits (class indices or target values) to the engine's x/y matrices: one-hot
 * rows for a softmax output, a 0/1 column for a single sigmoid unit, the values for regression.
 */
import { oneHot, type Dataset } from '../nn/dataset.js';

/** The engine's view of one split, for a network with `outputs` output units. */
export function engineDataset(split: { x: Float32Array; y: Int32Array | Float32Array; count: number }, task: 'classification' | 'regression', outputs: number): Dataset {
  if (task === 'regression' || outputs === 1) {
    return { x: split.x, y: split.y instanceof Float32Array ? split.y : Float32Array.from(split.y), rows: split.count };
  }
  return { x: split.x, y: oneHot(split.y, outputs), rows: split.count };
}
