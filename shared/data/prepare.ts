/**
 * From a loaded dataset to the tensors training needs: features as one row-major Float32Array
 * per split (after one-hot encoding and normalisation), targets as class indices (Int32Array,
 * with the class names) or values (Float32Array), and the fitted preprocessing state as plain
 * JSON. Fitting sees the training split only; validation and test are transformed with it.
 * main/data/index.ts wraps this as `prepareDataset(source, options)` for the worker.
 */
import type { LoadedDataset, LoadedImages, LoadedTable } from './dataset.js';
import { DatasetError } from './errors.js';
import { DEFAULT_SPLIT, type ResolvedOptions, type SplitFractions } from './options.js';
import {
  featureNames, featureWidth, fitCategorical, fitImageScaling, fitNumeric, imageBytesToInputs, transformTable,
  type Feature, type ImageState, type PreprocessingState, type TableState, type TargetSpec,
} from './preprocess.js';
import { analyzeTable, type TableAnalysis } from './schema.js';
import type { InputShape } from './shape.js';
import { VALIDATION_CAP, foldRows, splitRows, validationRowsBesideTest, type SplitIndices } from './split.js';
import { cellAt, cellLabel, isTextCell, type Table } from './table.js';

/** One split: n rows of features and their targets. */
export interface DataSplit<Y extends Int32Array | Float32Array> {
  /** n × inputSize, row-major. */
  x: Float32Array;
  /** Class index per row (classification) or target value (regression). */
  y: Y;
  count: number;
  /** Each row's index in the loaded data (for IDX test rows: in the test set), to trace a prediction back. */
  rows: Int32Array;
}

interface PreparedBase {
  source: string;
  name: string;
  inputSize: number;
  /** Number of classes, or 1 for regression. */
  outputSize: number;
  /** One name per input ("age", "color=red"); for images "pixel 1", … */
  featureNames: string[];
  /** [features] for tables; [channels, height, width] for images, whose x rows are in C, H, W order. */
  inputShape: InputShape;
  state: PreprocessingState;
  /** The fractions used (for IDX, test is the file's own test set). */
  split: SplitFractions;
  /** What happened on the way: rows dropped, columns left out. */
  notes: string[];
}

export type PreparedDataset =
  | (PreparedBase & { task: 'classification'; classes: string[]; train: DataSplit<Int32Array>; validation: DataSplit<Int32Array>; test: DataSplit<Int32Array> })
  | (PreparedBase & { task: 'regression'; classes?: undefined; train: DataSplit<Float32Array>; validation: DataSplit<Float32Array>; test: DataSplit<Float32Array> });

/** Turns a loaded dataset into training tensors; the first blocking problem is thrown as a DatasetError. */
export function prepareLoaded(loaded: LoadedDataset, options: ResolvedOptions): PreparedDataset {
  return loaded.kind === 'table' ? prepareTable(loaded, options) : prepareImages(loaded, options);
}

/** The split fractions in force: the options', else the sample's own, else 70/15/15. */
export function splitFractions(loaded: LoadedDataset, options: ResolvedOptions): SplitFractions {
  return options.split ?? loaded.defaultSplit ?? DEFAULT_SPLIT;
}

// ---------------------------------------------------------------------------------------------
// Tables

