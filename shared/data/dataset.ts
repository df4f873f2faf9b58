/**
 * A dataset as loaded, before preprocessing: a table (CSV/TSV, JSON, tabular samples) or a set
 * of labelled images (IDX, image folders and zips, MNIST). main/data/load.ts produces it from a
 * path or `sample:NAME`; summary.ts describes it; prepare.ts turns it into training tensors.
 */
import type { ImageSet } from './images.js';
import type { SplitFractions } from './options.js';
import type { Table } from './table.js';

/** 'csv' is any delimited text (comma, semicolon, tab, pipe: see `delimiter`). */
export type DatasetFormat = 'csv' | 'json' | 'idx' | 'image-folder' | 'image-zip' | 'sample';

interface LoadedBase {
  /** What the person gave: a path, several paths joined by ' + ', or `sample:NAME`. */
  source: string;
  /** Short display name (file or folder name, sample name). */
  name: string;
  format: DatasetFormat;
  /** A sample's own split (e.g. XOR's four rows all train); else 70/15/15. */
  defaultSplit?: SplitFractions;
  /** A sample's one-line description. */
  description?: string;
  /** Things worth telling that are not errors (files skipped …); the summary lists them as warnings. */
  notes?: string[];
}

export interface LoadedTable extends LoadedBase {
  kind: 'table';
  table: Table;
  /** Delimited text: the delimiter used and whether the first row was a header. */
  delimiter?: string;
  header?: boolean;
}

export interface LoadedImages extends LoadedBase {
  kind: 'images';
  train: ImageSet;
  /** IDX datasets bring their own test set (kept as is by the split). */
  test?: ImageSet;
}

export type LoadedDataset = LoadedTable | LoadedImages;

/** Loading progress, reported through a callback (the worker forwards it, throttled, to the UI). */
export interface LoadProgress {
  /** reading: bytes of a file; decoding: images; preparing: rows. */
  stage: 'reading' | 'decoding' | 'preparing';
  done: number;
  total: number;
  /** Rows read so far (delimited text). */
  rows?: number;
}
