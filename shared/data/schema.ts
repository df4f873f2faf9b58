/**
 * Schema inference for a loaded table: each column's statistics and type, the target and the
 * task, which columns become features, and every problem that stops training (each a
 * DatasetError with its remedies). `inspect` shows the analysis; `prepareDataset` refuses to go
 * on while `problems` is not empty.
 *
 * Column types:
 *   numeric      numbers (missing allowed)
 *   categorical  labels with few distinct values (≤ 1000 and at most half the rows, or ≤ 20)
 *   text         free text (too many distinct values to be categories); left out of the features
 *   id           one distinct value per row: named like an identifier (id, user_id, index …) if
 *                numbers, or single-word labels; left out
 *   constant     one value in every row; left out (it carries no information)
 *   empty        missing in every row (a problem unless excluded)
 *   mixed        mostly numbers with text in some rows (a problem until fixed: treat as categorical or drop those rows)
 */
import { z } from 'zod';
import { DatasetError, quote, type Remedy } from './errors.js';
import type { ResolvedOptions, Task } from './options.js';
import { cellAt, cellLabel, isTextCell, type Column, type Table } from './table.js';
import { formatFloat32, naturalCompare } from './values.js';

export const ColumnType = z.enum(['numeric', 'categorical', 'text', 'id', 'constant', 'empty', 'mixed', 'image']);
export type ColumnType = z.infer<typeof ColumnType>;

export const ColumnStats = z.object({
  /** Cells with a value. */
  count: z.number().int(),
  missing: z.number().int(),
  /** Distinct values (numbers and texts). */
  distinct: z.number().int(),
  /** True when `distinct` is a lower bound (more than 10,000 distinct texts). */
  distinctCapped: z.boolean().optional(),
  /** Over the numeric cells. */
  min: z.number().optional(),
  max: z.number().optional(),
  mean: z.number().optional(),
  /** Population standard deviation. */
  std: z.number().optional(),
  median: z.number().optional(),
  /** True when every number is a whole number. */
  integer: z.boolean().optional(),
  /** Cells holding text (for a mixed column: the offenders). */
  textCells: z.number().int().optional(),
  /** The most frequent labels with their counts (categorical, text, constant). */
  top: z.array(z.object({ value: z.string(), count: z.number().int() })).optional(),
});
export type ColumnStats = z.infer<typeof ColumnStats>;

/** Longest "top" list in ColumnStats. */
const TOP_LABELS = 10;
/** More distinct labels than this and a text column is free text, not categories. */
export const MAX_CATEGORIES = 1000;
/** A numeric target with at most this many distinct integers is a classification target. */
export const MAX_INTEGER_CLASSES = 20;
/** A column with at least this share of numbers among its values is numeric with stray text ("mixed"). */
const MOSTLY_NUMBERS = 0.8;
/** How many offending rows a problem lists (the count says how many there are in all). */
const ROWS_LISTED = 100;

interface NumericSummary {
  count: number;
  min: number;
  max: number;
  mean: number;
  std: number;
  median: number;
  distinct: number;
  integers: boolean;
}

/** Statistics of a column's numbers, in float64; distinct values and median from a sorted copy. */
function summarizeNumbers(values: Float32Array): NumericSummary | null {
  const copy = new Float32Array(values.length);
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === v) copy[n++] = v;
  }
  if (n === 0) return null;
  const xs = sortFloat32(copy.subarray(0, n));
  // Two-pass mean and variance: exact enough for any column of float32s.
  let sum = 0;
  let integers = true;
  let distinct = 1;
  for (let i = 0; i < n; i++) {
    sum += xs[i];
    if (integers && !Number.isInteger(xs[i])) integers = false;
    if (i > 0 && xs[i] !== xs[i - 1]) distinct++;
  }
  const mean = sum / n;
  let squares = 0;
  for (let i = 0; i < n; i++) squares += (xs[i] - mean) ** 2;
  const median = n % 2 ? xs[(n - 1) / 2] : (xs[n / 2 - 1] + xs[n / 2]) / 2;
  return { count: n, min: xs[0], max: xs[n - 1], mean, std: Math.sqrt(squares / n), median, distinct, integers };
}

