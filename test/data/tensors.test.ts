/**
 * Images as tensors: every image source gives an input shape [C, H, W] and x rows in C, H, W
 * order; pixel-column CSVs read as images with an image shape; Fashion-MNIST's t10k files are its
 * test split. Real files written here (PNG, zip, IDX, CSV); the real Fashion-MNIST when installed.
 */
import { existsSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { zipSync } from 'fflate';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { resolveOptions } from '../../shared/data/options.js';
import { prepareLoaded } from '../../shared/data/prepare.js';
import { applyImagePreprocessing, type ImageState } from '../../shared/data/preprocess.js';
import { loadDataset, prepareDataset } from '../../main/data/index.js';
import { datasetError, tempFolder } from './helpers.js';

const files = tempFolder();

/** A 2×2 RGB PNG whose pixel p (row-major) has red 10+p, green 100+p, blue 200+p. */
function rgbPng(shift = 0): Uint8Array {
  const p = new PNG({ width: 2, height: 2 });
  for (let i = 0; i < 4; i++) p.data.set([10 + i + shift, 100 + i + shift, 200 + i + shift, 255], i * 4);
  return PNG.sync.write(p);
}

/** The CHW row of rgbPng(shift) scaled to [0, 1]: all reds, then all greens, then all blues. */
function chwRow(shift = 0): number[] {
  return [10, 11, 12, 13, 100, 101, 102, 103, 200, 201, 202, 203].map((v) => (v + shift) / 255);
}

function expectRow(x: Float32Array, row: number, expected: number[]): void {
  const got = Array.from(x.subarray(row * expected.length, (row + 1) * expected.length));
  got.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 6));
}

describe('images as [C, H, W] tensors', () => {
  it('an RGB image folder gives shape [3, H, W] and channel-major rows, and the Predict path agrees', async () => {
    for (const cls of ['a', 'b']) for (let i = 0; i < 3; i++) files.write(`rgb/${cls}/${i}.png`, rgbPng());
    const prepared = await prepareDataset(files.path('rgb'), { imageSize: 'original', channels: 'rgb', split: { train: 1, validation: 0, test: 0 } });
    expect(prepared.inputShape).toEqual([3, 2, 2]);
    expect(prepared.inputSize).toBe(12);
    expectRow(prepared.train.x, 0, chwRow());
    // A drawn or dropped image goes through applyImagePreprocessing: the same order as training.
    const state = prepared.state as ImageState;
    expect(state.layout).toBe('chw');
    const decoded = PNG.sync.read(Buffer.from(rgbPng(5)));
    expectRow(applyImagePreprocessing(state, [{ width: 2, height: 2, data: decoded.data }]), 0, chwRow(5));
  });

  it('a state saved before image tensors (no layout) keeps its channels-last order', () => {
    const old: ImageState = { version: 1, kind: 'image', width: 2, height: 2, channels: 3, normalize: 'none', offset: 0, scale: 1, inputSize: 12, target: { task: 'classification', column: 'label', classes: ['a', 'b'] } };
    const decoded = PNG.sync.read(Buffer.from(rgbPng()));
    expectRow(applyImagePreprocessing(old, [{ width: 2, height: 2, data: decoded.data }]), 0,
      [10, 100, 200, 11, 101, 201, 12, 102, 202, 13, 103, 203].map((v) => v / 255));
  });

  it('a zip of grayscale images gives [1, size, size]', async () => {
    const gray = (v: number) => {
      const p = new PNG({ width: 3, height: 3 });
      for (let i = 0; i < 9; i++) p.data.set([v, v, v, 255], i * 4);
      return PNG.sync.write(p);
    };
    const zip = zipSync({ 'z/dark/1.png': gray(0), 'z/dark/2.png': gray(10), 'z/light/1.png': gray(240), 'z/light/2.png': gray(250) });
    const prepared = await prepareDataset(files.write('z.zip', zip), { imageSize: 6 });
    expect(prepared.inputShape).toEqual([1, 6, 6]);
    expect(prepared.train.x.length).toBe(prepared.train.count * 36);
  });

  it('a table gives shape [features]', async () => {
    const csv = files.write('t.csv', 'a,b,y\n1,2,x\n3,4,y\n5,6,x\n7,8,y\n');
    expect((await prepareDataset(csv, { split: { train: 1, validation: 0, test: 0 } })).inputShape).toEqual([2]);
  });
});

