/** Image folders and zips: decoding PNG/JPEG, resizing, gray/RGB, class folders, thumbnails, and bad images. */
import { zipSync } from 'fflate';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { resizeArea, rgbaToChannels } from '../../shared/data/images.js';
import { resolveOptions } from '../../shared/data/options.js';
import { prepareLoaded } from '../../shared/data/prepare.js';
import { applyImagePreprocessing } from '../../shared/data/preprocess.js';
import { inspectDataset, loadDataset } from '../../main/data/index.js';
import { datasetError, tempFolder } from './helpers.js';

const files = tempFolder();

/** A w×h RGBA image filled by `color(x, y)`. */
function rgba(w: number, h: number, color: (x: number, y: number) => [number, number, number, number?]): { width: number; height: number; data: Uint8Array } {
  const data = new Uint8Array(w * h * 4);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const [r, g, b, a = 255] = color(x, y);
      data.set([r, g, b, a], (y * w + x) * 4);
    }
  }
  return { width: w, height: h, data };
}

function png(image: ReturnType<typeof rgba>): Uint8Array {
  const p = new PNG({ width: image.width, height: image.height });
  p.data = Buffer.from(image.data);
  return PNG.sync.write(p);
}

function jpg(image: ReturnType<typeof rgba>): Uint8Array {
  return jpeg.encode({ width: image.width, height: image.height, data: image.data }, 95).data;
}

/** Dark squares (class "dark") as PNG and light ones ("light") as JPEG, in various sizes. */
function writeShapes(root: string): void {
  for (let i = 0; i < 4; i++) {
    files.write(`${root}/dark/d${i}.png`, png(rgba(56, 56, () => [20, 20, 20])));
    files.write(`${root}/light/l${i}.jpg`, jpg(rgba(40 + i * 8, 30, () => [230, 230, 230])));
  }
  files.write(`${root}/light/notes.txt`, 'not an image');
}

describe('pixel maths', () => {
  it('area resizing averages what each output pixel covers', () => {
    // 4×2 gray → 2×1: each output pixel is the mean of a 2×2 block.
    const out = resizeArea([0, 10, 20, 30, 40, 50, 60, 70], 4, 2, 1, 2, 1);
    expect(Array.from(out)).toEqual([25, 45]);
    // 3 → 2 pixels: 1.5 source pixels each, the middle one shared half and half.
    expect(Array.from(resizeArea([0, 30, 60], 3, 1, 1, 2, 1))).toEqual([10, 50]);
  });

  it('RGBA → gray by BT.601 luma, transparency over white', () => {
    const px = rgbaToChannels({ width: 3, height: 1, data: Uint8Array.from([255, 0, 0, 255, 0, 0, 0, 0, 0, 0, 255, 255]) }, 1);
    expect(px[0]).toBeCloseTo(0.299 * 255, 3);
    expect(px[1]).toBeCloseTo(255, 3);
    expect(px[2]).toBeCloseTo(0.114 * 255, 3);
  });
});

describe('image folders and zips', () => {
  it('one subfolder per class of PNG/JPEG → resized 28×28 gray images with labels and thumbnails', async () => {
    writeShapes('shapes');
    const loaded = await loadDataset(files.path('shapes'), resolveOptions());
    if (loaded.kind !== 'images') throw new Error('expected images');
    expect(loaded.format).toBe('image-folder');
    expect(loaded.train).toMatchObject({ width: 28, height: 28, channels: 1, count: 8, classes: ['dark', 'light'] });
    expect(loaded.notes).toEqual(['skipped 1 file that are not PNG or JPEG images']);
    const px = loaded.train.pixels;
    expect(px[0]).toBe(20);
    expect(Math.abs(px[7 * 784 + 300] - 230)).toBeLessThanOrEqual(2); // JPEG is lossy
    const summary = await inspectDataset(files.path('shapes'));
    expect(summary).toMatchObject({ rows: 8, task: 'classification', classes: ['dark', 'light'], classHistogram: [{ name: 'dark', count: 4 }, { name: 'light', count: 4 }] });
    expect(summary.images!.thumbnails.map((t) => t.label)).toEqual(['dark', 'dark', 'dark', 'light', 'light', 'light']);
    expect(summary.images!.thumbnails[0].pixels.length).toBe(784);
    expect(summary.warnings).toEqual(['skipped 1 file that are not PNG or JPEG images']);
  });

  it('a chosen size and RGB; prepared pixels lie in [0, 1]; the saved state resizes a new image the same way', async () => {
    writeShapes('rgb');
    const options = resolveOptions({ imageSize: 8, channels: 'rgb', split: { train: 0.5, validation: 0.25, test: 0.25 } });
    const loaded = await loadDataset(files.path('rgb'), options);
    if (loaded.kind !== 'images') throw new Error('expected images');
    expect(loaded.train).toMatchObject({ width: 8, height: 8, channels: 3 });
    const p = prepareLoaded(loaded, options);
    expect(p.inputSize).toBe(192);
    expect(p.train.count).toBe(4);
    expect(Math.max(...p.train.x)).toBeLessThanOrEqual(1);
    expect(Math.min(...p.train.x)).toBeGreaterThanOrEqual(0);
    if (p.state.kind !== 'image') throw new Error('expected an image state');
    const x = applyImagePreprocessing(p.state, [rgba(56, 56, () => [20, 20, 20])]);
    expect(x.length).toBe(192);
    expect(x[0]).toBeCloseTo(20 / 255, 6);
  });

  it('a .zip of the folder (with a wrapper folder) reads the same classes', async () => {
    const zip = zipSync({
      'animals/cat/1.png': png(rgba(10, 10, () => [0, 0, 0])),
      'animals/cat/2.png': png(rgba(12, 10, () => [10, 0, 0])),
      'animals/dog/1.jpg': jpg(rgba(16, 16, () => [200, 200, 200])),
      'animals/dog/2.jpg': jpg(rgba(16, 16, () => [250, 250, 250])),
      '__MACOSX/animals/cat/._1.png': new Uint8Array([1, 2, 3]),
    });
    const loaded = await loadDataset(files.write('animals.zip', zip), resolveOptions({ imageSize: 4 }));
    if (loaded.kind !== 'images') throw new Error('expected images');
    expect(loaded.format).toBe('image-zip');
    expect(loaded.train).toMatchObject({ count: 4, classes: ['cat', 'dog'], width: 4 });
  });
});

