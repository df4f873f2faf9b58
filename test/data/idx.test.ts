/** IDX (MNIST-style) files: raw and gzip, pairs and the four-file folder, and each way they go wrong. */
import { gzipSync } from 'node:zlib';
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { resolveOptions } from '../../shared/data/options.js';
import { prepareLoaded } from '../../shared/data/prepare.js';
import { inspectDataset, loadDataset } from '../../main/data/index.js';
import { datasetError, tempFolder } from './helpers.js';

const files = tempFolder();

/** An IDX file: magic 00 00 type ndims, big-endian dimensions, then the bytes. */
function idx(dims: number[], data: Uint8Array, type = 0x08): Uint8Array {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header[2] = type;
  header[3] = dims.length;
  dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([header, data]);
}

/** n 4×3 images whose pixels encode their index, and labels cycling through `classes`. */
function imagesAndLabels(n: number, classes: number[]): { images: Uint8Array; labels: Uint8Array } {
  const pixels = Uint8Array.from({ length: n * 12 }, (_, i) => (Math.floor(i / 12) * 10 + (i % 12)) % 256);
  return { images: idx([n, 4, 3], pixels), labels: idx([n], Uint8Array.from({ length: n }, (_, i) => classes[i % classes.length])) };
}

describe('IDX datasets', () => {
  it('an images file with its labels file (raw or .gz) gives labelled images', async () => {
    const { images, labels } = imagesAndLabels(20, [3, 7]);
    const imgPath = files.write('pair/imgs-idx3-ubyte.gz', gzipSync(images));
    const lblPath = files.write('pair/lbls-idx1-ubyte', labels);
    const loaded = await loadDataset([lblPath, imgPath], resolveOptions());
    if (loaded.kind !== 'images') throw new Error('expected images');
    expect(loaded.format).toBe('idx');
    expect(loaded.train).toMatchObject({ width: 3, height: 4, channels: 1, count: 20, classes: ['3', '7'] });
    expect(Array.from(loaded.train.labels.subarray(0, 4))).toEqual([0, 1, 0, 1]);
    expect(Array.from(loaded.train.pixels.subarray(12, 15))).toEqual([10, 11, 12]);
    expect(loaded.test).toBeUndefined();
  });

  it('a folder with the usual four files keeps its own test set', async () => {
    const train = imagesAndLabels(30, [0, 1, 2]);
    const test = imagesAndLabels(9, [0, 1, 2]);
    files.write('mnist/train-images-idx3-ubyte.gz', gzipSync(train.images));
    files.write('mnist/train-labels-idx1-ubyte.gz', gzipSync(train.labels));
    files.write('mnist/t10k-images-idx3-ubyte', test.images);
    files.write('mnist/t10k-labels-idx1-ubyte', test.labels);
    files.write('mnist/README.txt', 'not idx');
    const loaded = await loadDataset(files.path('mnist'), resolveOptions());
    if (loaded.kind !== 'images') throw new Error('expected images');
    expect(loaded.train.count).toBe(30);
    expect(loaded.test!.count).toBe(9);
    const prepared = prepareLoaded(loaded, resolveOptions());
    expect(prepared.test.count).toBe(9);
    expect(prepared.train.count + prepared.validation.count).toBe(30);
    expect(prepared.inputSize).toBe(12);
    expect(prepared.inputShape).toEqual([1, 4, 3]); // [C, H, W]
    expect(prepared.test.x[1]).toBeCloseTo(1 / 255, 6); // the test set's own pixels, scaled to [0, 1]
    const summary = await inspectDataset(files.path('mnist'));
    expect(summary).toMatchObject({ format: 'idx', rows: 30, testRows: 9, task: 'classification', classes: ['0', '1', '2'] });
    expect(summary.images!.thumbnails.length).toBe(9);
  });
});

describe('IDX: validation beside the file\'s own test set', () => {
  it('60,000 training images keep 5,000 for validation (a tenth, capped), and the run summary says so', async () => {
    const train = imagesAndLabels(60_000, [0, 1, 2, 3]);
    const test = imagesAndLabels(40, [0, 1, 2, 3]);
    files.write('big/train-images-idx3-ubyte', train.images);
    files.write('big/train-labels-idx1-ubyte', train.labels);
    files.write('big/t10k-images-idx3-ubyte', test.images);
    files.write('big/t10k-labels-idx1-ubyte', test.labels);
    const loaded = await loadDataset(files.path('big'), resolveOptions());
    const prepared = prepareLoaded(loaded, resolveOptions());
    expect(prepared.validation.count).toBe(5000);
    expect(prepared.train.count).toBe(55_000);
    expect(prepared.test.count).toBe(40);
    expect(prepared.notes).toContain('validation: 5,000 of the 60,000 training images (a tenth, at most 5,000, as the data has its own test set)');
    // A split the person gives is theirs: 0.15 of train + validation.
    const given = prepareLoaded(loaded, resolveOptions({ split: { train: 0.85, validation: 0.15, test: 0 } }));
    expect(given.validation.count).toBe(9000);
  });
});

