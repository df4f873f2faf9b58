/**
 * Predictions in the renderer with the shared engine: a run's spec and weights become a `Model`,
 * raw rows (as typed into the Predict form, or read from a file) go through the run's fitted
 * preprocessing, and the outputs become a class with probabilities in class order, or a value.
 */
import { applyImagePreprocessing, applyPreprocessing, type ImageState, type PreprocessingState, type TableState } from '../../../shared/data/preprocess.js';
import type { RgbaImage } from '../../../shared/data/images.js';
import { base64ToFloat32 } from '../../../shared/ipc/binary.js';
import { classOfRow } from '../../../shared/nn/metrics.js';
import { Model } from '../../../shared/nn/model.js';
import type { ModelSpec } from '../../../shared/nn/spec.js';

export interface RowPrediction {
  /** The class name, or the first output's value for regression. */
  prediction: string | number;
  /** Probabilities in class order (classification), or every output (regression). */
  outputs: number[];
  /** Index of the predicted class (classification). */
  classIndex?: number;
}

/** A model from a spec and base64 float32 weights (as runs report them). */
export function modelFromWeights(spec: ModelSpec, weights: string | Float32Array): Model {
  return Model.fromWeights(spec, typeof weights === 'string' ? base64ToFloat32(weights) : weights);
}

/** Reads the outputs of row i as a prediction. */
export function readPrediction(out: Float32Array, i: number, k: number, classes: readonly string[] | undefined): RowPrediction {
  if (!classes) return { prediction: out[i * k], outputs: Array.from(out.subarray(i * k, i * k + k)) };
  const cls = classOfRow(out, i * k, k);
  const outputs = k === 1 ? [1 - out[i], out[i]] : Array.from(out.subarray(i * k, i * k + k));
  return { prediction: classes[cls] ?? String(cls), outputs, classIndex: cls };
}

/** Class names of a state's target, or undefined for regression. */
export function classesOf(state: PreprocessingState): string[] | undefined {
  return state.target.task === 'classification' ? state.target.classes : undefined;
}

/** Predictions for raw table rows (objects keyed by column name). Throws a DatasetError on a bad cell. */
export function predictRows(model: Model, state: TableState, rows: readonly Record<string, unknown>[]): RowPrediction[] {
  const out = model.predict(applyPreprocessing(state, rows, 'form'), rows.length);
  return rows.map((_, i) => readPrediction(out, i, model.outputs, classesOf(state)));
}

/** A summary thumbnail (bytes, channels last) as the RGBA image decoders give. */
export function thumbnailToRgba(th: { width: number; height: number; channels: 1 | 3; pixels: readonly number[] }): RgbaImage {
  const n = th.width * th.height;
  const data = new Uint8Array(n * 4);
  for (let p = 0; p < n; p++) {
    for (let k = 0; k < 3; k++) data[p * 4 + k] = th.pixels[p * th.channels + (th.channels === 3 ? k : 0)];
    data[p * 4 + 3] = 255;
  }
  return { width: th.width, height: th.height, data };
}

/** The prediction for one drawn or dropped image. */
export function predictImage(model: Model, state: ImageState, image: RgbaImage): RowPrediction {
  const out = model.predict(applyImagePreprocessing(state, [image]), 1);
  return readPrediction(out, 0, model.outputs, classesOf(state));
}
