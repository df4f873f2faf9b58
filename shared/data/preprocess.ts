/**
 * Preprocessing, fitted on the training split only and kept as plain JSON (`PreprocessingState`)
 * so a project can save it and prediction can apply the identical transform — to a whole file,
 * or to a single row typed into a form (`applyPreprocessing`), or to a drawn image
 * (`applyImagePreprocessing`).
 *
 * Per feature column, in order:
 *   numeric      missing → fill (training mean, median or most frequent value), then
 *                x = (value − offset) · scale   (min-max: offset = min, scale = 1/(max − min);
 *                                                z-score: offset = mean, scale = 1/std; none: 0, 1)
 *   categorical  one-hot over the categories seen in training (sorted naturally); missing → the
 *                most frequent category; a category never seen in training → all zeros
 * Images: pixels / 255, then one offset and scale for all pixels.
 * Targets: classes are label-encoded (index into `classes`); regression targets stay as they are.
 */
import { z } from 'zod';
import { DatasetError, quote } from './errors.js';
import { imageToSample, type RgbaImage } from './images.js';
import { hwcToChw } from './shape.js';
import { MissingStrategy, Normalization } from './options.js';
import { cellAt, cellLabel, isTextCell, NOT_TEXT, tableFromRows, type Column, type Table } from './table.js';
import { naturalCompare } from './values.js';

export const NumericFeature = z.object({
  kind: z.literal('numeric'),
  column: z.string(),
  /** Value used where the cell is missing. */
  fill: z.number(),
  offset: z.number(),
  scale: z.number(),
});
export type NumericFeature = z.infer<typeof NumericFeature>;

export const CategoricalFeature = z.object({
  kind: z.literal('categorical'),
  column: z.string(),
  /** One input per category, in this order. */
  categories: z.array(z.string()),
  /** Category used where the cell is missing. */
  fill: z.string(),
});
export type CategoricalFeature = z.infer<typeof CategoricalFeature>;

export const Feature = z.discriminatedUnion('kind', [NumericFeature, CategoricalFeature]);
export type Feature = z.infer<typeof Feature>;

export const TargetSpec = z.discriminatedUnion('task', [
  z.object({ task: z.literal('classification'), column: z.string(), classes: z.array(z.string()) }),
  z.object({
    task: z.literal('regression'),
    column: z.string(),
    /** Of the training targets, for a consumer that wants to scale them. */
    mean: z.number(),
    std: z.number(),
    min: z.number(),
    max: z.number(),
  }),
]);
export type TargetSpec = z.infer<typeof TargetSpec>;

export const TableState = z.object({
  version: z.literal(1),
  kind: z.literal('table'),
  missing: MissingStrategy,
  normalize: Normalization,
  /** The raw columns a row must provide (in this order when given as an array). */
  columns: z.array(z.string()),
  features: z.array(Feature),
  /** One name per model input: the column, or "column=category" for one-hot inputs. */
  featureNames: z.array(z.string()),
  inputSize: z.number().int(),
  target: TargetSpec,
});
export type TableState = z.infer<typeof TableState>;

export const ImageState = z.object({
  version: z.literal(1),
  kind: z.literal('image'),
  width: z.number().int(),
  height: z.number().int(),
  channels: z.union([z.literal(1), z.literal(3)]),
  /**
   * The order of each model input row: 'chw' (channel-major, model spec v2's [C, H, W]) for states
   * written since images became tensors; absent = 'hwc' (channels last, as older projects trained;
   * the same order for grayscale).
   */
  layout: z.enum(['hwc', 'chw']).optional(),
  normalize: Normalization,
  /** x = (pixel / 255 − offset) · scale */
  offset: z.number(),
  scale: z.number(),
  inputSize: z.number().int(),
  target: TargetSpec,
});
export type ImageState = z.infer<typeof ImageState>;

export const PreprocessingState = z.discriminatedUnion('kind', [TableState, ImageState]);
export type PreprocessingState = z.infer<typeof PreprocessingState>;

// ---------------------------------------------------------------------------------------------
// Fitting (training rows only)

interface Moments {
  count: number;
  min: number;
  max: number;
  mean: number;
  std: number;
}

/** Count, min, max, mean and population std of the non-NaN values at `rows`. */
function moments(values: ArrayLike<number>, rows: ArrayLike<number> | null, n: number): Moments {
  let count = 0;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let k = 0; k < n; k++) {
    const v = values[rows ? rows[k] : k];
    if (v !== v) continue;
    count++;
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const mean = count ? sum / count : 0;
  let squares = 0;
  for (let k = 0; k < n; k++) {
    const v = values[rows ? rows[k] : k];
    if (v === v) squares += (v - mean) ** 2;
  }
  return { count, min, max, mean, std: count ? Math.sqrt(squares / count) : 0 };
}

/** offset and scale of a normalisation, safe for a constant feature (scale 1). */
export function scaling(normalize: Normalization, m: Moments): { offset: number; scale: number } {
  if (m.count === 0 || normalize === 'none') return { offset: 0, scale: 1 };
  if (normalize === 'minmax') return { offset: m.min, scale: m.max > m.min ? 1 / (m.max - m.min) : 1 };
  return { offset: m.mean, scale: m.std > 0 ? 1 / m.std : 1 };
}