describe('a CSV of pixel columns read as images (--image-shape)', () => {
  // Kaggle's layout: label first, then pixel0 … pixelN in C, H, W order.
  const header = ['label', ...Array.from({ length: 6 }, (_, i) => `pixel${i}`)].join(',');
  const rows = ['7,0,1,2,3,4,5', '3,250,251,252,253,254,255', '7,9,8,7,6,5,4', '3,1,1,1,1,1,1'];

  it('reads label,pixel0… rows as [C, H, W] images whose x rows are the CSV values / 255', async () => {
    const csv = files.write('kaggle.csv', [header, ...rows].join('\n') + '\n');
    const prepared = await prepareDataset(csv, { imageShape: [3, 1, 2], split: { train: 1, validation: 0, test: 0 }, stratify: false });
    expect(prepared.inputShape).toEqual([3, 1, 2]);
    expect(prepared.classes).toEqual(['3', '7']);
    // The CSV is already channel-major, so each x row is its pixel columns unchanged (scaled).
    const byRow = new Map(Array.from(prepared.train.rows, (r, k) => [r, k]));
    for (let r = 0; r < rows.length; r++) {
      const values = rows[r].split(',').slice(1).map((v) => Number(v) / 255);
      expectRow(prepared.train.x, byRow.get(r)!, values);
      expect(prepared.classes![prepared.train.y[byRow.get(r)!]]).toBe(rows[r].split(',')[0]);
    }
  });

  it('a column count that does not match the shape names the file, the shape and both counts', async () => {
    const csv = files.write('short.csv', [header, ...rows].join('\n') + '\n');
    const e = await datasetError(loadDataset(csv, resolveOptions({ imageShape: [1, 28, 28] })));
    expect(e.message).toBe(`${csv}: expected 784 pixel columns for image shape 1×28×28 beside the label column 'label', found 6 other columns`);
  });

  it('a pixel that is not a whole value 0–255 names its line and column', async () => {
    const csv = files.write('bad.csv', [header, rows[0], '3,1,2,300,4,5,6'].join('\n') + '\n');
    const e = await datasetError(loadDataset(csv, resolveOptions({ imageShape: [1, 2, 3] })));
    expect(e.message).toBe(`${csv}, line 3, column 'pixel2': expected a whole pixel value from 0 to 255, found '300'`);
  });

  it('a text in the pixels is refused the same way', async () => {
    const csv = files.write('text.csv', [header, rows[0], '3,1,2,x,4,5,6'].join('\n') + '\n');
    const e = await datasetError(loadDataset(csv, resolveOptions({ imageShape: [1, 2, 3] })));
    expect(e.message).toBe(`${csv}, line 3, column 'pixel2': expected a whole pixel value from 0 to 255, found 'x'`);
  });
});

const FASHION = '/usr/share/datasets/fashion-mnist';

describe('the real Fashion-MNIST IDX folder', () => {
  const present = existsSync(`${FASHION}/t10k-labels-idx1-ubyte.gz`);
  if (!present) console.log(`skipped: ${FASHION} is not installed (Debian package dataset-fashion-mnist)`);
  it.runIf(present)('uses the published t10k files as the test split, in order, and the 60,000 train images for train + validation', async () => {
    const prepared = await prepareDataset(FASHION, {});
    expect(prepared.inputShape).toEqual([1, 28, 28]);
    expect(prepared.test.count).toBe(10_000);
    expect(prepared.train.count + prepared.validation.count).toBe(60_000);
    // The t10k labels as the file holds them (8-byte header, then one byte per image).
    const t10k = gunzipSync(readFileSync(`${FASHION}/t10k-labels-idx1-ubyte.gz`)).subarray(8);
    expect(Array.from(prepared.test.y)).toEqual(Array.from(t10k)); // classes '0'…'9' are indices 0…9
    const images = gunzipSync(readFileSync(`${FASHION}/t10k-images-idx3-ubyte.gz`)).subarray(16);
    expectRow(prepared.test.x, 9_999, Array.from(images.subarray(9_999 * 784, 10_000 * 784), (b) => b / 255));
  }, 60_000);
});
