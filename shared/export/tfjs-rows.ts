/**
 * The TensorFlow.js export's companion for table models: an ES module that reads RAW rows the way
 * the studio does (the JavaScript module's own reader: numbers, spaces, the missing spellings,
 * unseen categories) into the inputs model.json takes — each numeric column filled where missing,
 * each categorical column one-hot — and runs the model on them with the caller's `tf`. The
 * normalisation stays in the model's Rescaling layers, so model.json keeps its documented inputs.
 *
 *   import * as tf from '@tensorflow/tfjs';
 *   import { predict } from './model.predict.mjs';
 *   const model = await tf.loadLayersModel(…model.json…);
 *   predict(tf, model, [{ size: ' 1200 ', colour: 'NA' }]) → [{ prediction, outputs }]
 */
import type { TableState } from '../data/preprocess.js';
import { CLASS_NAME, ROW_READER } from './js-module.js';
import type { ExportModel } from './source.js';

/** The module's source text (table models only). */
export function toTfjsRows(m: ExportModel, modelFile: string, producerVersion = '0'): string {
  const state = m.preprocessing;
  if (state.kind !== 'table') throw new Error('the row reader is for table models; image models take pixel values 0–255 as they are');
  // The reader's scaling is the identity: model.json's Rescaling layers apply the fitted offset and scale.
  const unscaled: TableState = { ...state, features: state.features.map((f) => (f.kind === 'numeric' ? { ...f, offset: 0, scale: 1 } : f)) };
  return `// ${m.name.replace(/[\r\n]+/g, ' ')}: raw rows for the TensorFlow.js model ${modelFile}, exported by NN Studio ${producerVersion}.
//
//   import * as tf from '@tensorflow/tfjs';
//   import { predict, toInputs } from './this-file.mjs';
//   const model = await tf.loadLayersModel(/* ${modelFile} */);
//   predict(tf, model, rows)  → [{ prediction: ${m.task === 'regression' ? '12.3' : "'class'"}, outputs: [ … ] }]
//   toInputs(rows)            → Float32Array [rows × ${state.inputSize}], what model.json takes
//
// Rows are objects keyed by column name, or arrays in COLUMNS order. Cells may be numbers or text as
// in the training file ('5.1', ' red '); '', NA, N/A, NaN, null, ? (any case) and absent keys are
// missing values, filled as in training. A category never seen in training gets no one-hot input.

export const TASK = ${JSON.stringify(m.task)};
export const CLASSES = ${JSON.stringify(m.classes)};
export const COLUMNS = ${JSON.stringify(state.columns)};
export const FEATURE_NAMES = ${JSON.stringify(state.featureNames)};
/** Two classes: the second is predicted when its probability is ≥ THRESHOLD (null: the more probable class). */
export const THRESHOLD = ${JSON.stringify(m.threshold)};
const PREPROCESSING = ${JSON.stringify(unscaled)};

${ROW_READER}
/** The model's input rows for raw rows. */
export function toInputs(rows) {
  return encode(rows);
}

/** Per row: { prediction: the class name (or the value), outputs: the probabilities (or values) }. */
export function predict(tf, model, rows) {
  const input = tf.tensor2d(encode(rows), [rows.length, PREPROCESSING.inputSize]);
  const output = model.predict(input);
  const values = output.arraySync();
  tf.dispose([input, output]);
  return values.map((outputs) => (TASK === 'regression' ? { prediction: outputs[0], outputs } : { prediction: className(outputs), outputs }));
}

${CLASS_NAME}`;
}
