/**
 * Reads IDX files (MNIST, Fashion-MNIST), raw or gzip-compressed: an images file with its labels
 * file — given together, or as a folder holding the usual four files (train-images, train-labels,
 * t10k-images, t10k-labels), in which case the t10k/test pair stays the test set.
 */
import { open, readdir, readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import type { LoadedImages } from '../../shared/data/dataset.js';
import { DatasetError } from '../../shared/data/errors.js';
import { idxToImageSets, isIdxLabels, parseIdx, type IdxArray } from '../../shared/data/idx.js';
import { checkMemoryBudget, formatBytes, MEMORY_PER_FILE_BYTE } from './budget.js';
import { sniffFile } from './sniff.js';

const gunzipAsync = promisify(gunzip);

/** Bytes a file holds once decompressed: its size, or for gzip the size its trailer records (mod 4 GB). */
export async function uncompressedSize(path: string): Promise<number> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    const magic = new Uint8Array(2);
    await handle.read(magic, 0, 2, 0);
    if (!(magic[0] === 0x1f && magic[1] === 0x8b) || size < 18) return size;
    const trailer = Buffer.alloc(4);
    await handle.read(trailer, 0, 4, size - 4);
    return Math.max(size, trailer.readUInt32LE(0));
  } finally {
    await handle.close();
  }
}

/** Reads one IDX file, decompressing .gz; a truncated gzip or a wrong magic number is a DatasetError. */
export async function readIdxFile(path: string, display: string): Promise<IdxArray> {
  let bytes: Uint8Array = await readFile(path);
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = await gunzipAsync(bytes);
    } catch (e) {
      const error = e as NodeJS.ErrnoException;
      const truncated = error.code === 'Z_BUF_ERROR' || /unexpected end/i.test(error.message);
      throw new DatasetError({
        code: truncated ? 'gzip-truncated' : 'unreadable', file: display,
        expected: 'a complete gzip file', found: truncated ? 'a truncated one (it ends before the compressed data does; download it again)' : `damaged data (${error.message})`,
      });
    }
  }
  return parseIdx(bytes, display);
}

/** The IDX files of a folder (by content: IDX magic, or gzip named like idx/ubyte). */
export async function idxFilesIn(folder: string): Promise<string[]> {
  const found: string[] = [];
  for (const name of (await readdir(folder)).sort()) {
    if (name.startsWith('.')) continue;
    const path = join(folder, name);
    if (!(await stat(path)).isFile()) continue;
    const sniffed = await sniffFile(path);
    if (sniffed.format === 'idx' || (sniffed.format === 'gzip' && /idx|ubyte/i.test(name))) found.push(path);
  }
  return found;
}

interface Pair {
  images: IdxArray;
  labels: IdxArray;
}

/** train vs test by name: t10k or test → test. */
function isTestName(path: string): boolean {
  return /t10k|test/i.test(basename(path));
}

/**
 * Loads IDX files (2: images + labels, or 4: a train and a test pair) into a labelled image
 * set. `display` maps a path to how messages name it.
 */
export async function loadIdx(paths: string[], display: (path: string) => string, budget: number, source: string): Promise<LoadedImages> {
  if (paths.length !== 2 && paths.length !== 4) {
    throw new DatasetError({
      code: 'idx-set', file: source,
      expected: 'an IDX images file with its labels file (and optionally the test pair: train-… and t10k-…/test-…)',
      found: `${paths.length} IDX file${paths.length === 1 ? '' : 's'}`,
    });
  }
  let needed = 0;
  for (const p of paths) needed += (await uncompressedSize(p)) * MEMORY_PER_FILE_BYTE.idx;
  checkMemoryBudget(source, needed, budget, `IDX data of ${formatBytes(needed / MEMORY_PER_FILE_BYTE.idx)}`);
  const arrays = await Promise.all(paths.map((p) => readIdxFile(p, display(p))));
  let train: Pair;
  let test: Pair | undefined;
  if (arrays.length === 2) {
    train = pairOf(arrays, source);
  } else {
    const testArrays = arrays.filter((_, i) => isTestName(paths[i]));
    const trainArrays = arrays.filter((_, i) => !isTestName(paths[i]));
    if (testArrays.length !== 2) {
      throw new DatasetError({
        code: 'idx-set', file: source,
        expected: 'two training files (train-…) and two test files (t10k-… or test-…)',
        found: `${trainArrays.length} training and ${testArrays.length} test files`,
      });
    }
    train = pairOf(trainArrays, source);
    test = pairOf(testArrays, source);
  }
  const sets = idxToImageSets(train, test);
  return {
    kind: 'images', source, name: basename(source), format: 'idx',
    train: sets.train, test: sets.test,
  };
}

/** Which of two IDX arrays holds the images and which the labels (by their dimensions). */
function pairOf(arrays: IdxArray[], source: string): Pair {
  const labels = arrays.filter(isIdxLabels);
  const images = arrays.filter((a) => !isIdxLabels(a));
  if (labels.length !== 1 || images.length !== 1) {
    throw new DatasetError({
      code: 'idx-set', file: source,
      expected: 'one images file (3 dimensions) and one labels file (1 dimension)',
      found: `${images.length} images and ${labels.length} labels files (${arrays.map((a) => a.file).join(', ')})`,
    });
  }
  return { images: images[0], labels: labels[0] };
}