describe('IDX: bad input', () => {
  it('a wrong magic number', async () => {
    const { labels } = imagesAndLabels(4, [0, 1]);
    const bad = files.write('bad/images-idx3-ubyte', Uint8Array.from([0x12, 0x34, 0x08, 0x03, 0, 0, 0, 1]));
    const lbl = files.write('bad/labels-idx1-ubyte', labels);
    const e = await datasetError(loadDataset([bad, lbl], resolveOptions()));
    expect(e.code).toBe('idx-magic');
    expect(e.message).toBe(`${bad}: expected an IDX file starting with two zero bytes, a type byte (0x08 to 0x0E) and a dimension count (e.g. 0x00000803 for images, 0x00000801 for labels), found magic number 0x12340803`);
  });

  it('images and labels that do not match in count', async () => {
    const a = imagesAndLabels(10, [0, 1]);
    const b = imagesAndLabels(9, [0, 1]);
    const img = files.write('count/images-idx3-ubyte', a.images);
    const lbl = files.write('count/labels-idx1-ubyte', b.labels);
    const e = await datasetError(loadDataset([img, lbl], resolveOptions()));
    expect(e.code).toBe('idx-count-mismatch');
    expect(e.message).toBe(`${lbl}: expected one label per image (${img} has 10 images), found 9 labels`);
  });

  it('a truncated gzip and a truncated raw file', async () => {
    const { images, labels } = imagesAndLabels(50, [0, 1]);
    const gz = gzipSync(images);
    const cut = files.write('trunc/images-idx3-ubyte.gz', gz.subarray(0, gz.length - 30));
    const lbl = files.write('trunc/labels-idx1-ubyte', labels);
    const e = await datasetError(loadDataset([cut, lbl], resolveOptions()));
    expect(e.code).toBe('gzip-truncated');
    expect(e.message).toBe(`${cut}: expected a complete gzip file, found a truncated one (it ends before the compressed data does; download it again)`);
    const raw = files.write('trunc/raw-idx3-ubyte', images.subarray(0, 100));
    const r = await datasetError(loadDataset([raw, lbl], resolveOptions()));
    expect(r.code).toBe('idx-truncated');
    expect(r.message).toBe(`${raw}: expected 600 bytes of unsigned byte data for dimensions 50×4×3, found 84 (the file is cut short)`);
  });

  it('one IDX file alone', async () => {
    const { images } = imagesAndLabels(4, [0, 1]);
    const e = await datasetError(loadDataset(files.write('alone/x-idx3-ubyte', images), resolveOptions()));
    expect(e.code).toBe('idx-set');
    expect(e.message).toMatch(/expected the IDX images file together with its labels file/);
  });

  it('a zip of a folder of IDX files (what a browser makes of a dropped folder) is IDX, with its test set', async () => {
    const train = imagesAndLabels(30, [0, 1, 2]);
    const test = imagesAndLabels(9, [0, 1, 2]);
    // Stored, not deflated, inside the dropped folder's name: as renderer/src/lib/files.ts zips a drop.
    const zip = zipSync({
      'fashion/train-images-idx3-ubyte.gz': gzipSync(train.images),
      'fashion/train-labels-idx1-ubyte.gz': gzipSync(train.labels),
      'fashion/t10k-images-idx3-ubyte.gz': gzipSync(test.images),
      'fashion/t10k-labels-idx1-ubyte.gz': gzipSync(test.labels),
      'fashion/.DS_Store': new Uint8Array([0, 0, 0, 1]),
    }, { level: 0 });
    const path = files.write('zipped/fashion.zip', zip);
    const summary = await inspectDataset(path);
    expect(summary).toMatchObject({ format: 'idx', rows: 30, testRows: 9, task: 'classification', classes: ['0', '1', '2'] });
    const loaded = await loadDataset(path, resolveOptions());
    if (loaded.kind !== 'images') throw new Error('expected images');
    expect(loaded.name).toBe('fashion');
    expect(Array.from(loaded.test!.pixels.subarray(12, 15))).toEqual([10, 11, 12]);
  });

  it('a zip of the two loose files of a pair (several files dropped together) is IDX', async () => {
    const { images, labels } = imagesAndLabels(20, [3, 7]);
    const path = files.write('zipped/pair.zip', zipSync({ 'images-idx3-ubyte': images, 'labels-idx1-ubyte.gz': gzipSync(labels) }, { level: 0 }));
    const loaded = await loadDataset(path, resolveOptions());
    if (loaded.kind !== 'images') throw new Error('expected images');
    expect(loaded).toMatchObject({ format: 'idx', train: { count: 20, width: 3, height: 4, classes: ['3', '7'] } });
  });

  it('a zip with an images file but no labels names what it holds', async () => {
    const { images } = imagesAndLabels(4, [0, 1]);
    const path = files.write('zipped/alone.zip', zipSync({ 'd/x-idx3-ubyte': images }, { level: 0 }));
    const e = await datasetError(loadDataset(path, resolveOptions()));
    expect(e.code).toBe('idx-set');
    expect(e.message).toBe(`${path}: expected an IDX images file with its labels file (and optionally the test pair: train-… and t10k-…/test-…), found 1 IDX file`);
  });
});
