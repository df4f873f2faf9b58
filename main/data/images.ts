/**
 * Reads image datasets: a folder with one subfolder per class of PNG/JPEG files, or a .zip of
 * such a folder. Every image is decoded (pngjs, jpeg-js), converted to grayscale or RGB, resized
 * by area averaging to size × size (default 28, stretching if the aspect differs) and stored as
 * bytes; preprocessing later scales them to [0, 1].
 *
 * The class of an image is the first folder of its path below the folders all images share
 * (so a zip holding `digits/3/a.png` gives class "3"). Hidden files, __MACOSX and files that are
 * not .png/.jpg/.jpeg are skipped (and counted in a note).
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join, relative, sep } from 'node:path';
import { unzipSync } from 'fflate';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import type { LoadedImages, LoadProgress } from '../../shared/data/dataset.js';
import { DatasetError } from '../../shared/data/errors.js';
import { imageToSample, type ImageSet, type RgbaImage } from '../../shared/data/images.js';
import { naturalCompare } from '../../shared/data/values.js';
import { checkMemoryBudget, formatBytes } from './budget.js';

export interface ImageLoadOptions {
  imageSize: number | 'original';
  channels: 'grayscale' | 'rgb';
  budget: number;
  onProgress?: (progress: LoadProgress) => void;
  signal?: AbortSignal;
}

const IMAGE_FILE = /\.(png|jpe?g)$/i;

/**
 * The most pixels one image may have (50 megapixels: 200 MB decoded as RGBA). A 389 KB PNG can
 * declare 20000×20000 pixels, 1.6 GB once decoded; its size is read from its header and refused
 * before a byte is inflated.
 */
export const MAX_IMAGE_PIXELS = 50_000_000;

/** Width and height from a PNG's IHDR chunk or a JPEG's start-of-frame marker; null when not found. */
export function imageDimensions(bytes: Uint8Array): { width: number; height: number } | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes[0] === 0x89 && bytes[1] === 0x50) {
    // 8-byte signature, then the IHDR chunk: length (4), "IHDR" (4), width (4), height (4).
    return bytes.length >= 24 ? { width: view.getUint32(16), height: view.getUint32(20) } : null;
  }
  // JPEG: walk the markers to the first SOFn (C0–CF but C4, C8, CC): length, precision, height, width.
  for (let at = 2; at + 9 <= bytes.length;) {
    if (bytes[at] !== 0xff) return null;
    const marker = bytes[at + 1];
    if (marker === 0xff) { at++; continue; }
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { height: view.getUint16(at + 5), width: view.getUint16(at + 7) };
    }
    at += 2 + view.getUint16(at + 2);
  }
  return null;
}

/** Decodes PNG or JPEG bytes (told apart by their signature) into RGBA, refusing images too big to decode safely. */
export function decodeImage(bytes: Uint8Array, display: string): RgbaImage {
  const isPng = bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47;
  const isJpeg = bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
  if (!isPng && !isJpeg) {
    throw new DatasetError({ code: 'bad-image', file: display, expected: 'a PNG or JPEG image', found: bytes.length === 0 ? 'an empty file' : 'neither (the file does not start like one)' });
  }
  const size = imageDimensions(bytes);
  if (size && size.width * size.height > MAX_IMAGE_PIXELS) {
    throw new DatasetError({
      code: 'too-large', file: display, expected: `an image of at most ${MAX_IMAGE_PIXELS / 1e6} megapixels`,
      found: `${size.width}×${size.height} pixels (${formatBytes(size.width * size.height * 4)} once decoded)`,
      detail: 'scale the image down first; the studio resizes images to a few dozen pixels anyway',
    });
  }
  try {
    if (isPng) {
      const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      return { width: png.width, height: png.height, data: png.data };
    }
    return jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, tolerantDecoding: false, maxMemoryUsageInMB: 512 });
  } catch (e) {
    throw new DatasetError({
      code: 'bad-image', file: display,
      expected: `a readable ${isPng ? 'PNG' : 'JPEG'} image`, found: `damaged data (${String((e as Error).message ?? e).split('\n')[0]})`,
    });
  }
}

/** An image file found in a folder or zip, before decoding. */
interface ImageEntry {
  /** Path below the dataset root, with '/' separators. */
  path: string;
  read: () => Promise<Uint8Array>;
}

