/**
 * The CLI on image data: train on an IDX folder (its t10k files are the test split), then predict
 * the same images given as IDX, a pixel-column CSV (labelled or not), a PNG folder and a zip —
 * one row per sample, in order, the same probabilities whatever the format. Real files and the
 * real worker processes.
 */
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync, zipSync } from 'fflate';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Random } from '../../shared/nn/random.js';
import { nnStudio } from './run.js';

const folder = mkdtempSync(join(tmpdir(), 'nn-studio-images-'));
const idxFolder = join(folder, 'shapes');
const project = join(folder, 'shapes.nnstudio');
const SIDE = 6;
const CLASSES = 3;

/** An IDX file: magic 00 00 08 ndims, big-endian dimensions, then the bytes. */
function idx(dims: number[], data: Uint8Array): Buffer {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header[2] = 0x08;
  header[3] = dims.length;
  dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([header, data]);
}

/** n 6×6 images of class i % 3: a bright 2-row band at rows 2k…2k+1 over seeded noise. */
function images(n: number, seed: number): { pixels: Uint8Array; labels: Uint8Array } {
  const rng = new Random(seed);
  const pixels = new Uint8Array(n * SIDE * SIDE);
  const labels = Uint8Array.from({ length: n }, (_, i) => i % CLASSES);
  for (let i = 0; i < n; i++) {
    for (let p = 0; p < SIDE * SIDE; p++) {
      const row = Math.floor(p / SIDE);
      pixels[i * SIDE * SIDE + p] = Math.floor(row / 2) === labels[i] ? 200 + rng.int(56) : rng.int(60);
    }
  }
  return { pixels, labels };
}

function png(pixels: Uint8Array): Buffer {
  const p = new PNG({ width: SIDE, height: SIDE });
  pixels.forEach((v, i) => p.data.set([v, v, v, 255], i * 4));
  return PNG.sync.write(p);
}

const test = images(9, 2);
const testImage = (i: number) => test.pixels.subarray(i * SIDE * SIDE, (i + 1) * SIDE * SIDE);

/** The predictions CSV as rows of fields (no quoting needed here). */
function csvRows(text: string): string[][] {
  return text.trim().split('\n').map((l) => l.split(','));
}

beforeAll(() => {
  const train = images(60, 1);
  mkdirSync(idxFolder, { recursive: true });
  writeFileSync(join(idxFolder, 'train-images-idx3-ubyte'), idx([60, SIDE, SIDE], train.pixels));
  writeFileSync(join(idxFolder, 'train-labels-idx1-ubyte'), idx([60], train.labels));
  writeFileSync(join(idxFolder, 't10k-images-idx3-ubyte'), idx([9, SIDE, SIDE], test.pixels));
  writeFileSync(join(idxFolder, 't10k-labels-idx1-ubyte'), idx([9], test.labels));
  const trained = nnStudio(['train', idxFolder, '--layers', '16:relu', '--epochs', '40', '--seed', '3', '--out', project, '--json']);
  expect(trained.stderr).toBe('');
  expect(trained.code).toBe(0);
  const done = JSON.parse(trained.stdout.trim().split('\n').at(-1)!);
  // The t10k pair is the test split, as published.
  expect(done.metrics.test.rows).toBe(9);
  expect(done.metrics.test.accuracy).toBe(1);
  // The project file keeps the input shape [C, H, W] with the run's data facts.
  const saved = JSON.parse(new TextDecoder().decode(unzipSync(readFileSync(project))['project.json']));
  expect(saved.runs[0].data.inputShape).toEqual([1, SIDE, SIDE]);
  expect(saved.runs[0].outcome.preprocessing).toMatchObject({ kind: 'image', layout: 'chw', width: SIDE, height: SIDE, channels: 1 });
}, 120_000);

