/**
 * The summary of a dataset that `inspect --json` prints and the Data page shows: rows, columns
 * with their type and statistics, target and task, classes with their counts, the first rows,
 * thumbnails for images, warnings, and the problems that would stop training (each with its
 * remedies). The zod schema is the IPC contract for it.
 */
import { z } from 'zod';
import type { LoadedDataset, LoadedImages, LoadedTable } from './dataset.js';
import { DatasetError, DatasetProblem } from './errors.js';
import { imageAt } from './images.js';
import { SplitFractions, Task, type ResolvedOptions } from './options.js';
import { checkImageClasses, splitFractions } from './prepare.js';
import { analyzeTable, ColumnStats, ColumnType } from './schema.js';

export const ColumnSummary = z.object({
  name: z.string(),
  type: ColumnType,
  stats: ColumnStats,
  role: z.enum(['feature', 'target', 'excluded']),
  reason: z.string().optional(),
});
export type ColumnSummary = z.infer<typeof ColumnSummary>;

export const Thumbnail = z.object({
  label: z.string(),
  width: z.number().int(),
  height: z.number().int(),
  channels: z.union([z.literal(1), z.literal(3)]),
  /** Bytes 0–255, row-major, channels last. */
  pixels: z.array(z.number().int()),
});
export type Thumbnail = z.infer<typeof Thumbnail>;

export const DatasetSummary = z.object({
  source: z.string(),
  name: z.string(),
  format: z.enum(['csv', 'json', 'idx', 'image-folder', 'image-zip', 'sample']),
  description: z.string().optional(),
  rows: z.number().int(),
  columns: z.array(ColumnSummary),
  target: z.string(),
  task: Task,
  classes: z.array(z.string()).optional(),
  classHistogram: z.array(z.object({ name: z.string(), count: z.number().int() })).optional(),
  /** Model inputs after one-hot encoding (pixels for images). */
  inputSize: z.number().int(),
  split: SplitFractions,
  /** IDX: rows of the file's own test set (not counted in `rows`). */
  testRows: z.number().int().optional(),
  delimiter: z.string().optional(),
  header: z.boolean().optional(),
  firstRows: z.object({ columns: z.array(z.string()), rows: z.array(z.array(z.string())) }).optional(),
  images: z.object({
    width: z.number().int(),
    height: z.number().int(),
    channels: z.union([z.literal(1), z.literal(3)]),
    thumbnails: z.array(Thumbnail),
  }).optional(),
  warnings: z.array(z.string()),
  problems: z.array(DatasetProblem),
});
export type DatasetSummary = z.infer<typeof DatasetSummary>;

/** Thumbnails shown per class. */
const THUMBNAILS_PER_CLASS = 3;

/** Summarises a loaded dataset under the given options. */
export function summarizeLoaded(loaded: LoadedDataset, options: ResolvedOptions): DatasetSummary {
  return loaded.kind === 'table' ? summarizeTable(loaded, options) : summarizeImages(loaded, options);
}

function summarizeTable(loaded: LoadedTable, options: ResolvedOptions): DatasetSummary {
  const { table } = loaded;
  const analysis = analyzeTable(table, options);
  const inputSize = analysis.columns
    .filter((c) => c.role === 'feature')
    .reduce((n, c) => n + (c.type === 'categorical' ? c.stats.distinct : 1), 0);
  const summary: DatasetSummary = {
    source: loaded.source, name: loaded.name, format: loaded.format, rows: table.rowCount,
    columns: analysis.columns, target: analysis.target, task: analysis.task, inputSize,
    split: splitFractions(loaded, options),
    firstRows: { columns: table.columns.map((c) => c.name), rows: table.firstRows },
    warnings: [...(loaded.notes ?? []), ...analysis.warnings], problems: analysis.problems.map((p) => p.toJSON()),
  };
  if (loaded.description) summary.description = loaded.description;
  if (loaded.delimiter !== undefined) summary.delimiter = loaded.delimiter;
  if (loaded.header !== undefined) summary.header = loaded.header;
  if (analysis.classes) {
    summary.classes = analysis.classes;
    summary.classHistogram = analysis.classes.map((name, i) => ({ name, count: analysis.classCounts![i] }));
  }
  return summary;
}

function summarizeImages(loaded: LoadedImages, options: ResolvedOptions): DatasetSummary {
  const set = loaded.train;
  const counts = new Array<number>(set.classes.length).fill(0);
  for (let i = 0; i < set.count; i++) counts[set.labels[i]]++;
  const problems: DatasetProblem[] = [];
  try {
    checkImageClasses(loaded);
  } catch (e) {
    if (!(e instanceof DatasetError)) throw e;
    problems.push(e.toJSON());
  }
  const size = set.width * set.height * set.channels;
  const summary: DatasetSummary = {
    source: loaded.source, name: loaded.name, format: loaded.format, rows: set.count,
    columns: [
      { name: 'pixels', type: 'image', role: 'feature', stats: pixelStats(set.pixels, set.count) },
      {
        name: 'label', type: 'categorical', role: 'target',
        stats: {
          count: set.count, missing: 0, distinct: set.classes.length, textCells: set.count,
          top: set.classes.map((value, i) => ({ value, count: counts[i] })).sort((a, b) => b.count - a.count).slice(0, 10),
        },
      },
    ],
    target: 'label', task: 'classification', classes: set.classes,
    classHistogram: set.classes.map((name, i) => ({ name, count: counts[i] })),
    inputSize: size, split: splitFractions(loaded, options),
    images: { width: set.width, height: set.height, channels: set.channels, thumbnails: thumbnails(loaded) },
    warnings: loaded.notes ?? [], problems,
  };
  if (loaded.test) summary.testRows = loaded.test.count;
  if (loaded.description) summary.description = loaded.description;
  return summary;
}

/** Statistics of all pixels (as 0–1 values) from a byte histogram. */
function pixelStats(pixels: Uint8Array, images: number): ColumnStats {
  const histogram = new Float64Array(256);
  for (let i = 0; i < pixels.length; i++) histogram[pixels[i]]++;
  let n = 0, sum = 0, min = 255, max = 0, distinct = 0;
  for (let v = 0; v < 256; v++) {
    if (!histogram[v]) continue;
    distinct++;
    n += histogram[v];
    sum += histogram[v] * v;
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  const mean = n ? sum / n : 0;
  let squares = 0;
  for (let v = 0; v < 256; v++) squares += histogram[v] * (v - mean) ** 2;
  return {
    count: images, missing: 0, distinct,
    min: min / 255, max: max / 255, mean: mean / 255, std: n ? Math.sqrt(squares / n) / 255 : 0,
  };
}

/** The first few images of each class. */
function thumbnails(loaded: LoadedImages): Thumbnail[] {
  const set = loaded.train;
  const taken = new Array<number>(set.classes.length).fill(0);
  const out: Thumbnail[] = [];
  for (let i = 0; i < set.count && out.length < THUMBNAILS_PER_CLASS * set.classes.length; i++) {
    const label = set.labels[i];
    if (taken[label] >= THUMBNAILS_PER_CLASS) continue;
    taken[label]++;
    out.push({ label: set.classes[label], width: set.width, height: set.height, channels: set.channels, pixels: Array.from(imageAt(set, i)) });
  }
  return out;
}
