/**
 * Reads IDX files (MNIST, Fashion-MNIST), raw or gzip-compressed: an images file with its labels
 * file — given together, or as a folder holding the usual four files (train-images, train-labels,
 * t10k-images, t10k-labels), in which case the t10k/test pair stays the test set.
 */
import { open, readdir, readFile, stat } from 'node:fs/promises';
import buffer from 'node:buffer';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import type { LoadedImages } from '../../shared/data/dataset.js';
import { DatasetError } from '../../shared/data/errors.js';
import { unzipSync } from 'fflate';
import { idxToImageSets, isIdxLabels, looksLikeIdx, parseIdx, type IdxArray } from '../../shared/data/idx.js';
import { checkMemoryBudget, formatBytes, MEMORY_PER_FILE_BYTE } from './budget.js';
import { sniffFile } from './sniff.js';

const gunzipAsync = promisify(gunzip);

/**
 * Deflate cannot shrink data by more than about 1032:1, so a gzip trailer claiming more than this
 * many bytes per compressed byte is not the real size (a truncated file ends in compressed data,
 * not in its trailer; a crafted one lies).
 */
const MAX_GZIP_RATIO = 1032;

/**
 * Bytes a file holds once decompressed: its size, or for gzip the size its trailer records (mod
 * 4 GB) when that is possible at all. The trailer is only an estimate for the budget check
 * before loading; the inflation itself is capped by real bytes (readIdxFile).
 */
export async function uncompressedSize(path: string): Promise<number> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    const magic = new Uint8Array(2);
    await handle.read(magic, 0, 2, 0);
    if (!(magic[0] === 0x1f && magic[1] === 0x8b) || size < 18) return size;
    const trailer = Buffer.alloc(4);
    await handle.read(trailer, 0, 4, size - 4);
    return plausibleGzipSize(size, trailer.readUInt32LE(0));
  } finally {
    await handle.close();
  }
}

/**
 * Reads one IDX file, decompressing .gz into at most `maxBytes` real bytes (the memory budget's
 * share), so a false size trailer cannot make it inflate past the budget; a truncated gzip, a
 * wrong magic number or data past the budget is a DatasetError naming the file.
 */
export async function readIdxFile(path: string, display: string, maxBytes = Infinity): Promise<IdxArray> {
  return readIdxBytes(await readFile(path), display, maxBytes);
}

/** One IDX file's bytes (raw or gzip), parsed as readIdxFile does. */
async function readIdxBytes(bytes: Uint8Array, display: string, maxBytes = Infinity): Promise<IdxArray> {
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    const limit = Math.min(maxBytes, buffer.constants.MAX_LENGTH);
    try {
      bytes = await gunzipAsync(bytes, { maxOutputLength: Math.max(1, Math.floor(limit)) });
    } catch (e) {
      const error = e as NodeJS.ErrnoException;
      if (error.code === 'ERR_BUFFER_TOO_LARGE') {
        throw new DatasetError({
          code: 'too-large', file: display, expected: `data that fits the memory budget (at most ${formatBytes(limit)} once decompressed)`,
          found: 'more than that (decompressing stopped there)', detail: 'use a smaller sample of it, or raise the budget (--memory-budget MB)',
        });
      }
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
    if (sniffed.format === 'idx' || (sniffed.format === 'gzip' && IDX_NAME.test(name))) found.push(path);
  }
  return found;
}

/** Gzip files are taken as IDX by their name (the usual `…-idx3-ubyte.gz`); raw IDX by its magic. */
const IDX_NAME = /idx|ubyte/i;

/**
 * The IDX files of a zip (the browser zips a dropped folder, or the files dropped together; a
 * person may zip them too): entries with IDX magic, or gzip named like idx/ubyte, outside hidden
 * and `__MACOSX` folders. Images are never inflated here, so an image zip costs nothing.
 */
export function idxEntriesOfZip(bytes: Uint8Array, display: string): { name: string; bytes: Uint8Array }[] {
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, {
      filter: (f) => IDX_NAME.test(f.name) && !f.name.endsWith('/') && !f.name.split('/').some((part) => part.startsWith('.') || part === '__MACOSX'),
    });
  } catch (e) {
    throw new DatasetError({ code: 'bad-zip', file: display, expected: 'a complete zip archive', found: `damaged data (${(e as Error).message})` });
  }
  return Object.keys(files).sort()
    .filter((name) => looksLikeIdx(files[name]) || (files[name][0] === 0x1f && files[name][1] === 0x8b))
    .map((name) => ({ name, bytes: files[name] }));
}

/** Loads the IDX set held in a zip (2 or 4 files, as loadIdx), or null when it holds none. */
export async function loadIdxZip(path: string, display: string, budget: number): Promise<LoadedImages | null> {
  const entries = idxEntriesOfZip(await readFile(path), display);
  if (entries.length === 0) return null;
  const named = entries.map((e) => ({ ...e, display: `${display}/${e.name}` }));
  let needed = 0;
  for (const e of named) needed += gzipClaimedSize(e.bytes) * MEMORY_PER_FILE_BYTE.idx;
  checkMemoryBudget(display, needed, budget, `IDX data of ${formatBytes(needed / MEMORY_PER_FILE_BYTE.idx)}`);
  const arrays = await Promise.all(named.map((e) => readIdxBytes(e.bytes, e.display, budget / MEMORY_PER_FILE_BYTE.idx)));
  const loaded = idxSet(arrays, named.map((e) => e.name), display);
  return { ...loaded, source: path, name: basename(display).replace(/\.zip$/i, '') };
}

/** As uncompressedSize, for bytes in memory. */
function gzipClaimedSize(bytes: Uint8Array): number {
  if (!(bytes[0] === 0x1f && bytes[1] === 0x8b) || bytes.length < 18) return bytes.length;
  return plausibleGzipSize(bytes.length, new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(bytes.length - 4, true));
}

/** A gzip file's size once inflated: what its trailer claims, unless deflate could not shrink that much. */
function plausibleGzipSize(size: number, claimed: number): number {
  return claimed > size * MAX_GZIP_RATIO ? size : Math.max(size, claimed);
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
  checkIdxCount(paths.length, source);
  let needed = 0;
  for (const p of paths) needed += (await uncompressedSize(p)) * MEMORY_PER_FILE_BYTE.idx;
  checkMemoryBudget(source, needed, budget, `IDX data of ${formatBytes(needed / MEMORY_PER_FILE_BYTE.idx)}`);
  const arrays = await Promise.all(paths.map((p) => readIdxFile(p, display(p), budget / MEMORY_PER_FILE_BYTE.idx)));
  return idxSet(arrays, paths, source);
}

/** An IDX set is 2 files (images + labels) or 4 (a train and a test pair). */
function checkIdxCount(count: number, source: string): void {
  if (count === 2 || count === 4) return;
  throw new DatasetError({
    code: 'idx-set', file: source,
    expected: 'an IDX images file with its labels file (and optionally the test pair: train-… and t10k-…/test-…)',
    found: `${count} IDX file${count === 1 ? '' : 's'}`,
  });
}

/** 2 arrays (images + labels) or 4 (train and test pairs, told apart by their `names`) as a labelled image set. */
function idxSet(arrays: IdxArray[], names: string[], source: string): LoadedImages {
  checkIdxCount(arrays.length, source);
  let train: Pair;
  let test: Pair | undefined;
  if (arrays.length === 2) {
    train = pairOf(arrays, source);
  } else {
    const testArrays = arrays.filter((_, i) => isTestName(names[i]));
    const trainArrays = arrays.filter((_, i) => !isTestName(names[i]));
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

