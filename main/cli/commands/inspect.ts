/** `nn-studio inspect`: load a dataset and print its summary (types, statistics, target, classes). */
import { UsageError, type Command } from '../command.js';
import { DatasetError } from '../../../shared/data/errors.js';
import type { DatasetOptions } from '../../../shared/data/options.js';
import { parseImageShape } from '../../../shared/data/shape.js';
import type { DatasetSummary } from '../../../shared/data/summary.js';
import { inspectDataset } from '../../data/index.js';

export const inspect: Command = {
  name: 'inspect',
  summary: 'summarise a dataset (CSV/TSV, JSON, IDX, image folder or zip, sample:NAME)',
  usage: [
    'Usage: nn-studio inspect <path|sample:NAME> [path …] [options]',
    '',
    'Loads a dataset and prints its rows, columns (type and statistics), target, task and classes.',
    'Several paths: an IDX images file with its labels file (or a folder holding MNIST\'s four files).',
    'Exits 2 with a one-line message when the data cannot be used as it is.',
    '',
    '  --target COL          target column (default: the last one)',
    '  --task TASK           classification or regression (default: inferred)',
    '  --exclude COL         leave a column out of the features (repeatable)',
    '  --fix COL=HOW         text in a numeric column: COL=categorical or COL=drop-rows (repeatable)',
    '  --header, --no-header the first row is / is not a header (default: detected)',
    '  --delimiter D         , ; tab or | (default: sniffed)',
    '  --image-size N        resize images to N×N (default 28; "original" keeps their size)',
    '  --rgb                 keep colour (default: grayscale)',
    '  --image-shape CxHxW   read a CSV of pixel columns as images, e.g. 1x28x28 (Kaggle MNIST)',
    '  --memory-budget MB    refuse datasets needing more memory (default: half of this machine\'s)',
    '  --json                print the summary as one JSON object',
  ].join('\n'),
  options: {
    target: { type: 'string' },
    task: { type: 'string' },
    exclude: { type: 'string', multiple: true },
    fix: { type: 'string', multiple: true },
    header: { type: 'boolean' },
    'no-header': { type: 'boolean' },
    delimiter: { type: 'string' },
    'image-size': { type: 'string' },
    rgb: { type: 'boolean' },
    'image-shape': { type: 'string' },
    'memory-budget': { type: 'string' },
    json: { type: 'boolean' },
  },
  async run({ positionals, values, out, err }) {
    if (positionals.length === 0) throw new UsageError("expected a dataset path or sample:NAME (see 'nn-studio samples')");
    const options = datasetOptionsFromFlags(values);
    const budget = values['memory-budget'];
    let memoryBudgetBytes: number | undefined;
    if (budget !== undefined) {
      const mb = Number(budget);
      if (!(mb > 0)) throw new UsageError(`--memory-budget expects a number of megabytes, got '${String(budget)}'`);
      memoryBudgetBytes = mb * 1024 * 1024;
    }
    let summary: DatasetSummary;
    try {
      summary = await inspectDataset(positionals.length === 1 ? positionals[0] : positionals, options, { memoryBudgetBytes });
    } catch (e) {
      if (e instanceof DatasetError) throw new UsageError(e.message);
      throw e;
    }
    if (values.json) out(JSON.stringify(summary));
    else formatSummary(summary).forEach((line) => out(line));
    if (summary.problems.length > 0) {
      err(`nn-studio inspect: ${summary.problems[0].message}`);
      return 2;
    }
    return 0;
  },
};