describe('nn-studio predict on image data', () => {
  let fromIdx: string[][];

  it('an IDX folder: one row per image, the training images then the t10k ones, in order', () => {
    const { code, stdout } = nnStudio(['predict', project, idxFolder]);
    expect(code).toBe(0);
    fromIdx = csvRows(stdout);
    expect(fromIdx[0]).toEqual(['image', 'label', 'prediction', 'p_0', 'p_1', 'p_2']);
    expect(fromIdx.length).toBe(1 + 60 + 9);
    expect(fromIdx.slice(61).map((r) => r[0])).toEqual(Array.from({ length: 9 }, (_, i) => `test ${i + 1}`));
    expect(fromIdx.slice(61).map((r) => r[1])).toEqual(Array.from(test.labels, String));
    expect(fromIdx.slice(61).every((r) => r[1] === r[2])).toBe(true);
  });

  it('a CSV of pixel columns (labelled, or pixels only) gives the same probabilities, row for row', () => {
    const header = Array.from({ length: SIDE * SIDE }, (_, p) => `pixel${p}`);
    const labelled = join(folder, 'test.csv');
    writeFileSync(labelled, [['label', ...header].join(','), ...Array.from({ length: 9 }, (_, i) => [test.labels[i], ...testImage(i)].join(','))].join('\n') + '\n');
    const unlabelled = join(folder, 'unlabelled.csv');
    writeFileSync(unlabelled, [header.join(','), ...Array.from({ length: 9 }, (_, i) => Array.from(testImage(i)).join(','))].join('\n') + '\n');
    for (const file of [labelled, unlabelled]) {
      const { code, stdout, stderr } = nnStudio(['predict', project, file]);
      expect(stderr).toBe('');
      expect(code).toBe(0);
      const rows = csvRows(stdout).slice(1);
      expect(rows.length).toBe(9);
      // the last four fields are prediction and p_0…p_2, equal to the IDX run's for the same test image
      rows.forEach((r, i) => expect(r.slice(-4)).toEqual(fromIdx[61 + i].slice(-4)));
    }
  });

  it('a PNG folder and a zip of it give the same probabilities for the same images', () => {
    const files: Record<string, Uint8Array> = {};
    for (let i = 0; i < 9; i++) {
      const name = `pngs/${test.labels[i]}/img${i}.png`;
      mkdirSync(join(folder, 'pngs', String(test.labels[i])), { recursive: true });
      writeFileSync(join(folder, name), png(testImage(i)));
      files[name] = png(testImage(i));
    }
    writeFileSync(join(folder, 'pngs.zip'), zipSync(files));
    for (const source of [join(folder, 'pngs'), join(folder, 'pngs.zip')]) {
      const { code, stdout, stderr } = nnStudio(['predict', project, source]);
      expect(stderr).toBe('');
      expect(code).toBe(0);
      const rows = csvRows(stdout).slice(1);
      expect(rows.length).toBe(9);
      for (const r of rows) {
        const i = Number(/img(\d)\.png$/.exec(r[0])![1]);
        expect(r.slice(-4)).toEqual(fromIdx[61 + i].slice(-4));
      }
    }
  });
});

describe('nn-studio train on images: CNNs', () => {
  /** The saved run's layer types. */
  const savedTypes = (file: string) =>
    JSON.parse(new TextDecoder().decode(unzipSync(readFileSync(file))['project.json'])).runs[0].outcome.spec.layers.map((l: { type: string }) => l.type);

  it('with no --layers, image data gets a convolutional network; --layers conv:… trains the one written', () => {
    const byDefault = join(folder, 'default.nnstudio');
    const a = nnStudio(['train', idxFolder, '--epochs', '3', '--out', byDefault, '--json']);
    expect(a.stderr).toBe('');
    expect(a.code).toBe(0);
    expect(savedTypes(byDefault)).toEqual(['conv2d', 'maxpool2d', 'flatten', 'dense', 'dense']); // 6×6: one conv block
    const written = join(folder, 'written.nnstudio');
    const b = nnStudio(['train', idxFolder, '--layers', 'conv:4x3:relu:same,batchnorm,maxpool:2,dropout:0.1,8', '--epochs', '3', '--out', written, '--json']);
    expect(b.stderr).toBe('');
    expect(b.code).toBe(0);
    expect(savedTypes(written)).toEqual(['conv2d', 'batchnorm', 'maxpool2d', 'dropout', 'flatten', 'dense', 'dense']);
    expect(JSON.parse(b.stdout.trim().split('\n').at(-1)!).metrics.test.rows).toBe(9);
  });
});

describe('nn-studio train on images: bad flags', () => {
  it('--image-shape that does not match the CSV, or malformed --image-shape / --augment, is one line and exit 2', () => {
    const csv = join(folder, 'test.csv');
    const cases: [string[], RegExp][] = [
      [['train', csv, '--image-shape', '1x28x28'], /test\.csv: expected 784 pixel columns for image shape 1×28×28 beside the label column 'label', found 36 other columns/],
      [['train', csv, '--image-shape', '2x6x6'], /--image-shape expects CHANNELSxHEIGHTxWIDTH with 1 or 3 channels, like 1x28x28; got '2x6x6'/],
      [['train', idxFolder, '--augment', 'shift=two'], /--augment expects shift=N \(0–16 pixels\) and\/or flip, like shift=2,flip; 'shift=two' is neither/],
      [['train', 'sample:iris', '--augment', 'shift=2'], /training, augment: shifts and flips need image data/],
    ];
    for (const [args, message] of cases) {
      const { code, stderr } = nnStudio(args);
      expect(code, args.join(' ')).toBe(2);
      expect(stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(stderr, args.join(' ')).toMatch(message);
    }
  });

  it('trains on the pixel CSV read as images with --image-shape', () => {
    const { code, stdout, stderr } = nnStudio(['train', join(folder, 'test.csv'), '--image-shape', `1x${SIDE}x${SIDE}`, '--layers', '8:relu', '--epochs', '2', '--split', '1,0,0', '--json']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(JSON.parse(stdout.trim().split('\n').at(-1)!).metrics.train.rows).toBe(9);
  });
});
