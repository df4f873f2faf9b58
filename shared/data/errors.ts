/**
 * The one error type of the data pipeline. Every bad input — an empty file, a ragged row, a
 * numeric column with text in it, an IDX file with a wrong magic number — becomes a
 * `DatasetError` whose `message` is one line naming the file, the row, the column and what was
 * expected. The CLI prints that line and exits 2; the app shows it as a banner.
 *
 * Beside the message, the error carries the same facts as fields (so a UI can highlight the row
 * or the column) and a machine-readable list of `remedies` it offers (so a UI can show buttons:
 * "treat as categorical", "drop those rows", "exclude this column"). A chosen remedy goes back
 * into the dataset options (`fixes`, `exclude`, `task`; see options.ts) and the load is retried.
 *
 * `toJSON()` gives a plain `DatasetProblem` that crosses IPC and the worker boundary unchanged;
 * `DatasetError.fromProblem` turns it back into an error.
 */
import { z } from 'zod';

/** What kind of problem it is, for code that reacts to some of them. */
export const DatasetProblemCode = z.enum([
  'not-found',
  'unreadable',
  'empty-file',
  'header-only',
  'ragged-row',
  'unterminated-quote',
  'not-text',
  'bad-json',
  'bad-value',
  'mixed-column',
  'empty-column',
  'unknown-column',
  'one-class',
  'too-many-classes',
  'too-few-rows',
  'no-features',
  'bad-option',
  'idx-magic',
  'idx-truncated',
  'idx-count-mismatch',
  'idx-set',
  'gzip-truncated',
  'bad-zip',
  'bad-image',
  'mixed-image-size',
  'no-images',
  'too-large',
  'unknown-sample',
  'unknown-format',
]);
export type DatasetProblemCode = z.infer<typeof DatasetProblemCode>;

/** A fix the person can choose; each maps onto a dataset option. */
export const Remedy = z.discriminatedUnion('kind', [
  /** options.fixes[column] = 'categorical': keep every value as a category label. */
  z.object({ kind: z.literal('treat-as-categorical'), column: z.string() }),
  /** options.fixes[column] = 'drop-rows': drop the rows where the column holds text. */
  z.object({ kind: z.literal('drop-rows'), column: z.string(), count: z.number().int() }),
  /** options.exclude gains the column. */
  z.object({ kind: z.literal('exclude-column'), column: z.string() }),
  /** options.target: pick another target column. */
  z.object({ kind: z.literal('choose-target'), columns: z.array(z.string()) }),
  /** options.task: override the inferred task. */
  z.object({ kind: z.literal('set-task'), task: z.enum(['classification', 'regression']) }),
]);
export type Remedy = z.infer<typeof Remedy>;

/** How rows are counted in `row`: a line of a text file, an item of a JSON array, a record of an IDX file. */
export const RowUnit = z.enum(['line', 'item', 'record']);
export type RowUnit = z.infer<typeof RowUnit>;

/** The plain form of a `DatasetError` (IPC, worker messages, the inspect summary). */
export const DatasetProblem = z.object({
  name: z.literal('DatasetError'),
  code: DatasetProblemCode,
  message: z.string(),
  file: z.string().optional(),
  /** 1-based, as a person counts in an editor (see `unit`). */
  row: z.number().int().optional(),
  unit: RowUnit.optional(),
  column: z.string().optional(),
  expected: z.string().optional(),
  found: z.string().optional(),
  /** Every offending row (1-based, same unit), when there are several (e.g. text in a numeric column). */
  rows: z.array(z.number().int()).optional(),
  /** How many offending rows there are in all, when `rows` lists only the first of them. */
  rowsTotal: z.number().int().optional(),
  remedies: z.array(Remedy),
});
export type DatasetProblem = z.infer<typeof DatasetProblem>;

export interface DatasetErrorInit {
  code: DatasetProblemCode;
  file?: string;
  row?: number;
  unit?: RowUnit;
  column?: string;
  expected?: string;
  found?: string;
  rows?: number[];
  rowsTotal?: number;
  /** Anything the message should add after "expected …, found …". */
  detail?: string;
  remedies?: Remedy[];
}

/** How many offending rows a message lists before saying "and N more". */
const ROWS_IN_MESSAGE = 5;

export class DatasetError extends Error {
  override name = 'DatasetError' as const;
  readonly code: DatasetProblemCode;
  readonly file?: string;
  readonly row?: number;
  readonly unit?: RowUnit;
  readonly column?: string;
  readonly expected?: string;
  readonly found?: string;
  readonly rows?: number[];
  readonly rowsTotal?: number;
  readonly remedies: Remedy[];

  constructor(init: DatasetErrorInit) {
    super(composeMessage(init));
    this.code = init.code;
    this.file = init.file;
    this.row = init.row;
    this.unit = init.unit;
    this.column = init.column;
    this.expected = init.expected;
    this.found = init.found;
    this.rows = init.rows;
    this.rowsTotal = init.rowsTotal;
    this.remedies = init.remedies ?? [];
  }

  toJSON(): DatasetProblem {
    const plain: DatasetProblem = { name: 'DatasetError', code: this.code, message: this.message, remedies: this.remedies };
    for (const key of ['file', 'row', 'unit', 'column', 'expected', 'found', 'rows', 'rowsTotal'] as const) {
      if (this[key] !== undefined) (plain as Record<string, unknown>)[key] = this[key];
    }
    return plain;
  }

  /** Rebuilds the error from its plain form (keeps the original message word for word). */
  static fromProblem(problem: DatasetProblem): DatasetError {
    const error = new DatasetError({ ...problem });
    error.message = problem.message;
    return error;
  }
}

/** "file, line 7, column 'age': expected a number, found 'abc' (also lines 9, 12); detail". */
function composeMessage(init: DatasetErrorInit): string {
  const where: string[] = [];
  if (init.file) where.push(init.file);
  if (init.row !== undefined) where.push(`${init.unit ?? 'row'} ${init.row}`);
  if (init.column !== undefined) where.push(`column '${init.column}'`);
  const what: string[] = [];
  if (init.expected !== undefined) what.push(`expected ${init.expected}`);
  if (init.found !== undefined) what.push(`found ${init.found}`);
  let text = what.join(', ');
  const others = (init.rows ?? []).filter((r) => r !== init.row);
  const othersTotal = (init.rowsTotal ?? init.rows?.length ?? 0) - (init.rows?.includes(init.row ?? NaN) ? 1 : 0);
  if (others.length > 0) text += ` (also ${init.unit ?? 'row'}s ${listRows(others, othersTotal)})`;
  if (init.detail) text = text ? `${text}; ${init.detail}` : init.detail;
  return where.length > 0 ? `${where.join(', ')}: ${text}` : text;
}

/** "4, 9, 12" or "4, 9, 12, 15, 20 and 37 more" (`total` counts rows beyond those listed). */
export function listRows(rows: readonly number[], total = rows.length): string {
  const shown = rows.slice(0, ROWS_IN_MESSAGE);
  const more = Math.max(total, rows.length) - shown.length;
  return more > 0 ? `${shown.join(', ')} and ${more} more` : shown.join(', ');
}

/** A value as a message quotes it: short, on one line. */
export function quote(value: string): string {
  const oneLine = value.replace(/\s+/g, ' ');
  return `'${oneLine.length > 40 ? oneLine.slice(0, 37) + '...' : oneLine}'`;
}

/** True for a DatasetError, also one that crossed a process boundary as a plain problem. */
export function isDatasetProblem(value: unknown): value is DatasetProblem {
  return DatasetProblem.safeParse(value).success;
}
