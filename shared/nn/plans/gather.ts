/**
 * Gathering mini-batches in JavaScript: the rows the trainer chose, copied from the dataset into
 * buffers allocated once from the model's backend (a step allocates nothing).
 */
import type { Backend } from '../backend.js';
import type { Dataset } from '../dataset.js';
import type { Batch, BatchSource, Gatherer } from './plan.js';

/** Rows at least this wide are copied with TypedArray.set. */
export const WIDE_ROW = 64;

/** Buffers for one batch of up to `capacity` rows, and the row numbers it holds. */
export class BatchBuffers implements Batch {
  readonly x: Float32Array;
  readonly y: Float32Array;
  readonly index: Int32Array;
  rows = 0;
  constructor(backend: Backend, capacity: number, readonly inputs: number, readonly outputs: number) {
    this.x = backend.alloc(capacity * inputs);
    this.y = backend.alloc(capacity * outputs);
    this.index = new Int32Array(capacity);
  }
}

/** Copies rows index[0..rows) of data into b. */
export function copyRows(b: BatchBuffers, data: Dataset, rows: number): void {
  const { x, y } = data, C = b.inputs, K = b.outputs, xb = b.x, yb = b.y, index = b.index;
  for (let r = 0; r < rows; r++) {
    const src = index[r];
    // Wide rows go by memcpy (TypedArray.set, twice as fast on image rows, at the price of one
    // short-lived view object per row); narrow ones by a loop, which allocates nothing.
    if (C >= WIDE_ROW) xb.set(x.subarray(src * C, src * C + C), r * C);
    else for (let k = 0, s = src * C, d = r * C; k < C; k++) xb[d + k] = x[s + k];
    for (let k = 0, s = src * K, d = r * K; k < K; k++) yb[d + k] = y[s + k];
  }
  b.rows = rows;
}

/** The plain gatherer: each batch copied in JavaScript when the step asks for it. */
export class JsGatherer implements Gatherer {
  readonly description = { gather: 'javascript' };
  private readonly batch: BatchBuffers;
  constructor(backend: Backend, capacity: number, inputs: number, outputs: number) {
    this.batch = new BatchBuffers(backend, capacity, inputs, outputs);
  }

  next(source: BatchSource): Batch {
    copyRows(this.batch, source.data, source.take(this.batch.index));
    return this.batch;
  }
}