function prepareTable(loaded: LoadedTable, options: ResolvedOptions): PreparedDataset {
  const { table } = loaded;
  const analysis = analyzeTable(table, options);
  if (analysis.problems.length > 0) throw analysis.problems[0];
  const notes = [...analysis.warnings];
  const kept = keptRows(table, analysis, options, notes);
  const target = table.columns.find((c) => c.name === analysis.target)!;
  const fractions = splitFractions(loaded, options);

  let labels: Int32Array | null = null;
  if (analysis.task === 'classification') {
    const index = new Map(analysis.classes!.map((c, i) => [c, i]));
    labels = Int32Array.from(kept, (i) => index.get(cellLabel(cellAt(target, i))!)!);
  }
  const strata = options.stratify ? labels : null;
  const split = options.fold ? foldRows(kept, options.fold, fractions, options.seed, strata) : splitRows(kept, fractions, options.seed, strata);
  checkSplit(table, split);

  const features: Feature[] = analysis.features.map((name) => {
    const column = table.columns.find((c) => c.name === name)!;
    const type = analysis.columns.find((c) => c.name === name)!.type;
    return type === 'categorical' ? fitCategorical(column, split.train) : fitNumeric(column, split.train, options.missing, options.normalize ?? 'zscore');
  });
  const targetSpec = fitTarget(analysis, target.values, split.train);
  const state: TableState = {
    version: 1, kind: 'table', missing: options.missing, normalize: options.normalize ?? 'zscore',
    columns: analysis.features, features, featureNames: featureNames(features),
    inputSize: features.reduce((n, f) => n + featureWidth(f), 0), target: targetSpec,
  };

  const labelOfRow = new Int32Array(table.rowCount);
  if (labels) kept.forEach((row, k) => (labelOfRow[row] = labels![k]));
  const makeSplit = (rows: Int32Array) => ({
    x: transformTable(state, table, rows),
    count: rows.length,
    rows,
    y: labels ? Int32Array.from(rows, (r) => labelOfRow[r]) : Float32Array.from(rows, (r) => target.values[r]),
  });
  const base = {
    source: loaded.source, name: loaded.name, inputSize: state.inputSize, inputShape: [state.inputSize] as InputShape,
    featureNames: state.featureNames, state, split: fractions, notes,
  };
  const [train, validation, test] = [split.train, split.validation, split.test].map(makeSplit);
  if (analysis.task === 'classification') {
    return { ...base, task: 'classification', classes: analysis.classes!, outputSize: analysis.classes!.length, train, validation, test } as PreparedDataset;
  }
  return { ...base, task: 'regression', outputSize: 1, train, validation, test } as PreparedDataset;
}

/**
 * The rows training uses: those with a target, without text where a column's fix is
 * 'drop-rows', and (missing: 'drop') without missing feature values.
 */
function keptRows(table: Table, analysis: TableAnalysis, options: ResolvedOptions, notes: string[]): Int32Array {
  const byName = new Map(table.columns.map((c) => [c.name, c]));
  const target = byName.get(analysis.target)!;
  const dropText = [analysis.target, ...analysis.features].filter((n) => options.fixes[n] === 'drop-rows').map((n) => byName.get(n)!);
  const features = analysis.features.map((n) => byName.get(n)!);
  const kept: number[] = [];
  let noTarget = 0, withText = 0, withMissing = 0;
  for (let i = 0; i < table.rowCount; i++) {
    if (cellAt(target, i) === null && !isTextCell(target, i)) { noTarget++; continue; }
    if (dropText.some((c) => isTextCell(c, i))) { withText++; continue; }
    if (options.missing === 'drop' && features.some((c) => cellAt(c, i) === null)) { withMissing++; continue; }
    kept.push(i);
  }
  if (withText) notes.push(`dropped ${withText} rows with text in a numeric column (${dropText.map((c) => `'${c.name}'`).join(', ')})`);
  if (withMissing) notes.push(`dropped ${withMissing} rows with missing feature values`);
  if (noTarget && !analysis.warnings.some((w) => w.includes('no value in the target'))) notes.push(`dropped ${noTarget} rows without a target`);
  if (kept.length < 2) {
    throw new DatasetError({
      code: 'too-few-rows', file: table.file,
      expected: 'at least 2 rows to train on', found: `${kept.length} left after dropping rows with a missing target${options.missing === 'drop' ? ' or missing values' : ''}`,
      detail: options.missing === 'drop' ? "fill missing values instead (missing: 'mean')" : undefined,
    });
  }
  return Int32Array.from(kept);
}

function checkSplit(table: { file: string }, split: SplitIndices): void {
  if (split.train.length === 0) {
    throw new DatasetError({ code: 'too-few-rows', file: table.file, expected: 'at least one training row', found: 'none after splitting' });
  }
}

function fitTarget(analysis: TableAnalysis, values: Float32Array, train: Int32Array): TargetSpec {
  if (analysis.task === 'classification') return { task: 'classification', column: analysis.target, classes: analysis.classes! };
  let sum = 0, min = Infinity, max = -Infinity;
  for (const r of train) {
    sum += values[r];
    min = Math.min(min, values[r]);
    max = Math.max(max, values[r]);
  }
  const mean = sum / train.length;
  let squares = 0;
  for (const r of train) squares += (values[r] - mean) ** 2;
  return { task: 'regression', column: analysis.target, mean, std: Math.sqrt(squares / train.length), min, max };
}

