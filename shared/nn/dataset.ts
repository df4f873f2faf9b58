/**
 * How data reaches the engine: x[rows × inputs] and y[rows × outputs], row-major Float32Arrays.
 * Targets are one-hot rows for multi-class outputs (see `oneHot`), 0/1 for a single sigmoid output,
 * and the values themselves for regression. The data layer (shared/data) turns files into this.
 */
import { DataError } from './errors.js';

export interface Dataset {
  x: Float32Array;
  y: Float32Array;
  rows: number;
}

/** One-hot rows [n × classes] from class indices in [0, classes). */
export function oneHot(labels: ArrayLike<number>, classes: number): Float32Array {
  const y = new Float32Array(labels.length * classes);
  for (let r = 0; r < labels.length; r++) {
    const c = labels[r];
    if (!Number.isInteger(c) || c < 0 || c >= classes) throw new DataError(`label of row ${r + 1} is ${c}, expected a class index from 0 to ${classes - 1}`);
    y[r * classes + c] = 1;
  }
  return y;
}

/** Throws DataError naming the first row and column holding NaN or ±Infinity. */
export function checkFinite(values: Float32Array, cols: number, what: string): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) {
      throw new DataError(`${what}: row ${Math.floor(i / cols) + 1}, column ${(i % cols) + 1} is ${values[i]}, expected a finite number`);
    }
  }
}

/** Throws DataError unless `data` holds rows × cols numbers. */
export function checkShape(data: ArrayLike<number>, rows: number, cols: number, what: string): void {
  if (!Number.isInteger(rows) || rows < 1) throw new DataError(`${what}: expected at least 1 row, got ${rows}`);
  if (data.length !== rows * cols) {
    throw new DataError(`${what} has ${data.length} values, expected rows × columns = ${rows} × ${cols} = ${rows * cols}`);
  }
}
