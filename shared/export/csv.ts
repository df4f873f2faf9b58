/**
 * The predictions CSV: each row's inputs as the dataset had them, its actual target (under the
 * target column's own name) when the dataset has one, then `prediction` (the class name or the
 * value) and, for classification, `p_<class>` per class (RFC 4180 quoting).
 */
import type { RowPrediction } from '../runs/predict.js';
import type { ExportModel } from './source.js';

/** The rows' identifying columns: the raw inputs (tables) or the image's name (images), as text. */
export interface PredictionInputs {
  header: string[];
  rows: string[][];
  /** The actual target per row, when the dataset has it ('' where a row has none). */
  actual?: string[];
}

/** One CSV field, quoted when it holds a comma, a quote, a line break or surrounding spaces. */
export function csvField(text: string): string {
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The CSV text: header line, then one line per row. */
export function predictionsCsv(m: ExportModel, inputs: PredictionInputs, predictions: readonly RowPrediction[]): string {
  if (inputs.rows.length !== predictions.length) throw new Error(`${inputs.rows.length} input rows for ${predictions.length} predictions`);
  const target = m.preprocessing.target.column;
  const header = [
    ...inputs.header,
    ...(inputs.actual ? [target] : []),
    'prediction',
    ...(m.task === 'classification' ? (m.classes ?? []).map((c) => `p_${c}`) : m.outputs > 1 ? predictionsHeader(m.outputs) : []),
  ];
  const lines = [header.map(csvField).join(',')];
  predictions.forEach((p, r) => {
    const fields = [
      ...inputs.rows[r],
      ...(inputs.actual ? [inputs.actual[r]] : []),
      String(p.prediction),
      ...(m.task === 'classification' || m.outputs > 1 ? p.outputs.map(String) : []),
    ];
    lines.push(fields.map(csvField).join(','));
  });
  return lines.join('\n') + '\n';
}

function predictionsHeader(outputs: number): string[] {
  return Array.from({ length: outputs }, (_, k) => `output ${k + 1}`);
}
