/**
 * The built-in samples. `sample:NAME` works wherever a dataset path does (CLI, worker, app).
 * All but MNIST are generated or embedded here and need no files, so the renderer can also build
 * them for instant previews; MNIST's digits are read from the `mnist` package by main/data/samples.ts.
 */
import type { LoadedTable } from '../dataset.js';
import { DatasetError } from '../errors.js';
import type { SplitFractions, Task } from '../options.js';
import { tableFromRows } from '../table.js';
import { blobs, circles, logicGate, moons, polynomial, sine, spiral, type GeneratedRows } from './generators.js';
import { IRIS_CSV } from './iris.js';

export const SAMPLE_PREFIX = 'sample:';

export interface SampleInfo {
  name: string;
  /** One line for `nn-studio samples` and the sample picker. */
  description: string;
  kind: 'table' | 'images';
  task: Task;
  /** Needs files outside this module (read by main/data/samples.ts). */
  needsFiles?: boolean;
}

/** Four rows that all serve for training: the perceptron lessons have nothing to hold out. */
const ALL_TRAIN: SplitFractions = { train: 1, validation: 0, test: 0 };

interface SampleDefinition extends SampleInfo {
  rows?: () => GeneratedRows;
  split?: SplitFractions;
}

const DEFINITIONS: SampleDefinition[] = [
  { name: 'and', kind: 'table', task: 'classification', description: 'AND truth table (4 rows): a single perceptron learns it', rows: () => logicGate((a, b) => a & b), split: ALL_TRAIN },
  { name: 'or', kind: 'table', task: 'classification', description: 'OR truth table (4 rows): a single perceptron learns it', rows: () => logicGate((a, b) => a | b), split: ALL_TRAIN },
  { name: 'xor', kind: 'table', task: 'classification', description: 'XOR truth table (4 rows): needs a hidden layer', rows: () => logicGate((a, b) => a ^ b), split: ALL_TRAIN },
  { name: 'circles', kind: 'table', task: 'classification', description: 'two concentric noisy circles (400 points, 2 classes): a non-linear boundary', rows: () => circles() },
  { name: 'moons', kind: 'table', task: 'classification', description: 'two interleaving half moons (400 points, 2 classes)', rows: () => moons() },
  { name: 'spiral', kind: 'table', task: 'classification', description: 'three-arm spiral (300 points, 3 classes), after CS231n', rows: () => spiral() },
  { name: 'blobs', kind: 'table', task: 'classification', description: 'three Gaussian blobs (300 points, 3 classes): linearly separable', rows: () => blobs() },
  { name: 'sine', kind: 'table', task: 'regression', description: 'y = sin(x) + noise (200 points): curve fitting', rows: () => sine() },
  { name: 'poly', kind: 'table', task: 'regression', description: 'y = x³ − 2x + 0.5 + noise (200 points): a noisy polynomial curve', rows: () => polynomial() },
  { name: 'iris', kind: 'table', task: 'classification', description: "Fisher's Iris flowers (150 rows, 4 measurements, 3 species)" },
  { name: 'mnist', kind: 'images', task: 'classification', description: 'MNIST handwritten digits (10,000 images, 28×28 gray, 10 classes)', needsFiles: true },
];

/** Every sample, in the order `nn-studio samples` lists them. */
export const SAMPLES: readonly SampleInfo[] = DEFINITIONS.map(({ name, description, kind, task, needsFiles }) => ({ name, description, kind, task, needsFiles }));

/** The sample name in `sample:NAME`, or null when the source is not a sample. */
export function sampleName(source: string): string | null {
  return source.startsWith(SAMPLE_PREFIX) ? source.slice(SAMPLE_PREFIX.length).trim().toLowerCase() : null;
}

/** The definition of a sample, or a DatasetError listing the samples there are. */
export function findSample(name: string): SampleInfo {
  const found = DEFINITIONS.find((s) => s.name === name);
  if (!found) {
    throw new DatasetError({
      code: 'unknown-sample', file: `${SAMPLE_PREFIX}${name}`,
      expected: `one of the samples (${DEFINITIONS.map((s) => s.name).join(', ')})`, found: 'no such sample',
    });
  }
  return found;
}

/** A table sample, built here (every sample except MNIST). */
export function loadTableSample(name: string): LoadedTable {
  const info = findSample(name) as SampleDefinition;
  const source = `${SAMPLE_PREFIX}${info.name}`;
  const base = { kind: 'table' as const, source, name: info.name, format: 'sample' as const, description: info.description, defaultSplit: info.split };
  if (info.name === 'iris') return { ...base, table: parseIris(source) };
  if (!info.rows) throw new Error(`sample '${name}' needs files; load it with main/data/samples.ts`);
  const { columns, rows } = info.rows();
  return { ...base, table: tableFromRows(source, columns, rows, { firstLine: 1 }) };
}

/** The embedded Iris CSV as a table (simple: no quotes, no missing values). */
function parseIris(source: string): LoadedTable['table'] {
  const [header, ...lines] = IRIS_CSV.trim().split('\n');
  return tableFromRows(source, header.split(','), lines.map((l) => l.split(',')), { firstLine: 2 });
}