/** The dataset options the flags spell (validated later by resolveOptions). */
export function datasetOptionsFromFlags(values: Record<string, unknown>): DatasetOptions {
  const options: DatasetOptions = {};
  if (typeof values.target === 'string') options.target = values.target;
  if (values.task !== undefined) {
    if (values.task !== 'classification' && values.task !== 'regression') throw new UsageError(`--task expects classification or regression, got '${String(values.task)}'`);
    options.task = values.task;
  }
  if (Array.isArray(values.exclude)) options.exclude = values.exclude as string[];
  if (Array.isArray(values.fix)) {
    options.fixes = {};
    for (const fix of values.fix as string[]) {
      const at = fix.lastIndexOf('=');
      const how = fix.slice(at + 1);
      if (at <= 0 || (how !== 'categorical' && how !== 'drop-rows')) throw new UsageError(`--fix expects COL=categorical or COL=drop-rows, got '${fix}'`);
      options.fixes[fix.slice(0, at)] = how;
    }
  }
  if (values.header) options.header = true;
  if (values['no-header']) options.header = false;
  if (values.delimiter !== undefined) {
    const d = values.delimiter === 'tab' || values.delimiter === '\\t' ? '\t' : values.delimiter;
    if (d !== ',' && d !== ';' && d !== '\t' && d !== '|') throw new UsageError(`--delimiter expects , ; tab or |, got '${String(values.delimiter)}'`);
    options.delimiter = d;
  }
  if (values['image-size'] !== undefined) {
    const size = values['image-size'] === 'original' ? 'original' : Number(values['image-size']);
    if (size !== 'original' && !(Number.isInteger(size) && size >= 1 && size <= 1024)) {
      throw new UsageError(`--image-size expects a whole number from 1 to 1024 or 'original', got '${String(values['image-size'])}'`);
    }
    options.imageSize = size;
  }
  if (values.rgb) options.channels = 'rgb';
  if (values['image-shape'] !== undefined) {
    const shape = parseImageShape(String(values['image-shape']));
    if (!shape) throw new UsageError(`--image-shape expects CHANNELSxHEIGHTxWIDTH with 1 or 3 channels, like 1x28x28; got '${String(values['image-shape'])}'`);
    options.imageShape = shape;
  }
  return options;
}

/** A number in at most 4 significant digits. */
function num(value: number | undefined): string {
  if (value === undefined) return '';
  if (Number.isInteger(value)) return String(value);
  return String(Number(value.toPrecision(4)));
}

function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]))).join('  ').trimEnd());
}

/** The summary as a person reads it in a terminal. */
export function formatSummary(s: DatasetSummary): string[] {
  const lines: string[] = [];
  lines.push(`${s.name}  (${s.format}${s.delimiter ? `, delimiter ${JSON.stringify(s.delimiter)}` : ''}${s.header === false ? ', no header row' : ''})  ${s.source}`);
  if (s.description) lines.push(s.description);
  const classes = s.classes ? ` (${s.classes.length} classes)` : '';
  const test = s.testRows !== undefined ? ` + ${s.testRows} test rows` : '';
  const split = `${Math.round(s.split.train * 100)}/${Math.round(s.split.validation * 100)}/${Math.round(s.split.test * 100)}`;
  lines.push(`${s.rows} rows${test} × ${s.columns.length} columns · target '${s.target}' · ${s.task}${classes} · ${s.inputSize} model inputs · split ${split}`);
  lines.push('');
  const header = ['column', 'type', 'role', 'missing', 'distinct', 'min', 'max', 'mean', 'std', 'top values'];
  const rows = s.columns.map((c) => [
    c.name, c.type, c.role, String(c.stats.missing), `${c.stats.distinct}${c.stats.distinctCapped ? '+' : ''}`,
    num(c.stats.min), num(c.stats.max), num(c.stats.mean), num(c.stats.std),
    (c.stats.top ?? []).slice(0, 3).map((t) => `${t.value} ×${t.count}`).join(', '),
  ]);
  lines.push(...table([header, ...rows]).map((l) => `  ${l}`));
  if (s.classHistogram) {
    lines.push('');
    lines.push(`classes: ${s.classHistogram.map((c) => `${c.name} ${c.count}`).join(' · ')}`);
  }
  if (s.images) lines.push(`images: ${s.images.width}×${s.images.height} ${s.images.channels === 1 ? 'grayscale' : 'RGB'}, pixels scaled to [0, 1]`);
  if (s.firstRows && s.firstRows.rows.length > 0) {
    lines.push('');
    lines.push('first rows:');
    lines.push(...table([s.firstRows.columns, ...s.firstRows.rows.slice(0, 5)]).map((l) => `  ${l}`));
  }
  for (const w of s.warnings) lines.push(`note: ${w}`);
  return lines;
}