// ---------------------------------------------------------------------------------------------
// Images

function prepareImages(loaded: LoadedImages, options: ResolvedOptions): PreparedDataset {
  const { train: set, test: fixedTest } = loaded;
  const notes = [...(loaded.notes ?? [])];
  if (options.task === 'regression') {
    throw new DatasetError({ code: 'bad-option', file: loaded.source, expected: 'classification for an image dataset', found: "task 'regression'" });
  }
  checkImageClasses(loaded);
  if (options.fold) {
    throw new DatasetError({ code: 'bad-option', file: loaded.source, expected: 'a table for k-fold cross-validation', found: 'an image dataset (judge it on its test split)' });
  }
  let fractions = splitFractions(loaded, options);
  let split: SplitIndices;
  const all = Int32Array.from({ length: set.count }, (_, i) => i);
  const labels = options.stratify ? set.labels : null;
  if (fixedTest) {
    // The file's own test set stays the test set; validation comes out of its training part.
    const validation = validationRowsBesideTest(set.count, options.split) / set.count;
    split = { ...splitRows(all, { train: 1 - validation, validation, test: 0 }, options.seed, labels), test: Int32Array.from({ length: fixedTest.count }, (_, i) => i) };
    const total = set.count + fixedTest.count;
    fractions = { train: split.train.length / total, validation: split.validation.length / total, test: fixedTest.count / total };
    notes.push(`validation: ${split.validation.length.toLocaleString('en-US')} of the ${set.count.toLocaleString('en-US')} training images ` +
      (options.split ? '(your split)' : `(a tenth, at most ${VALIDATION_CAP.toLocaleString('en-US')}, as the data has its own test set)`));
  } else {
    split = splitRows(all, fractions, options.seed, labels);
  }
  checkSplit({ file: loaded.source }, split);
  const size = set.width * set.height * set.channels;
  const normalize = options.normalize ?? 'none';
  const { offset, scale } = fitImageScaling(set.pixels, size, split.train, normalize);
  const state: ImageState = {
    version: 1, kind: 'image', width: set.width, height: set.height, channels: set.channels, layout: 'chw',
    normalize, offset, scale, inputSize: size,
    target: { task: 'classification', column: 'label', classes: set.classes },
  };
  const makeSplit = (from: typeof set, rows: Int32Array): DataSplit<Int32Array> => ({
    x: imageBytesToInputs(state, from.pixels, rows), y: Int32Array.from(rows, (r) => from.labels[r]), count: rows.length, rows,
  });
  return {
    source: loaded.source, name: loaded.name, task: 'classification', classes: set.classes,
    inputSize: size, outputSize: set.classes.length,
    featureNames: pixelNames(set.channels, set.height, set.width),
    inputShape: [set.channels, set.height, set.width], state, split: fractions, notes,
    train: makeSplit(set, split.train), validation: makeSplit(set, split.validation), test: fixedTest ? makeSplit(fixedTest, split.test) : makeSplit(set, split.test),
  };
}

/** One name per input in CHW order: "pixel 1" … for grayscale, "channel 2 pixel 1" … for colour. */
function pixelNames(channels: number, height: number, width: number): string[] {
  const plane = height * width;
  return Array.from({ length: channels * plane }, (_, i) =>
    channels === 1 ? `pixel ${i + 1}` : `channel ${Math.floor(i / plane) + 1} pixel ${(i % plane) + 1}`);
}

/** An image dataset needs two classes or more, and two images per class on average. */
export function checkImageClasses(loaded: LoadedImages): void {
  const { train } = loaded;
  if (train.classes.length < 2) {
    throw new DatasetError({
      code: 'one-class', file: loaded.source, column: 'label',
      expected: 'images of at least two classes (one subfolder per class)', found: `only ${train.classes.length ? `'${train.classes[0]}'` : 'no class'}`,
    });
  }
  if (train.classes.length * 2 > train.count) {
    throw new DatasetError({
      code: 'too-many-classes', file: loaded.source, column: 'label',
      expected: `at most ${Math.floor(train.count / 2)} classes for ${train.count} images`, found: `${train.classes.length} classes`,
    });
  }
}