/** Loads a folder of class subfolders. */
export async function loadImageFolder(folder: string, display: string, options: ImageLoadOptions): Promise<LoadedImages> {
  const entries: ImageEntry[] = [];
  let skipped = 0;
  let bytes = 0;
  const walk = async (dir: string) => {
    for (const name of (await readdir(dir)).sort(naturalCompare)) {
      if (name.startsWith('.') || name === '__MACOSX') continue;
      const path = join(dir, name);
      const info = await stat(path);
      if (info.isDirectory()) await walk(path);
      else if (IMAGE_FILE.test(name)) {
        entries.push({ path: relative(folder, path).split(sep).join('/'), read: () => readFile(path) });
        bytes += info.size;
      } else skipped++;
    }
  };
  await walk(folder);
  const loaded = await loadEntries(entries, display, options, 'image-folder', bytes);
  if (skipped > 0) loaded.notes = [`skipped ${skipped} file${skipped === 1 ? '' : 's'} that are not PNG or JPEG images`];
  return loaded;
}

/** Loads a .zip holding a folder of class subfolders. */
export async function loadImageZip(path: string, display: string, options: ImageLoadOptions): Promise<LoadedImages> {
  const size = (await stat(path)).size;
  checkMemoryBudget(display, size * 3, options.budget, `a ${formatBytes(size)} zip`);
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(await readFile(path), {
      filter: (f) => IMAGE_FILE.test(f.name) && !f.name.split('/').some((part) => part.startsWith('.') || part === '__MACOSX'),
    });
  } catch (e) {
    throw new DatasetError({ code: 'bad-zip', file: display, expected: 'a complete zip archive', found: `damaged data (${(e as Error).message})` });
  }
  const names = Object.keys(files).sort(naturalCompare);
  const entries = names.map((name) => ({ path: name, read: async () => files[name] }));
  return loadEntries(entries, display, options, 'image-zip', size);
}

/** Decodes, resizes and labels the images. */
async function loadEntries(entries: ImageEntry[], display: string, options: ImageLoadOptions, format: 'image-folder' | 'image-zip', bytes: number): Promise<LoadedImages> {
  if (entries.length === 0) {
    throw new DatasetError({ code: 'no-images', file: display, expected: 'PNG or JPEG images in one subfolder per class', found: 'no images' });
  }
  const classOf = classNames(entries, display);
  const classes = [...new Set(classOf)].sort(naturalCompare);
  const channels = options.channels === 'rgb' ? 3 : 1;
  const first = options.imageSize === 'original' ? decodeImage(await entries[0].read(), join(display, entries[0].path)) : null;
  const width = first ? first.width : (options.imageSize as number);
  const height = first ? first.height : (options.imageSize as number);
  const size = width * height * channels;
  // Bytes now, floats (4 per pixel) once prepared.
  checkMemoryBudget(display, entries.length * size * 5 + bytes, options.budget, `${entries.length} images of ${width}×${height}`);

  const pixels = new Uint8Array(entries.length * size);
  const labels = new Int32Array(entries.length);
  const names: string[] = [];
  const classIndex = new Map(classes.map((c, i) => [c, i]));
  // Images of another size than the one chosen: counted for the resize notice, with one example.
  let resized = 0, example = '';
  for (let i = 0; i < entries.length; i++) {
    options.signal?.throwIfAborted();
    const name = join(display, entries[i].path);
    const image = i === 0 && first ? first : decodeImage(await entries[i].read(), name);
    if (options.imageSize === 'original' && (image.width !== width || image.height !== height)) {
      throw new DatasetError({
        code: 'mixed-image-size', file: name,
        expected: `${width}×${height} pixels like ${join(display, entries[0].path)}`, found: `${image.width}×${image.height}`,
        detail: 'choose an image size to resize them all to',
      });
    }
    if (image.width !== width || image.height !== height) {
      if (resized++ === 0) example = `${image.width}×${image.height}`;
    }
    imageToSample(image, width, height, channels, pixels, i * size);
    labels[i] = classIndex.get(classOf[i])!;
    names.push(name);
    if (i % 64 === 63 || i === entries.length - 1) options.onProgress?.({ stage: 'decoding', done: i + 1, total: entries.length });
  }
  const train: ImageSet = { width, height, channels, count: entries.length, pixels, labels, classes, names };
  const notes = resized > 0 ? [`${resized} of ${entries.length} images (e.g. ${example}) were resized to ${width}×${height}`] : [];
  return { kind: 'images', source: display, name: basename(display), format, train, ...(notes.length ? { notes } : {}) };
}

/**
 * Per entry, its class: the first folder of its path, after dropping wrapper folders that every
 * entry shares and that still leave a class folder below them (`digits/3/a.png` → "3").
 */
function classNames(entries: ImageEntry[], display: string): string[] {
  const parts = entries.map((e) => e.path.split('/'));
  let shared = 0;
  while (parts.every((p) => p.length > shared + 2 && p[shared] === parts[0][shared])) shared++;
  return parts.map((p, i) => {
    if (p.length <= shared + 1) {
      throw new DatasetError({
        code: 'no-images', file: join(display, entries[i].path),
        expected: 'images inside one subfolder per class (e.g. cats/1.png, dogs/1.png)', found: 'an image outside any class folder',
      });
    }
    return p[shared];
  });
}
