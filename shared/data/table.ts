/**
 * A loaded table, stored column by column in typed arrays so its memory is close to
 * rows × columns × 4 bytes whatever the file's size in text: a cell is a float32 number, and a
 * column that holds text also keeps one int32 dictionary code per row.
 *
 * Every format feeds rows into a `TableBuilder` one at a time (the CSV reader straight from the
 * parser's chunks, so the file's text and its row objects are never held whole), and the
 * builder's `finish()` gives the `Table` that schema inference, the summary and preprocessing read.
 */
import { DatasetError, quote, type RowUnit } from './errors.js';
import { formatFloat32, isMissingToken, parseNumber } from './values.js';

/** Dictionary code of a row whose cell is a number or missing (not text). */
export const NOT_TEXT = -1;
/** Dictionary code of a text cell whose value was not kept (the column has too many distinct texts). */
export const TEXT_NOT_KEPT = -2;
/** Distinct texts a column keeps; past this it is free text (names, comments), never a category. */
export const MAX_DICTIONARY = 10_000;
/** Rows kept as written, for the summary's "first rows". */
export const FIRST_ROWS_KEPT = 10;

export interface Column {
  name: string;
  /** The number in each row, NaN where the cell is missing or text. */
  values: Float32Array;
  /** Per row: index into `dictionary` for text cells, NOT_TEXT otherwise; null when no cell is text. */
  codes: Int32Array | null;
  /** The distinct texts, in order of first appearance. */
  dictionary: string[];
  /** Rows per dictionary entry. */
  dictionaryCounts: number[];
  /** True when the column had more than MAX_DICTIONARY distinct texts (the rest are TEXT_NOT_KEPT). */
  dictionaryFull: boolean;
  /** Cells that were empty, NA, NaN, null or ?. */
  missing: number;
  /** Cells that were text (neither a number nor missing). */
  textCells: number;
}

export interface Table {
  /** The file (or sample) the rows came from, as messages name it. */
  file: string;
  /** What `lines` counts: lines of a text file, items of a JSON array. */
  unit: RowUnit;
  rowCount: number;
  columns: Column[];
  /** Per row, the 1-based line (or item) it came from, for messages. */
  lines: Int32Array;
  /** The first rows as written in the file, for the summary. */
  firstRows: string[][];
}

/** A cell as the pipeline sees it: a number, a text label, or missing (null). */
export type Cell = number | string | null;

/** The value in row i: its number, its text, or null when missing (or text not kept). */
export function cellAt(column: Column, i: number): Cell {
  const v = column.values[i];
  if (v === v) return v; // not NaN
  const code = column.codes ? column.codes[i] : NOT_TEXT;
  return code >= 0 ? column.dictionary[code] : null;
}

/** True when row i of the column holds text. */
export function isTextCell(column: Column, i: number): boolean {
  return column.codes !== null && column.codes[i] !== NOT_TEXT;
}

/** The cell as a category label: numbers keep their shortest float32 spelling. */
export function cellLabel(cell: Cell): string | null {
  return typeof cell === 'number' ? formatFloat32(cell) : cell;
}

interface ColumnBuilder extends Column {
  index: Map<string, number>;
}

/**
 * Collects rows into typed columns. Capacity grows by half when exceeded; give a good
 * `capacity` estimate (rows expected) to avoid copies.
 */
export class TableBuilder {
  private readonly cols: ColumnBuilder[];
  private lines: Int32Array;
  private capacity: number;
  private count = 0;
  private readonly firstRows: string[][] = [];

  constructor(
    readonly file: string,
    names: readonly string[],
    capacity = 1024,
    private readonly options: { unit?: RowUnit; decimalComma?: boolean } = {},
  ) {
    this.capacity = Math.max(16, Math.ceil(capacity));
    this.lines = new Int32Array(this.capacity);
    this.cols = uniqueNames(names).map((name) => ({
      name,
      values: new Float32Array(this.capacity),
      codes: null,
      dictionary: [],
      dictionaryCounts: [],
      dictionaryFull: false,
      index: new Map(),
      missing: 0,
      textCells: 0,
    }));
  }

  get rowCount(): number {
    return this.count;
  }

  get columnCount(): number {
    return this.cols.length;
  }

  get columnNames(): string[] {
    return this.cols.map((c) => c.name);
  }

  /** Appends one row; `cells` must have one entry per column. `line` is where it came from (1-based). */
  addRow(cells: ArrayLike<unknown>, line: number): void {
    if (this.count === this.capacity) this.grow();
    const i = this.count;
    const cols = this.cols;
    for (let c = 0; c < cols.length; c++) this.addCell(cols[c], i, cells[c], line);
    this.lines[i] = line;
    if (this.firstRows.length < FIRST_ROWS_KEPT) this.firstRows.push(Array.from(cells as ArrayLike<unknown>, displayText));
    this.count++;
  }

