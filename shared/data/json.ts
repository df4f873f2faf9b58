/**
 * JSON datasets, parsed: an array of objects (keys are columns, in order of first appearance; a
 * missing key is a missing value) or an array of arrays (a first row of labels over data is the
 * header, else columns are col1, col2, …). Rows are counted as items of the array (item 1 is the
 * first). Pure, so the worker (main/data/json.ts reads the file) and the renderer's previews share it.
 */
import { looksLikeHeader } from './delimited.js';
import { DatasetError } from './errors.js';
import { TableBuilder, type Table } from './table.js';

export interface JsonResult {
  table: Table;
  header: boolean;
}

/** JSON.parse with the error's position turned into a line and column a person can find. */
export function parseJson(text: string, display: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const message = (e as Error).message;
    const position = /position (\d+)/.exec(message);
    const lineColumn = /line (\d+) column (\d+)/.exec(message);
    let line: number | undefined;
    let column: number | undefined;
    if (lineColumn) [line, column] = [Number(lineColumn[1]), Number(lineColumn[2])];
    else if (position) {
      const before = text.slice(0, Number(position[1]));
      line = before.split('\n').length;
      column = Number(position[1]) - before.lastIndexOf('\n');
    }
    throw new DatasetError({
      code: 'bad-json', file: display, row: line, unit: 'line',
      expected: 'valid JSON (an array of objects or of arrays)',
      found: `a syntax error${column ? ` at character ${column}` : ''}: ${message.split('\n')[0].replace(/ in JSON at position.*$/, '')}`,
    });
  }
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** An array of objects or arrays → a table. */
export function jsonToTable(data: unknown, display: string, header?: boolean): JsonResult {
  if (!Array.isArray(data)) {
    throw new DatasetError({ code: 'bad-json', file: display, expected: 'an array of objects or an array of arrays at the top level', found: kindOf(data) });
  }
  if (data.length === 0) throw new DatasetError({ code: 'empty-file', file: display, expected: 'items in the array', found: 'an empty array' });
  return Array.isArray(data[0]) ? fromArrays(data, display, header) : fromObjects(data, display);
}

function fromObjects(items: unknown[], display: string): JsonResult {
  const names = new Map<string, number>();
  items.forEach((item, i) => {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) {
      throw new DatasetError({ code: 'bad-json', file: display, row: i + 1, unit: 'item', expected: 'an object like item 1', found: kindOf(item) });
    }
    for (const key of Object.keys(item)) if (!names.has(key)) names.set(key, names.size);
  });
  const columns = [...names.keys()];
  const builder = new TableBuilder(display, columns, items.length, { unit: 'item' });
  const cells = new Array<unknown>(columns.length);
  items.forEach((item, i) => {
    const record = item as Record<string, unknown>;
    for (let c = 0; c < columns.length; c++) cells[c] = record[columns[c]];
    builder.addRow(cells, i + 1);
  });
  if (builder.columnCount === 0) throw new DatasetError({ code: 'empty-file', file: display, expected: 'objects with fields', found: 'empty objects' });
  return { table: builder.finish(), header: true };
}

function fromArrays(items: unknown[], display: string, header?: boolean): JsonResult {
  items.forEach((item, i) => {
    if (!Array.isArray(item)) throw new DatasetError({ code: 'bad-json', file: display, row: i + 1, unit: 'item', expected: 'an array like item 1', found: kindOf(item) });
  });
  const rows = items as unknown[][];
  const asText = (row: unknown[]) => row.map((v) => (v === null || v === undefined ? '' : typeof v === 'string' ? v : String(v)));
  const isHeader = header ?? (rows[0].every((v) => typeof v === 'string') && looksLikeHeader(asText(rows[0]), rows.slice(1, 51).map(asText)));
  const width = rows[0].length;
  const names = isHeader ? asText(rows[0]) : rows[0].map((_, i) => `col${i + 1}`);
  const builder = new TableBuilder(display, names, rows.length, { unit: 'item' });
  for (let i = isHeader ? 1 : 0; i < rows.length; i++) {
    if (rows[i].length !== width) {
      throw new DatasetError({
        code: 'ragged-row', file: display, row: i + 1, unit: 'item',
        expected: `${width} values like item 1`, found: `${rows[i].length}`,
      });
    }
    builder.addRow(rows[i], i + 1);
  }
  if (builder.rowCount === 0) {
    throw new DatasetError({ code: 'header-only', file: display, row: 1, unit: 'item', expected: 'rows of data after the header (item 1)', found: 'the header only' });
  }
  return { table: builder.finish(), header: isHeader };
}
