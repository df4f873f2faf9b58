/**
 * JSON export: the model spec, the fitted preprocessing and the weights layer by layer as plain
 * numbers (each the shortest decimal that reads back as the same float32), for any language to
 * read. `readJsonExport` turns the file back into a spec and the engine's flat weights.
 */
import { z } from 'zod';
import { PreprocessingState } from '../data/preprocess.js';
import { formatFloat32 } from '../data/values.js';
import { paramLayout } from '../nn/model.js';
import { ModelSpecSchema, parseModelSpec, type ModelSpec } from '../nn/spec.js';
import { describeSchemaError } from '../ipc/schema-error.js';
import { ExportError, type ExportModel } from './source.js';

export const JSON_EXPORT_FORMAT = 'nn-studio-model-json';
export const JSON_EXPORT_VERSION = 1;

const JsonLayer = z.object({
  inputs: z.number().int().min(1),
  units: z.number().int().min(1),
  activation: z.string(),
  /** [inputs][units]: W[i][j] connects input i to unit j (z = x·W + b). */
  W: z.array(z.array(z.number())),
  b: z.array(z.number()).nullable(),
});

export const JsonExport = z.object({
  format: z.literal(JSON_EXPORT_FORMAT),
  version: z.literal(JSON_EXPORT_VERSION),
  producer: z.string(),
  name: z.string(),
  task: z.enum(['classification', 'regression']),
  classes: z.array(z.string()).nullable(),
  /** Two classes: the second is predicted when its probability is ≥ this; absent or null: the more probable class. */
  threshold: z.number().min(0).max(1).nullable().optional(),
  spec: ModelSpecSchema,
  preprocessing: PreprocessingState,
  layers: z.array(JsonLayer),
});
export type JsonExport = z.infer<typeof JsonExport>;

/** The shortest decimal for a float32, as a JSON number. */
function shortest(v: number): number {
  return Number(formatFloat32(v));
}

/** The JSON text of a model. */
export function toJsonExport(m: ExportModel, producerVersion = '0'): string {
  if (m.net) {
    throw new ExportError('the JSON export holds dense networks only (layers of W and b); export this convolutional network as ONNX, TensorFlow.js, Python or JavaScript');
  }
  const doc: JsonExport = {
    format: JSON_EXPORT_FORMAT,
    version: JSON_EXPORT_VERSION,
    producer: `NN Studio ${producerVersion}`,
    name: m.name,
    task: m.task,
    classes: m.classes,
    threshold: m.threshold,
    spec: m.spec,
    preprocessing: m.preprocessing,
    layers: m.layers.map((l) => ({
      inputs: l.inputs,
      units: l.units,
      activation: l.activation,
      W: Array.from({ length: l.inputs }, (_, i) => Array.from(l.W.subarray(i * l.units, (i + 1) * l.units), shortest)),
      b: l.b ? Array.from(l.b, shortest) : null,
    })),
  };
  return JSON.stringify(doc);
}

/** A JSON export read back: its spec, preprocessing and the weights in the engine's flat layout. */
export function readJsonExport(text: string): { spec: ModelSpec; preprocessing: PreprocessingState; weights: Float32Array } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new ExportError(`not JSON: ${(e as Error).message}`);
  }
  const parsed = JsonExport.safeParse(value);
  if (!parsed.success) throw new ExportError(`not an NN Studio model export: ${describeSchemaError(parsed.error)}`);
  const doc = parsed.data;
  const spec = parseModelSpec(doc.spec);
  const { layers, count } = paramLayout(spec);
  if (layers.length !== doc.layers.length) throw new ExportError(`the spec has ${layers.length} layers but the file holds ${doc.layers.length}`);
  const weights = new Float32Array(count);
  layers.forEach((layout, k) => {
    const layer = doc.layers[k];
    if (layer.W.length !== layout.inputs || layer.W.some((row) => row.length !== layout.units)) {
      throw new ExportError(`layer ${k + 1}: W should be ${layout.inputs} rows of ${layout.units} numbers`);
    }
    layer.W.forEach((row, i) => weights.set(row, layout.wOffset + i * layout.units));
    if ((layout.bOffset >= 0) !== (layer.b !== null) || (layer.b && layer.b.length !== layout.units)) {
      throw new ExportError(`layer ${k + 1}: b should be ${layout.bOffset >= 0 ? `${layout.units} numbers` : 'null'}`);
    }
    if (layer.b) weights.set(layer.b, layout.bOffset);
  });
  return { spec, preprocessing: doc.preprocessing, weights };
}