/** Below this many values a comparison sort is faster than the radix sort's fixed bucket passes. */
const RADIX_SORT_MIN = 4096;

/**
 * Sorts float32 values (no NaN) in place, ascending, in O(n): a two-pass LSD radix sort on
 * their bits, 16 bits per pass, after mapping each float to an unsigned key that orders the same
 * way (positives: set the sign bit; negatives: flip every bit). About 3× faster than
 * Float32Array.prototype.sort on a million values, which matters for every column of a big file.
 * Its two passes over 65,536 buckets cost the same whatever n is, so short columns (a file with a
 * million columns and a few rows) use the built-in sort, which orders the same way (−0 before 0).
 */
export function sortFloat32(values: Float32Array): Float32Array {
  const n = values.length;
  if (n < RADIX_SORT_MIN) return values.sort();
  const keys = new Uint32Array(values.buffer, values.byteOffset, n);
  for (let i = 0; i < n; i++) {
    const k = keys[i];
    keys[i] = k & 0x80000000 ? ~k : k | 0x80000000;
  }
  const other = new Uint32Array(n);
  const counts = new Uint32Array(65536);
  for (const [from, to, shift] of [[keys, other, 0], [other, keys, 16]] as const) {
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[(from[i] >>> shift) & 0xffff]++;
    let total = 0;
    for (let b = 0; b < 65536; b++) {
      const c = counts[b];
      counts[b] = total;
      total += c;
    }
    for (let i = 0; i < n; i++) to[counts[(from[i] >>> shift) & 0xffff]++] = from[i];
  }
  for (let i = 0; i < n; i++) {
    const k = keys[i];
    keys[i] = k & 0x80000000 ? k & 0x7fffffff : ~k;
  }
  return values;
}

export interface ColumnProfile {
  stats: ColumnStats;
  numbers: NumericSummary | null;
}

/** Profiles already computed: a loaded column never changes, and inspect and prepare both ask. */
const profileCache = new WeakMap<Column, ColumnProfile>();

/** The statistics of one column. */
export function profileColumn(column: Column): ColumnProfile {
  let profile = profileCache.get(column);
  if (!profile) {
    profile = computeProfile(column);
    profileCache.set(column, profile);
  }
  return profile;
}

function computeProfile(column: Column): ColumnProfile {
  const numbers = summarizeNumbers(column.values);
  const top = column.dictionary
    .map((value, i) => ({ value, count: column.dictionaryCounts[i] }))
    .sort((a, b) => b.count - a.count || naturalCompare(a.value, b.value))
    .slice(0, TOP_LABELS);
  const stats: ColumnStats = {
    count: (numbers?.count ?? 0) + column.textCells,
    missing: column.missing,
    distinct: (numbers?.distinct ?? 0) + column.dictionary.length,
  };
  if (column.dictionaryFull) stats.distinctCapped = true;
  if (numbers) {
    // min, max and median are cells of the column: shown as written (4.3, not 4.300000190734863).
    const asWritten = (v: number) => Number(formatFloat32(v));
    Object.assign(stats, {
      min: asWritten(numbers.min), max: asWritten(numbers.max), mean: numbers.mean, std: numbers.std,
      median: asWritten(numbers.median), integer: numbers.integers,
    });
  }
  if (column.textCells > 0) {
    stats.textCells = column.textCells;
    stats.top = top;
  }
  return { stats, numbers };
}