/** Median of the non-NaN values at `rows`. */
function median(values: Float32Array, rows: Int32Array): number {
  const xs = Float32Array.from(rows, (r) => values[r]).filter((v) => v === v).sort();
  if (xs.length === 0) return 0;
  const h = xs.length >> 1;
  return xs.length % 2 ? xs[h] : (xs[h - 1] + xs[h]) / 2;
}

/** The most frequent label among `rows` (ties: the first in natural order). */
function mostFrequent(labels: Iterable<string | null>): string | null {
  const counts = new Map<string, number>();
  for (const l of labels) if (l !== null) counts.set(l, (counts.get(l) ?? 0) + 1);
  let best: string | null = null;
  let bestCount = 0;
  for (const [l, c] of counts) {
    if (c > bestCount || (c === bestCount && best !== null && naturalCompare(l, best) < 0)) {
      best = l;
      bestCount = c;
    }
  }
  return best;
}

function* labelsAt(column: Column, rows: Int32Array): Iterable<string | null> {
  for (let k = 0; k < rows.length; k++) yield cellLabel(cellAt(column, rows[k]));
}

/** Fits a numeric feature on the training rows. */
export function fitNumeric(column: Column, train: Int32Array, missing: MissingStrategy, normalize: Normalization): NumericFeature {
  const m = moments(column.values, train, train.length);
  let fill = m.mean;
  if (missing === 'median') fill = median(column.values, train);
  if (missing === 'most-frequent') fill = Number(mostFrequent(labelsAt(column, train)) ?? m.mean);
  if (!Number.isFinite(fill)) fill = 0;
  return { kind: 'numeric', column: column.name, fill, ...scaling(normalize, m) };
}

/** Fits a categorical feature on the training rows. */
export function fitCategorical(column: Column, train: Int32Array): CategoricalFeature {
  const seen = new Set<string>();
  for (const l of labelsAt(column, train)) if (l !== null) seen.add(l);
  const categories = [...seen].sort(naturalCompare);
  return { kind: 'categorical', column: column.name, categories, fill: mostFrequent(labelsAt(column, train)) ?? categories[0] ?? '' };
}

/** Inputs one feature takes in the model. */
export function featureWidth(f: Feature): number {
  return f.kind === 'numeric' ? 1 : f.categories.length;
}

/** "age", "color=red", "color=blue", … */
export function featureNames(features: readonly Feature[]): string[] {
  return features.flatMap((f) => (f.kind === 'numeric' ? [f.column] : f.categories.map((c) => `${f.column}=${c}`)));
}

