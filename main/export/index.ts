/**
 * The export service: a trained run → files on disk, each written atomically. Model formats come
 * from shared/export; the predictions CSV reads a dataset (the project's, or another file in the
 * same format) and predicts every row of it.
 *
 *   exportRun(run, 'onnx', '/out/model.onnx')                         → ['/out/model.onnx']
 *   exportRun(run, 'tfjs', '/out/model.json')                         → ['/out/model.json', '/out/weights.bin']
 *   exportRun(run, 'csv', '/out/p.csv')                               → ['/out/p.csv'] (the run's dataset, or options.data)
 */
import { mkdir, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { DatasetError } from '../../shared/data/errors.js';
import { resolveOptions, type DatasetOptions } from '../../shared/data/options.js';
import { imageBytesToInputs, transformTable } from '../../shared/data/preprocess.js';
import { pixelTableToImages } from '../../shared/data/pixel-table.js';
import { cellAt, cellLabel } from '../../shared/data/table.js';
import type { LoadedDataset } from '../../shared/data/dataset.js';
import { ExportError, exportFiles, exportModelOf, predictionsCsv, DEFAULT_FILE_NAMES, type ExportFile, type ExportFormat, type ExportModel, type PredictionInputs } from '../../shared/export/index.js';
import { predictFeatures, trainedModel } from '../../shared/runs/predict.js';
import type { RunOutcome, RunRecord } from '../../shared/runs/results.js';
import { loadDataset } from '../data/index.js';
import { appVersion } from '../paths.js';
import { writeFileAtomic } from '../projects/atomic.js';

export interface ExportOptions {
  /** A name for the model in file headers and metadata (default: the file's stem). */
  name?: string;
  /** CSV: the dataset to predict — its source and the options to read it with (default: the run's own). */
  data?: { source: string; options?: DatasetOptions };
  /** Python: weights inline (default) or in an .npz beside the module. */
  pythonWeights?: 'inline' | 'npz';
}

/**
 * Writes the export of a finished run in `format` to `outPath` (a file; for a folder, the format's
 * usual file name inside it). Returns the paths written. Throws ExportError for a run without a
 * model or an export the model cannot have, DatasetError for a CSV dataset that cannot be read.
 */
export async function exportRun(run: Pick<RunRecord, 'id' | 'config' | 'outcome'>, format: ExportFormat, outPath: string, options: ExportOptions = {}): Promise<string[]> {
  const { outcome } = run;
  if (!outcome) throw new ExportError(`run ${run.id} has no trained model to export`);
  const target = await outputFile(outPath, format);
  const folder = dirname(target);
  const m = exportModelOf(outcome, options.name ?? basename(target).replace(/\.[^.]*$/, ''));
  const files = format === 'csv'
    ? [{ name: basename(target), data: await runPredictionsCsv(run, options.data, m.name) }]
    : exportFiles(format, m, { fileName: basename(target), producerVersion: appVersion(), pythonWeights: options.pythonWeights });
  return writeExportFiles(folder, files);
}

/** Writes an export's files into `folder` (created if needed), each atomically; returns their paths. */
export async function writeExportFiles(folder: string, files: readonly ExportFile[]): Promise<string[]> {
  await mkdir(folder, { recursive: true });
  const written: string[] = [];
  for (const file of files) {
    const path = join(folder, file.name);
    await writeFileAtomic(path, typeof file.data === 'string' ? new TextEncoder().encode(file.data) : file.data);
    written.push(path);
  }
  return written;
}

/** The predictions CSV of a finished run for a dataset (default: the run's own), as text. */
export async function runPredictionsCsv(run: Pick<RunRecord, 'id' | 'config' | 'outcome'>, data?: { source: string; options?: DatasetOptions }, name = 'model'): Promise<string> {
  if (!run.outcome) throw new ExportError(`run ${run.id} has no trained model to predict with`);
  return predictionsFor(run.outcome, exportModelOf(run.outcome, name), data ?? run.config.dataset);
}

/**
 * The file to write: `outPath` itself, or the format's usual name inside it when it is a folder,
 * or when it ends with a separator (`out/`: a folder to create, not a file named `out`).
 */
async function outputFile(outPath: string, format: ExportFormat): Promise<string> {
  const absolute = resolve(outPath);
  const info = await stat(absolute).catch(() => null);
  return info?.isDirectory() || /[\\/]$/.test(outPath) ? join(absolute, DEFAULT_FILE_NAMES[format]) : absolute;
}

/** Predicts every row (or image) of a dataset and gives the CSV text. */
async function predictionsFor(outcome: RunOutcome, m: ExportModel, data: { source: string; options?: DatasetOptions }): Promise<string> {
  const loaded = await loadDataset(data.source, resolveOptions(readingOptionsFor(outcome, data.options ?? {})));
  const { x, rows, inputs } = featuresOf(outcome, loaded);
  if (rows === 0) throw new DatasetError({ code: 'too-few-rows', file: data.source, expected: 'at least one row to predict', found: 'none' });
  return predictionsCsv(m, inputs, predictFeatures(outcome, x, rows, trainedModel(outcome)));
}

/**
 * How to read a dataset for an image run: image folders and zips resized to the run's (square)
 * images and converted to its channels, whatever the dataset it was trained on (IDX, CSV, images).
 */
function readingOptionsFor(outcome: RunOutcome, options: DatasetOptions): DatasetOptions {
  const state = outcome.preprocessing;
  if (state.kind !== 'image') return options;
  const channels = state.channels === 3 ? 'rgb' : 'grayscale';
  return state.width === state.height ? { ...options, imageSize: state.width, channels } : { ...options, channels };
}

/** The network's inputs for every row of a loaded dataset, through the run's fitted preprocessing. */
export function featuresOf(outcome: RunOutcome, loaded: LoadedDataset): { x: Float32Array; rows: number; inputs: PredictionInputs } {
  const state = outcome.preprocessing;
  // A table given to an image model is read as pixel columns of the run's image shape (a Kaggle-style CSV).
  if (loaded.kind === 'table' && state.kind === 'image') loaded = pixelTableToImages(loaded, [state.channels, state.height, state.width]);
  if (loaded.kind === 'table') {
    if (state.kind !== 'table') throw new ExportError(`this run was trained on images; ${loaded.source} is a table`);
    const { table } = loaded;
    const all = Int32Array.from({ length: table.rowCount }, (_, i) => i);
    const x = transformTable(state, table, all);
    const columns = state.columns.map((name) => table.columns.find((c) => c.name === name)!);
    const target = table.columns.find((c) => c.name === state.target.column);
    const text = (column: (typeof columns)[number], i: number) => cellLabel(cellAt(column, i)) ?? '';
    return {
      x,
      rows: table.rowCount,
      inputs: {
        header: state.columns,
        rows: Array.from(all, (i) => columns.map((c) => text(c, i))),
        actual: target ? Array.from(all, (i) => text(target, i)) : undefined,
      },
    };
  }
  if (state.kind !== 'image') throw new ExportError(`this run was trained on a table; ${loaded.source} holds images`);
  const sets = loaded.test ? [loaded.train, loaded.test] : [loaded.train];
  const size = state.width * state.height * state.channels;
  for (const set of sets) {
    if (set.width !== state.width || set.height !== state.height || set.channels !== state.channels) {
      throw new ExportError(`${loaded.source} has ${set.width}×${set.height}×${set.channels} images; the run was trained on ${state.width}×${state.height}×${state.channels}`);
    }
  }
  const rows = sets.reduce((n, s) => n + s.count, 0);
  const x = new Float32Array(rows * size);
  const names: string[][] = [];
  const actual: string[] = [];
  let r = 0;
  for (const set of sets) {
    // The training transform (shared/data/prepare.ts), in the run's input layout.
    x.set(imageBytesToInputs(state, set.pixels, Int32Array.from({ length: set.count }, (_, i) => i)), r * size);
    for (let i = 0; i < set.count; i++, r++) {
      names.push([set.names?.[i] ?? `${set === loaded.test ? 'test ' : ''}${i + 1}`]);
      actual.push(set.classes[set.labels[i]] ?? '');
    }
  }
  return { x, rows, inputs: { header: ['image'], rows: names, actual } };
}