describe('images: bad input', () => {
  it('an unreadable image names the file', async () => {
    files.write('broken/a/1.png', png(rgba(4, 4, () => [0, 0, 0])));
    files.write('broken/b/1.png', png(rgba(4, 4, () => [9, 9, 9])));
    const bad = files.write('broken/b/2.png', png(rgba(4, 4, () => [0, 0, 0])).subarray(0, 40));
    const e = await datasetError(loadDataset(files.path('broken'), resolveOptions()));
    expect(e.code).toBe('bad-image');
    expect(e.file).toBe(bad);
    expect(e.message).toMatch(/broken\/b\/2\.png: expected a readable PNG image, found damaged data \(.+\)$/);
    files.write('junk/a/1.png', 'hello');
    files.write('junk/b/1.png', png(rgba(4, 4, () => [9, 9, 9])));
    expect((await datasetError(loadDataset(files.path('junk'), resolveOptions()))).message).toMatch(/junk\/a\/1\.png: expected a PNG or JPEG image, found neither/);
  });

  it('mixed sizes are an error when keeping the original size (and fine when resizing)', async () => {
    files.write('mixed/a/1.png', png(rgba(4, 4, () => [0, 0, 0])));
    const odd = files.write('mixed/b/1.png', png(rgba(5, 4, () => [9, 9, 9])));
    const e = await datasetError(loadDataset(files.path('mixed'), resolveOptions({ imageSize: 'original' })));
    expect(e.code).toBe('mixed-image-size');
    expect(e.message).toBe(`${odd}: expected 4×4 pixels like ${files.path('mixed/a/1.png')}, found 5×4; choose an image size to resize them all to`);
    const resized = await loadDataset(files.path('mixed'), resolveOptions());
    expect(resized.kind === 'images' && resized.train.count).toBe(2);
  });

  it('images outside class folders, no images, a damaged zip, a single image, too large for the budget', async () => {
    files.write('flat/1.png', png(rgba(4, 4, () => [0, 0, 0])));
    expect((await datasetError(loadDataset(files.path('flat'), resolveOptions()))).message).toMatch(/flat\/1\.png: expected images inside one subfolder per class \(e\.g\. cats\/1\.png, dogs\/1\.png\), found an image outside any class folder/);
    files.write('nothing/a/readme.md', '# nothing here');
    expect((await datasetError(loadDataset(files.path('nothing'), resolveOptions()))).code).toBe('no-images');
    const zip = zipSync({ 'a/1.png': png(rgba(4, 4, () => [0, 0, 0])), 'b/1.png': png(rgba(4, 4, () => [1, 1, 1])) });
    const cut = files.write('cut.zip', zip.subarray(0, zip.length - 20));
    expect((await datasetError(loadDataset(cut, resolveOptions()))).code).toBe('bad-zip');
    expect((await datasetError(loadDataset(files.path('flat/1.png'), resolveOptions()))).message).toMatch(/expected a folder \(or zip\) with one subfolder of images per class, found a single image/);
    writeShapes('budget');
    const big = await datasetError(loadDataset(files.path('budget'), resolveOptions({ imageSize: 512 }), { memoryBudgetBytes: 1 << 20 }));
    expect(big.code).toBe('too-large');
    expect(big.message).toMatch(/budget: expected a dataset that fits the memory budget of 1\.0 MB, found 8 images of 512×512 that needs about/);
  });
});
