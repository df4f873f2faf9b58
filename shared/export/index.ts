/**
 * Exporting a trained run: pure generators from a run's network and fitted preprocessing to the
 * files of each format. Every export takes RAW data (see source.ts). main/export writes the files
 * and makes the predictions CSV (which needs the dataset read from disk).
 *
 *   onnx    model.onnx                          onnxruntime, any ONNX runtime (opset 13/19)
 *   tfjs    model.json + weights.bin            tf.loadLayersModel
 *           (+ model.predict.mjs for tables)    predict(tf, model, rows) on raw rows
 *   js      model.mjs                           import { predict } — no dependencies
 *   python  model.py (+ model.npz)              from model import predict — NumPy only
 *   json    model-spec.json                     spec, preprocessing, weights per layer
 *   csv     predictions.csv                     one line per row of a dataset
 */
import type { ExportFormat } from './formats.js';
import { toJsModule } from './js-module.js';
import { toJsonExport } from './json.js';
import { toOnnx } from './onnx.js';
import { toPython } from './python.js';
import type { ExportModel } from './source.js';
import { toTfjs } from './tfjs.js';
import { toTfjsRows } from './tfjs-rows.js';

export { ExportError, exportModelOf, pickRunToExport, type ExportModel, type ExportableRun } from './source.js';
export { predictionsCsv, type PredictionInputs } from './csv.js';
export { readJsonExport } from './json.js';

export { DEFAULT_FILE_NAMES, EXPORT_FORMAT_IDS, ExportFormat } from './formats.js';

/** A file to write, by name, into the export's folder. */
export interface ExportFile {
  name: string;
  data: Uint8Array | string;
}

export interface ExportFileOptions {
  /** The main file's name ('model.onnx', 'iris.py' …); companions are named after it. */
  fileName: string;
  producerVersion?: string;
  /** Python: weights inline in the module (default) or in an .npz beside it. */
  pythonWeights?: 'inline' | 'npz';
}

/** The stem of a file name: 'iris.model.json' → 'iris.model'. */
function stem(fileName: string): string {
  const dot = fileName.lastIndexOf('.');
  return dot > 0 ? fileName.slice(0, dot) : fileName;
}

/**
 * The files of a model export (every format but 'csv', which needs a dataset). TF.js's weights
 * file is `weights.bin` beside `model.json`, else `<stem>.weights.bin`, and a table model's raw-row
 * reader `<stem>.predict.mjs`; Python's archive is `<stem>.npz`.
 */
export function exportFiles(format: Exclude<ExportFormat, 'csv'>, m: ExportModel, options: ExportFileOptions): ExportFile[] {
  const { fileName, producerVersion } = options;
  switch (format) {
    case 'onnx':
      return [{ name: fileName, data: toOnnx(m, producerVersion) }];
    case 'tfjs': {
      const weightsName = stem(fileName) === 'model' ? 'weights.bin' : `${stem(fileName)}.weights.bin`;
      const { modelJson, weights } = toTfjs(m, weightsName, producerVersion);
      const files: ExportFile[] = [{ name: fileName, data: JSON.stringify(modelJson) }, { name: weightsName, data: weights }];
      if (m.preprocessing.kind === 'table') files.push({ name: `${stem(fileName)}.predict.mjs`, data: toTfjsRows(m, fileName, producerVersion) });
      return files;
    }
    case 'js':
      return [{ name: fileName, data: toJsModule(m, producerVersion) }];
    case 'python': {
      const npzName = `${stem(fileName)}.npz`;
      const { module, npz } = toPython(m, { weights: options.pythonWeights, npzName, producerVersion });
      return npz ? [{ name: fileName, data: module }, { name: npzName, data: npz }] : [{ name: fileName, data: module }];
    }
    case 'json':
      return [{ name: fileName, data: toJsonExport(m, producerVersion) }];
    default:
      throw new Error(`unknown export format ${JSON.stringify(format satisfies never)}`);
  }
}
