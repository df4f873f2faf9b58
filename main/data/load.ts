/**
 * `loadDataset(source)`: from what a person gives — a path (file or folder), several paths
 * (an IDX images file with its labels file), or `sample:NAME` — to a loaded dataset. The format
 * is judged by content (main/data/sniff.ts), never by the file name alone; a load that would
 * not fit the memory budget is refused before it starts.
 */
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { LoadedDataset, LoadedTable, LoadProgress } from '../../shared/data/dataset.js';
import { DatasetError } from '../../shared/data/errors.js';
import type { ResolvedOptions } from '../../shared/data/options.js';
import { pixelTableToImages } from '../../shared/data/pixel-table.js';
import { sampleName } from '../../shared/data/samples/index.js';
import { checkMemoryBudget, defaultMemoryBudget, formatBytes, MEMORY_PER_FILE_BYTE } from './budget.js';
import { loadDelimited } from './delimited.js';
import { idxFilesIn, loadIdx, loadIdxZip } from './idx.js';
import { loadImageFolder, loadImageZip } from './images.js';
import { loadJson } from './json.js';
import { loadSample } from './samples.js';
import { sniffFile } from './sniff.js';

/** How a load runs (not part of the dataset options: nothing here is saved with a project). */
export interface LoadIo {
  onProgress?: (progress: LoadProgress) => void;
  signal?: AbortSignal;
  /** Refuse datasets needing more bytes than this (default: half the machine's memory). */
  memoryBudgetBytes?: number;
}

/** A dataset source: one path, several paths (IDX files), or `sample:NAME`. */
export type DatasetSource = string | readonly string[];

/** The source as messages and summaries name it. */
export function describeSource(source: DatasetSource): string {
  return typeof source === 'string' ? source : source.join(' + ');
}

/** Loads a dataset from a path, several IDX paths, or `sample:NAME`. */
export async function loadDataset(source: DatasetSource, options: ResolvedOptions, io: LoadIo = {}): Promise<LoadedDataset> {
  io.signal?.throwIfAborted();
  const budget = io.memoryBudgetBytes ?? defaultMemoryBudget();
  const paths = typeof source === 'string' ? [source] : [...source];
  if (paths.length === 0) throw new DatasetError({ code: 'not-found', expected: 'a dataset path or sample:NAME', found: 'nothing' });
  if (paths.length === 1) {
    const sample = sampleName(paths[0]);
    if (sample !== null) return loadSample(sample);
  }
  for (const p of paths) await checkExists(p);
  if (paths.length > 1) return loadIdx(paths, (p) => p, budget, describeSource(paths));
  const path = paths[0];
  if ((await stat(path)).isDirectory()) return loadFolder(path, options, io, budget);
  return loadFile(path, options, io, budget);
}

async function checkExists(path: string): Promise<void> {
  try {
    await stat(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new DatasetError({
      code: code === 'ENOENT' ? 'not-found' : 'unreadable', file: path,
      expected: 'a dataset file or folder', found: code === 'ENOENT' ? 'no such file or folder' : `it cannot be read (${code})`,
    });
  }
}

/** A folder: IDX files (MNIST's four) or class subfolders of images. */
async function loadFolder(folder: string, options: ResolvedOptions, io: LoadIo, budget: number): Promise<LoadedDataset> {
  const idx = await idxFilesIn(folder);
  if (idx.length > 0) {
    const loaded = await loadIdx(idx, (p) => p, budget, folder);
    return { ...loaded, name: basename(folder) };
  }
  return loadImageFolder(folder, folder, { imageSize: options.imageSize, channels: options.channels, budget, onProgress: io.onProgress, signal: io.signal });
}

async function loadFile(path: string, options: ResolvedOptions, io: LoadIo, budget: number): Promise<LoadedDataset> {
  const sniffed = await sniffFile(path);
  const name = basename(path);
  const what = `a ${formatBytes(sniffed.size)} file`;
  switch (sniffed.format) {
    case 'empty':
      throw new DatasetError({ code: 'empty-file', file: path, expected: 'a header row and rows of data', found: 'an empty file' });
    case 'binary':
      throw new DatasetError({
        code: 'not-text', file: path,
        expected: 'a dataset: delimited text (CSV/TSV), JSON, IDX, or a zip of images',
        found: `binary data (byte 0x${(sniffed.badValue ?? 0).toString(16).padStart(2, '0')} at offset ${sniffed.badByte} is not text)`,
      });
    case 'delimited': {
      checkMemoryBudget(path, sniffed.size * MEMORY_PER_FILE_BYTE.csv, budget, what);
      const { table, delimiter, header, encoding } = await loadDelimited(path, {
        display: path, size: sniffed.size, header: options.header, delimiter: options.delimiter, onProgress: io.onProgress, signal: io.signal,
      });
      // Anything but UTF-8 is worth a word: the person sees which encoding the text was read in.
      const notes = encoding === 'utf-8' ? undefined : [`${path}: read as ${ENCODING_NAMES[encoding]} (detected from its bytes)`];
      const loaded: LoadedTable = { kind: 'table', source: path, name, format: 'csv', table, delimiter, header, ...(notes ? { notes } : {}) };
      // Pixel columns (Kaggle's MNIST CSVs) with an image shape: one image per row.
      return options.imageShape ? pixelTableToImages(loaded, options.imageShape, options.target) : loaded;
    }
    case 'json': {
      checkMemoryBudget(path, sniffed.size * MEMORY_PER_FILE_BYTE.json, budget, what);
      const { table, header } = await loadJson(path, path, options.header);
      return { kind: 'table', source: path, name, format: 'json', table, header };
    }
    case 'zip':
      // A zip of IDX files (a dropped folder of MNIST's four, zipped by the browser) is IDX, not images.
      return (await loadIdxZip(path, path, budget)) ?? loadImageZip(path, path, { imageSize: options.imageSize, channels: options.channels, budget, onProgress: io.onProgress, signal: io.signal });
    case 'idx':
    case 'gzip':
      throw new DatasetError({
        code: 'idx-set', file: path,
        expected: 'the IDX images file together with its labels file (open both files together, the folder holding them, or a zip of them)', found: 'one file alone',
      });
    case 'image':
      throw new DatasetError({
        code: 'no-images', file: path,
        expected: 'a folder (or zip) with one subfolder of images per class', found: 'a single image',
      });
    default:
      throw new DatasetError({ code: 'unknown-format', file: path, expected: 'CSV, JSON, IDX or images', found: String(sniffed.format satisfies never) });
  }
}

/** Encodings as a person knows them. */
const ENCODING_NAMES = { 'utf-8': 'UTF-8', 'utf-16le': 'UTF-16 (little-endian, with BOM)', 'utf-16be': 'UTF-16 (big-endian, with BOM)', 'windows-1252': 'Windows-1252 / Latin-1 (the bytes are not valid UTF-8)' } as const;
