/**
 * Reads a JSON dataset: an array of objects (keys are columns, in order of first appearance; a
 * missing key is a missing value) or an array of arrays (a first row of labels over data is the
 * header, else columns are col1, col2, …). Rows are counted as items of the array (item 1 is
 * the first). JSON is parsed whole, so its memory budget is stricter than delimited text's.
 */
import { readFile } from 'node:fs/promises';
import { jsonToTable, parseJson, type JsonResult } from '../../shared/data/json.js';

export type { JsonResult };

/** Reads and parses a JSON dataset file. */
export async function loadJson(path: string, display: string, header?: boolean): Promise<JsonResult> {
  let text = await readFile(path, 'utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return jsonToTable(parseJson(text, display), display, header);
}
