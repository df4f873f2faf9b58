/**
 * Saving and loading a model: the plain-JSON spec plus its weights as one Float32Array, or as
 * little-endian bytes for files (a project's `weights.bin`). load(save(m)) predicts identically:
 * the floats are copied bit for bit.
 */
import type { Backend } from './backend.js';
import { DataError } from './errors.js';
import { Model } from './model.js';
import type { ModelSpec } from './spec.js';

export const MODEL_FORMAT = 'nn-studio-model';
export const MODEL_FORMAT_VERSION = 1;

/** A saved model: `spec` is JSON-safe; `weights` is a copy of its parameters then its state (layout.ts). */
export interface SavedModel {
  format: typeof MODEL_FORMAT;
  version: typeof MODEL_FORMAT_VERSION;
  spec: ModelSpec;
  weights: Float32Array;
}

/** A snapshot of `model` (spec and a copy of its weights). */
export function saveModel(model: Model): SavedModel {
  return { format: MODEL_FORMAT, version: MODEL_FORMAT_VERSION, spec: structuredClone(model.spec), weights: model.savedWeights() };
}

/** A model from a snapshot; refuses a foreign format, a newer version, a bad spec or a wrong weight count. */
export function loadModel(saved: { format?: unknown; version?: unknown; spec: unknown; weights: ArrayLike<number> }, options: { backend?: Backend } = {}): Model {
  if (saved.format !== MODEL_FORMAT) throw new DataError(`not an NN Studio model (format is ${JSON.stringify(saved.format)}, expected '${MODEL_FORMAT}')`);
  if (saved.version !== MODEL_FORMAT_VERSION) {
    throw new DataError(`model format version ${String(saved.version)} is not supported (this studio reads version ${MODEL_FORMAT_VERSION}); update NN Studio`);
  }
  return Model.fromWeights(saved.spec, saved.weights, options);
}

/** The weights as little-endian float32 bytes (4 per weight), whatever the platform's byte order. */
export function encodeWeights(weights: Float32Array): Uint8Array {
  const bytes = new Uint8Array(weights.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < weights.length; i++) view.setFloat32(i * 4, weights[i], true);
  return bytes;
}

/** Weights from little-endian float32 bytes; `expected` (the model's parameter count) is checked when given. */
export function decodeWeights(bytes: Uint8Array, expected?: number): Float32Array {
  if (bytes.length % 4 !== 0) throw new DataError(`weights file has ${bytes.length} bytes, not a whole number of float32 values (4 bytes each)`);
  const n = bytes.length / 4;
  if (expected !== undefined && n !== expected) throw new DataError(`weights file holds ${n} weights, expected ${expected}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const weights = new Float32Array(n);
  for (let i = 0; i < n; i++) weights[i] = view.getFloat32(i * 4, true);
  return weights;
}
