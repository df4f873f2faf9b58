/**
 * The predictions CSV a person downloads from the Predict page: their file's rows with the
 * prediction (and each class's probability) appended. RFC 4180 quoting.
 */

/** One CSV field: quoted when it holds a comma, quote or line break. */
export function csvField(value: string | number | null): string {
  if (value === null) return '';
  const text = typeof value === 'number' ? String(value) : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * columns + prediction (+ p(class) per class) as CSV text. `outputs` holds rows × outputs values;
 * for one sigmoid output and two classes, p(first) = 1 − p(second).
 */
export function predictionsCsv(columns: readonly string[], rows: readonly (readonly string[])[], predictions: readonly (string | number)[], outputs: Float32Array, classes?: readonly string[]): string {
  const k = rows.length > 0 ? outputs.length / rows.length : 0;
  const probabilityColumns = classes ? classes.map((c) => `p(${c})`) : [];
  const lines = [[...columns, 'prediction', ...probabilityColumns].map(csvField).join(',')];
  rows.forEach((row, i) => {
    const probs = classes
      ? (k === 1 && classes.length === 2 ? [1 - outputs[i], outputs[i]] : Array.from(outputs.subarray(i * k, i * k + k)))
      : [];
    lines.push([...row, predictions[i], ...probs.map((p) => Number(p.toPrecision(6)))].map(csvField).join(','));
  });
  return lines.join('\n') + '\n';
}