/** Names of identifier columns: id, ID, user_id, userId, index, key, row number, pandas' "Unnamed: 0". */
const ID_NAME = /^(id|index|idx|key|row|rownum|row_?number|#|unnamed: ?\d+)$|[_\s-]id$/i;
const CAMEL_ID = /[a-z]Id$/;

/** The type of a column from its statistics (see the list at the top of this file). */
export function inferColumnType(column: Column, profile: ColumnProfile, rowCount: number, fix?: 'categorical' | 'drop-rows'): ColumnType {
  const { stats, numbers } = profile;
  if (stats.count === 0) return 'empty';
  if (stats.distinct === 1 && !stats.distinctCapped) return 'constant';
  if (column.textCells === 0) {
    const n = numbers!;
    // Only by name: x = 1, 2, 3 … is a fine feature for a curve, a column called 'id' is not.
    const oneValuePerRow = n.integers && n.distinct === rowCount && stats.missing === 0 && rowCount >= 10;
    return oneValuePerRow && (ID_NAME.test(column.name) || CAMEL_ID.test(column.name)) ? 'id' : 'numeric';
  }
  const numberCells = numbers?.count ?? 0;
  if (numberCells > 0 && numberCells >= MOSTLY_NUMBERS * stats.count) {
    if (fix === 'drop-rows') return 'numeric';
    if (fix !== 'categorical') return 'mixed';
  }
  // A person who chose "treat as categorical" gets categories, however many (within reason).
  if (fix === 'categorical' && !stats.distinctCapped && stats.distinct <= MAX_CATEGORIES) return 'categorical';
  return labelType(column, stats);
}

/** Labels: categories when few, else an identifier (one per row, single words) or free text. */
function labelType(column: Column, stats: ColumnStats): ColumnType {
  const few = stats.distinct <= MAX_INTEGER_CLASSES || (stats.distinct <= MAX_CATEGORIES && stats.distinct <= 0.5 * stats.count);
  if (few && !stats.distinctCapped) return 'categorical';
  if (stats.distinct === stats.count && !column.dictionary.some((t) => /\s/.test(t))) return 'id';
  return 'text';
}

export interface ColumnInfo {
  name: string;
  type: ColumnType;
  stats: ColumnStats;
  role: 'feature' | 'target' | 'excluded';
  /** Why a column is not a feature (excluded by choice, constant, id, text …). */
  reason?: string;
}

export interface TableAnalysis {
  columns: ColumnInfo[];
  target: string;
  task: Task;
  /** Classification: class labels, sorted naturally, with their row counts. */
  classes?: string[];
  classCounts?: number[];
  /** Rows whose target is missing (they are dropped). */
  missingTargets: number;
  features: string[];
  problems: DatasetError[];
  warnings: string[];
}

/**
 * Everything inspect shows and prepare needs about a table under the given options. Unknown
 * column names in the options throw at once (a wrong option is not a data problem to list).
 */
export function analyzeTable(table: Table, options: ResolvedOptions): TableAnalysis {
  const names = table.columns.map((c) => c.name);
  if (names.length === 0) throw new DatasetError({ code: 'empty-file', file: table.file, expected: 'at least one column', found: 'none' });
  const target = options.target ?? names[names.length - 1];
  checkColumnNames(table, [target], 'target');
  checkColumnNames(table, options.exclude, 'exclude');
  checkColumnNames(table, Object.keys(options.fixes), 'fixes');
  const problems: DatasetError[] = [];
  const warnings: string[] = [];

  const profiles = table.columns.map(profileColumn);
  const columns: ColumnInfo[] = table.columns.map((column, i) => {
    const type = inferColumnType(column, profiles[i], table.rowCount, options.fixes[column.name]);
    return { name: column.name, type, stats: profiles[i].stats, role: 'feature' };
  });

  const targetIndex = names.indexOf(target);
  const targetInfo = columns[targetIndex];
  targetInfo.role = 'target';
  const task = options.task ?? inferTask(targetInfo, profiles[targetIndex].numbers);

  for (const [i, info] of columns.entries()) {
    if (info.role === 'target') continue;
    if (options.exclude.includes(info.name)) {
      Object.assign(info, { role: 'excluded', reason: 'excluded by choice' });
      continue;
    }
    const reason = autoExcludeReason(info);
    if (reason) {
      Object.assign(info, { role: 'excluded', reason });
      warnings.push(`column '${info.name}' ${reason}; it is left out of the features`);
    } else if (info.type === 'empty') {
      problems.push(emptyColumnProblem(table, info, false, names));
    } else if (info.type === 'mixed') {
      problems.push(mixedColumnProblem(table, table.columns[i], true));
    }
  }

  const result: TableAnalysis = {
    columns, target, task, missingTargets: targetInfo.stats.missing,
    features: columns.filter((c) => c.role === 'feature').map((c) => c.name),
    problems, warnings,
  };
  checkTarget(table, table.columns[targetIndex], targetInfo, result, options);
  if (result.features.length === 0) {
    problems.push(new DatasetError({
      code: 'no-features', file: table.file,
      expected: `at least one feature column besides the target '${target}'`,
      found: columns.length === 1 ? 'only the target column' : 'none usable (the others are excluded)',
      remedies: [{ kind: 'choose-target', columns: names }],
    }));
  }
  if (targetInfo.stats.missing > 0 && targetInfo.type !== 'empty') {
    warnings.push(`${targetInfo.stats.missing} rows have no value in the target '${target}' and are dropped`);
  }
  return result;
}

function checkColumnNames(table: Table, wanted: readonly string[], option: string): void {
  const names = table.columns.map((c) => c.name);
  for (const name of wanted) {
    if (!names.includes(name)) {
      throw new DatasetError({
        code: 'unknown-column', file: table.file, column: name,
        expected: `one of the columns (${names.map((n) => `'${n}'`).join(', ')})`, found: 'no such column',
        detail: `check the '${option}' option`,
        remedies: option === 'target' ? [{ kind: 'choose-target', columns: names }] : [],
      });
    }
  }
}

/**
 * Classification for a target of labels or of at most 20 distinct whole numbers; regression for
 * other numbers. A mixed column fixed by dropping its text rows counts by its numbers.
 */
function inferTask(target: ColumnInfo, numbers: NumericSummary | null): Task {
  const byNumbers = target.type === 'numeric' || target.type === 'mixed' || !target.stats.textCells;
  if (!byNumbers) return 'classification';
  return numbers !== null && numbers.integers && numbers.distinct <= MAX_INTEGER_CLASSES ? 'classification' : 'regression';
}

function autoExcludeReason(info: ColumnInfo): string | undefined {
  switch (info.type) {
    case 'constant': return `is constant (always ${info.stats.top?.[0] ? quote(info.stats.top[0].value) : info.stats.min})`;
    case 'id': return 'looks like a row identifier (a different value in every row)';
    case 'text': return `is free text (${info.stats.distinct}${info.stats.distinctCapped ? '+' : ''} distinct values)`;
    default: return undefined;
  }
}

function emptyColumnProblem(table: Table, info: ColumnInfo, isTarget: boolean, names: string[]): DatasetError {
  const remedies: Remedy[] = isTarget
    ? [{ kind: 'choose-target', columns: names.filter((n) => n !== info.name) }]
    : [{ kind: 'exclude-column', column: info.name }];
  return new DatasetError({
    code: 'empty-column', file: table.file, column: info.name,
    expected: isTarget ? 'a target value in at least some rows' : 'a value in at least some rows',
    found: `every one of the ${table.rowCount} rows missing`,
    detail: isTarget ? 'choose another target column' : 'exclude the column',
    remedies,
  });
}

/** "line 57, column 'age': expected a number, found 'abc' (also …); treat as categorical, drop those rows or exclude the column". */
function mixedColumnProblem(table: Table, column: Column, isFeature: boolean): DatasetError {
  const rows: number[] = [];
  let first = -1;
  for (let i = 0; i < table.rowCount; i++) {
    if (isTextCell(column, i)) {
      if (first < 0) first = i;
      if (rows.length < ROWS_LISTED) rows.push(table.lines[i]);
    }
  }
  const remedies: Remedy[] = [
    { kind: 'treat-as-categorical', column: column.name },
    { kind: 'drop-rows', column: column.name, count: column.textCells },
  ];
  if (isFeature) remedies.push({ kind: 'exclude-column', column: column.name });
  return new DatasetError({
    code: 'mixed-column', file: table.file, row: rows[0], unit: table.unit, column: column.name,
    expected: 'a number', found: quote(String(cellAt(column, first))),
    rows, rowsTotal: column.textCells,
    detail: `the column holds numbers in other rows: treat it as categorical, drop ${column.textCells === 1 ? 'that row' : `those ${column.textCells} rows`}${isFeature ? ' or exclude the column' : ''}`,
    remedies,
  });
}

/** Target checks: empty, stray text, one class, more classes than the rows allow. Fills classes. */
function checkTarget(table: Table, column: Column, info: ColumnInfo, result: TableAnalysis, options: ResolvedOptions): void {
  const names = table.columns.map((c) => c.name);
  const others = names.filter((n) => n !== info.name);
  if (info.type === 'empty') {
    result.problems.push(emptyColumnProblem(table, info, true, names));
    return;
  }
  if (info.type === 'mixed') {
    result.problems.push(mixedColumnProblem(table, column, false));
    return;
  }
  if (result.task === 'regression') {
    if (info.stats.textCells && options.fixes[info.name] !== 'drop-rows') {
      result.problems.push(new DatasetError({
        code: 'bad-value', file: table.file, column: info.name,
        expected: 'numbers in a regression target', found: `labels such as ${quote(info.stats.top?.[0]?.value ?? '')}`,
        detail: 'set the task to classification or choose another target',
        remedies: [{ kind: 'set-task', task: 'classification' }, { kind: 'choose-target', columns: others }],
      }));
    }
    return;
  }
  const { classes, counts } = classHistogram(column, table.rowCount, options.fixes[info.name] === 'drop-rows');
  result.classes = classes;
  result.classCounts = counts;
  const rows = counts.reduce((a, b) => a + b, 0);
  if (classes.length < 2) {
    result.problems.push(new DatasetError({
      code: 'one-class', file: table.file, column: info.name,
      expected: 'a target with at least two classes', found: classes.length ? `only ${quote(classes[0])} in all ${rows} rows` : 'no classes',
      detail: 'choose another target column',
      remedies: [{ kind: 'choose-target', columns: others }],
    }));
  } else if (classes.length * 2 > rows && options.task === 'classification' && info.stats.textCells !== undefined && !info.stats.distinctCapped) {
    // Text classes, and the person said it is a classification: a tiny file (a CSV edge case) may train.
    result.warnings.push(`the target '${info.name}' has ${classes.length} classes in ${rows} rows (fewer than two rows per class): ` +
      'some classes have nothing to learn from or to be tested on');
  } else if (classes.length * 2 > rows || info.stats.distinctCapped) {
    const numeric = info.stats.textCells === undefined;
    result.problems.push(new DatasetError({
      code: 'too-many-classes', file: table.file, column: info.name,
      expected: `at most ${Math.floor(rows / 2)} classes for ${rows} rows (two rows per class on average, to learn each from)`,
      found: `${classes.length}${info.stats.distinctCapped ? '+' : ''} classes`,
      detail: numeric ? 'set the task to regression or choose another target'
        : 'choose another target column, or to train on it anyway set the task to classification (--task classification)',
      remedies: numeric ? [{ kind: 'set-task', task: 'regression' }, { kind: 'choose-target', columns: others }] : [{ kind: 'choose-target', columns: others }],
    }));
  }
}

/**
 * The classes of a target column (labels sorted naturally: "2" before "10", "setosa" before
 * "versicolor") and the rows of each. `numbersOnly` skips text cells (their rows are dropped).
 */
export function classHistogram(column: Column, rowCount: number, numbersOnly = false): { classes: string[]; counts: number[] } {
  const counts = new Map<string, number>();
  for (let i = 0; i < rowCount; i++) {
    if (numbersOnly && isTextCell(column, i)) continue;
    const label = cellLabel(cellAt(column, i));
    if (label !== null) counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  const classes = [...counts.keys()].sort(naturalCompare);
  return { classes, counts: classes.map((c) => counts.get(c)!) };
}
