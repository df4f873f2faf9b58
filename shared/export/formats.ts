/**
 * The export formats, as data: the id the Export dialog, `export:run` and `nn-studio export --format`
 * take, the name and extensions the save dialog shows, the usual file name. Kept apart from the
 * generators so the IPC contract and the desktop dialogs can name them without pulling in every exporter.
 */
import { z } from 'zod';

export const EXPORT_FORMATS = [
  { id: 'onnx', name: 'ONNX model', extensions: ['onnx'], defaultName: 'model.onnx' },
  // The TF.js layers format is model.json plus weights.bin written beside it.
  { id: 'tfjs', name: 'TensorFlow.js model', extensions: ['json'], defaultName: 'model.json' },
  { id: 'js', name: 'JavaScript module', extensions: ['mjs', 'js'], defaultName: 'model.mjs' },
  { id: 'python', name: 'Python module (NumPy)', extensions: ['py'], defaultName: 'model.py' },
  { id: 'json', name: 'Model as JSON (spec and weights)', extensions: ['json'], defaultName: 'model-spec.json' },
  { id: 'csv', name: 'Predictions (CSV)', extensions: ['csv'], defaultName: 'predictions.csv' },
] as const;

export type ExportFormat = (typeof EXPORT_FORMATS)[number]['id'];
export const EXPORT_FORMAT_IDS = EXPORT_FORMATS.map((f) => f.id) as [ExportFormat, ...ExportFormat[]];
// Pure: a bundle that uses only the list above (the preload) leaves the schema, and zod, out.
export const ExportFormat = /* @__PURE__ */ z.enum(EXPORT_FORMAT_IDS);

/** The usual file name of each format. */
export const DEFAULT_FILE_NAMES = Object.fromEntries(EXPORT_FORMATS.map((f) => [f.id, f.defaultName])) as Record<ExportFormat, string>;