/** Fits the image normalisation (one offset and scale for all pixels) on the training images. */
export function fitImageScaling(pixels: Uint8Array, imageSize: number, train: Int32Array, normalize: Normalization): { offset: number; scale: number } {
  if (normalize === 'none') return { offset: 0, scale: 1 };
  // Moments from a byte histogram: exact and one pass.
  const histogram = new Float64Array(256);
  for (let k = 0; k < train.length; k++) {
    const start = train[k] * imageSize;
    for (let p = start; p < start + imageSize; p++) histogram[pixels[p]]++;
  }
  let count = 0, sum = 0, min = 255, max = 0;
  for (let v = 0; v < 256; v++) {
    const c = histogram[v];
    if (!c) continue;
    count += c;
    sum += c * v;
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  const mean = count ? sum / count : 0;
  let squares = 0;
  for (let v = 0; v < 256; v++) squares += histogram[v] * (v - mean) ** 2;
  const std = count ? Math.sqrt(squares / count) : 0;
  return scaling(normalize, { count, min: min / 255, max: max / 255, mean: mean / 255, std: std / 255 });
}

// ---------------------------------------------------------------------------------------------
// Applying

/** Lookup tables built once per state (the JSON keeps arrays; encoding wants maps). */
const compiled = new WeakMap<TableState, Map<string, number>[]>();

function categoryIndex(state: TableState): Map<string, number>[] {
  let maps = compiled.get(state);
  if (!maps) {
    maps = state.features.map((f) => new Map(f.kind === 'categorical' ? f.categories.map((c, i) => [c, i] as const) : []));
    compiled.set(state, maps);
  }
  return maps;
}

/**
 * Model inputs for the given rows of a table: rows × state.inputSize, row-major. The table
 * must have every column in `state.columns` (by name). Written feature by feature (a column's
 * values are contiguous, so this is the fast order for a million rows).
 */
export function transformTable(state: TableState, table: Table, rows: ArrayLike<number>): Float32Array {
  const width = state.inputSize;
  const out = new Float32Array(rows.length * width);
  const maps = categoryIndex(state);
  let offset = 0;
  state.features.forEach((f, j) => {
    const column = table.columns.find((col) => col.name === f.column);
    if (!column) {
      throw new DatasetError({ code: 'unknown-column', file: table.file, column: f.column, expected: 'this column (the model was trained with it)', found: 'no such column' });
    }
    if (f.kind === 'numeric') encodeNumeric(f, column, table, rows, out, width, offset);
    else encodeCategorical(f, maps[j], column, rows, out, width, offset);
    offset += featureWidth(f);
  });
  return out;
}

/** x = (value − offset) · scale, missing → fill. A text cell is a DatasetError (training never has one: those rows were dropped or the column made categorical). */
function encodeNumeric(f: NumericFeature, column: Column, table: Table, rows: ArrayLike<number>, out: Float32Array, width: number, at: number): void {
  const { values } = column;
  for (let k = 0; k < rows.length; k++) {
    const i = rows[k];
    let v = values[i];
    if (v !== v) {
      if (isTextCell(column, i)) {
        throw new DatasetError({
          code: 'bad-value', file: table.file, row: table.lines[i], unit: table.unit, column: column.name,
          expected: 'a number', found: quote(String(cellAt(column, i))),
        });
      }
      v = f.fill;
    }
    out[k * width + at] = (v - f.offset) * f.scale;
  }
}

/** One-hot over the categories; missing → the fill category; unseen → all zeros. */
function encodeCategorical(f: CategoricalFeature, index: Map<string, number>, column: Column, rows: ArrayLike<number>, out: Float32Array, width: number, at: number): void {
  // Text cells map through their dictionary code once per distinct text, not once per row.
  const byCode = column.dictionary.map((text) => index.get(text) ?? -1);
  const fill = index.get(f.fill) ?? -1;
  for (let k = 0; k < rows.length; k++) {
    const i = rows[k];
    const code = column.codes ? column.codes[i] : NOT_TEXT;
    let hot: number;
    if (code >= 0) hot = byCode[code];
    else {
      const label = cellLabel(cellAt(column, i));
      hot = label === null ? fill : index.get(label) ?? -1;
    }
    if (hot >= 0) out[k * width + at + hot] = 1;
  }
}

/** A raw row: an object by column name, or an array in `state.columns` order. Values as typed: '5.1', 5.1, '', null … */
export type RawRow = Readonly<Record<string, unknown>> | readonly unknown[];

/**
 * Applies a fitted table state to raw rows — a form's single row, a pasted batch, a prediction
 * file's rows — reading each cell exactly as the training file was read (numbers, the missing
 * spellings, labels). Returns rows × state.inputSize floats, row-major. A missing column is a
 * missing value (filled); a text in a numeric column is a DatasetError naming the row (1-based) and column.
 */
export function applyPreprocessing(state: TableState, rawRows: readonly RawRow[], file = 'input'): Float32Array {
  const arrays = rawRows.map((row) => (Array.isArray(row) ? row : state.columns.map((c) => (row as Record<string, unknown>)[c] ?? null)));
  const table = tableFromRows(file, state.columns, arrays, { unit: 'item' });
  return transformTable(state, table, Int32Array.from({ length: table.rowCount }, (_, i) => i));
}

/** The order of an image state's model inputs, in words (for exports' documentation). */
export function pixelOrder(state: ImageState): string {
  if (state.channels === 1) return 'row by row';
  return state.layout === 'chw' ? 'channel by channel (C, H, W), each row by row' : 'row by row, channels last';
}

/**
 * Image bytes (channels last, image after image, as an ImageSet holds them) → model inputs with a
 * fitted image state: x = (byte / 255 − offset) · scale, each row in the state's layout (CHW, or
 * HWC for older states). `rows` picks the images, in order.
 */
export function imageBytesToInputs(state: ImageState, pixels: ArrayLike<number>, rows: ArrayLike<number>): Float32Array {
  const { width, height, channels, offset, scale } = state;
  const size = width * height * channels;
  const out = new Float32Array(rows.length * size);
  const f = (byte: number) => (byte / 255 - offset) * scale;
  for (let k = 0; k < rows.length; k++) {
    const src = rows[k] * size;
    if (state.layout === 'chw') hwcToChw(pixels, src, channels, height, width, out, k * size, f);
    else for (let p = 0; p < size; p++) out[k * size + p] = f(pixels[src + p]);
  }
  return out;
}

/**
 * Applies a fitted image state to decoded images (any size; RGBA as decoders give it): each is
 * converted to the state's channels, resized by area averaging to its size, then scaled like the
 * training pixels. Returns images × state.inputSize floats.
 */
export function applyImagePreprocessing(state: ImageState, images: readonly RgbaImage[]): Float32Array {
  const size = state.width * state.height * state.channels;
  const bytes = new Uint8Array(images.length * size);
  images.forEach((image, k) => imageToSample(image, state.width, state.height, state.channels, bytes, k * size));
  return imageBytesToInputs(state, bytes, Int32Array.from(images, (_, k) => k));
}

/** Validates a state read from a project file or received over IPC. */
export function parsePreprocessingState(value: unknown, file = 'project'): PreprocessingState {
  const parsed = PreprocessingState.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new DatasetError({ code: 'bad-option', file, expected: 'a saved preprocessing state (version 1)', found: `${issue.path.join('.') || 'value'}: ${issue.message}` });
  }
  return parsed.data;
}