  private addCell(col: ColumnBuilder, i: number, cell: unknown, line: number): void {
    if (typeof cell === 'string') {
      const v = parseNumber(cell, this.options.decimalComma);
      if (v === v) {
        col.values[i] = v;
      } else {
        col.values[i] = NaN;
        if (isMissingToken(cell)) col.missing++;
        else this.addText(col, i, cell.trim());
      }
    } else if (typeof cell === 'number') {
      col.values[i] = Number.isFinite(cell) ? cell : NaN;
      if (!Number.isFinite(cell)) col.missing++;
    } else if (cell === null || cell === undefined) {
      col.values[i] = NaN;
      col.missing++;
    } else if (typeof cell === 'boolean') {
      col.values[i] = NaN;
      this.addText(col, i, String(cell));
    } else {
      throw new DatasetError({
        code: 'bad-value', file: this.file, row: line, unit: this.options.unit ?? 'line', column: col.name,
        expected: 'a number, a text or null', found: quote(JSON.stringify(cell) ?? String(cell)),
      });
    }
  }

  private addText(col: ColumnBuilder, i: number, text: string): void {
    if (col.codes === null) col.codes = new Int32Array(this.capacity).fill(NOT_TEXT, 0);
    col.textCells++;
    let code = col.index.get(text);
    if (code === undefined) {
      if (col.dictionary.length >= MAX_DICTIONARY) {
        col.dictionaryFull = true;
        col.codes[i] = TEXT_NOT_KEPT;
        return;
      }
      code = col.dictionary.length;
      col.dictionary.push(ownCopy(text));
      col.dictionaryCounts.push(0);
      col.index.set(text, code);
    }
    col.dictionaryCounts[code]++;
    col.codes[i] = code;
  }

  private grow(): void {
    const next = Math.ceil(this.capacity * 1.5) + 16;
    this.lines = resize(this.lines, next, 0);
    for (const col of this.cols) {
      col.values = resize(col.values, next, 0);
      if (col.codes) col.codes = resize(col.codes, next, NOT_TEXT);
    }
    this.capacity = next;
  }

  /** The finished table; arrays are trimmed to the row count (the builder must not be used after). */
  finish(): Table {
    const n = this.count;
    // A view when the spare capacity is small (copying every column at once would briefly
    // double the table's memory); a trimmed copy when it is not.
    const fit = <T extends Float32Array | Int32Array>(a: T, fill: number): T =>
      (a.length === n ? a : a.length > n * 1.25 + 64 ? resize(a, n, fill) : (a.subarray(0, n) as T));
    const columns: Column[] = this.cols.map(({ index: _index, ...col }) => ({
      ...col,
      values: fit(col.values, 0),
      codes: col.codes ? fit(col.codes, NOT_TEXT) : null,
    }));
    return {
      file: this.file,
      unit: this.options.unit ?? 'line',
      rowCount: n,
      columns,
      lines: fit(this.lines, 0),
      firstRows: this.firstRows,
    };
  }
}

/** A copy of `a` with `length` elements (extra filled with `fill`). */
function resize<T extends Float32Array | Int32Array>(a: T, length: number, fill: number): T {
  const out = new (a.constructor as new (n: number) => T)(length);
  out.set(a.subarray(0, Math.min(a.length, length)));
  if (length > a.length && fill !== 0) out.fill(fill, a.length);
  return out;
}

function displayText(cell: unknown): string {
  if (cell === null || cell === undefined) return '';
  if (typeof cell === 'number') return formatFloat32(cell);
  return typeof cell === 'string' ? ownCopy(cell) : JSON.stringify(cell);
}

/**
 * A copy of a string that does not keep its source alive. A parser's fields are substrings of
 * the megabyte of text they were cut from, and JS engines may keep such a substring as a view
 * of that text (V8's sliced strings, 13 characters and up): one kept label would keep a whole
 * piece of the file. Concatenating and slicing forces a fresh, flat string.
 */
export function ownCopy(text: string): string {
  return text.length < 13 ? text : (' ' + text).slice(1);
}

/**
 * Column names a person can tell apart: blanks become col1, col2, … (by position) and repeats
 * get _2, _3 (the first keeps its name).
 */
export function uniqueNames(names: readonly string[]): string[] {
  const used = new Set<string>();
  /** The next suffix to try per repeated name, so a header of a million 'a's stays linear. */
  const nextSuffix = new Map<string, number>();
  return names.map((raw, i) => {
    let name = ownCopy(raw.trim()) || `col${i + 1}`;
    if (used.has(name)) {
      let k = nextSuffix.get(name) ?? 2;
      while (used.has(`${name}_${k}`)) k++;
      nextSuffix.set(name, k + 1);
      name = `${name}_${k}`;
    }
    used.add(name);
    return name;
  });
}

/**
 * Builds a table from rows already in memory (JSON arrays, samples, tests). `lines[i]` defaults
 * to i + 1 (so for JSON, `unit: 'item'`, row 1 is the array's first item).
 */
export function tableFromRows(
  file: string,
  names: readonly string[],
  rows: readonly ArrayLike<unknown>[],
  options: { unit?: RowUnit; firstLine?: number; decimalComma?: boolean } = {},
): Table {
  const builder = new TableBuilder(file, names, rows.length, options);
  const first = options.firstLine ?? 1;
  rows.forEach((row, i) => builder.addRow(row, first + i));
  return builder.finish();
}
