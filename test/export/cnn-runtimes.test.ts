/**
 * Exports of convolutional networks run by their REAL runtimes on real Fashion-MNIST images
 * (/usr/share/datasets/fashion-mnist, read with the project's IDX parser), agreeing within 1e-4
 * with the studio's own forward pass (Model.predict, the engine's typed layers) on the studio's
 * preprocessing of the same images (shared/data/preprocess.ts).
 *
 * The networks have random weights and non-trivial batchnorm running statistics, and between them
 * every layer type: conv valid, same and stride 2, max and average pooling, batchnorm per channel
 * and per feature, an activation layer, flatten (explicit and implied), globalavgpool, dropout, dense.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gunzipSync } from 'node:zlib';
import * as ort from 'onnxruntime-node';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseIdx } from '../../shared/data/idx.js';
import { applyImagePreprocessing, fitImageScaling, type ImageState } from '../../shared/data/preprocess.js';
import type { RgbaImage } from '../../shared/data/images.js';
import { exportFiles, exportModelOf, type ExportModel } from '../../shared/export/index.js';
import { float32ToBase64 } from '../../shared/ipc/binary.js';
import { modelLayout } from '../../shared/nn/layout.js';
import { Random } from '../../shared/nn/random.js';
import { Model } from '../../shared/nn/model.js';
import { parseModelSpec, type ModelSpec, type ModelSpecV2Input } from '../../shared/nn/spec.js';
import { tempFolder } from './fixtures.js';

const FASHION = '/usr/share/datasets/fashion-mnist';
const PYTHON = '/usr/bin/python3';
const IMAGES = 8;
const CLASSES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];

const SPECS: Record<string, ModelSpecV2Input> = {
  // Every layer type but globalavgpool; conv valid, same with stride 2, same with stride 1.
  everyLayer: {
    version: 2, kind: 'mlp', input: [1, 28, 28], loss: 'categorical-crossentropy', task: 'classification', labels: CLASSES,
    layers: [
      { type: 'conv2d', filters: 4, kernel: 3, activation: 'relu' },                          // 4×26×26
      { type: 'batchnorm' },
      { type: 'conv2d', filters: 6, kernel: 3, stride: 2, padding: 'same' },                  // 6×13×13
      { type: 'activation', activation: 'tanh' },
      { type: 'maxpool2d', size: 2 },                                                        // 6×6×6
      { type: 'conv2d', filters: 5, kernel: 3, padding: 'same', activation: 'elu' },          // 5×6×6
      { type: 'avgpool2d', size: 2 },                                                        // 5×3×3
      { type: 'flatten' },
      { type: 'dense', units: 12, activation: 'relu' },
      { type: 'batchnorm', eps: 1e-3 },
      { type: 'dropout', rate: 0.25 },
      { type: 'dense', units: 10, activation: 'softmax' },
    ],
  },
  // Stride-2 valid conv with an even kernel, same padding on an odd size, globalavgpool.
  globalPool: {
    version: 2, kind: 'mlp', input: [1, 28, 28], loss: 'categorical-crossentropy', task: 'classification', labels: CLASSES,
    layers: [
      { type: 'conv2d', filters: 4, kernel: 4, stride: 2, activation: 'leaky-relu' },        // 4×13×13
      { type: 'conv2d', filters: 6, kernel: 4, padding: 'same', bias: false },                // 6×13×13 (pads 1 top, 2 bottom)
      { type: 'batchnorm' },
      { type: 'activation', activation: 'relu' },
      { type: 'globalavgpool' },                                                             // 6
      { type: 'dense', units: 10, activation: 'softmax' },
    ],
  },
  // A max pool of size 3 stride 2, then a dense layer on the image: the flatten is implied.
  impliedFlatten: {
    version: 2, kind: 'mlp', input: [1, 28, 28], loss: 'categorical-crossentropy', task: 'classification', labels: CLASSES,
    layers: [
      { type: 'conv2d', filters: 3, kernel: 5, stride: 2, padding: 'same', activation: 'sigmoid' }, // 3×14×14
      { type: 'maxpool2d', size: 3, stride: 2 },                                                 // 3×6×6
      { type: 'dense', units: 10, activation: 'softmax' },
    ],
  },
};

interface Case {
  name: string;
  model: ExportModel;
  /** Raw pixel values 0–255 of each image, [C, H, W] flattened. */
  pixels: number[][];
  /** The studio's class probabilities for those images. */
  expected: number[][];
}

const cases: Case[] = [];
let folder: string;

/** The first `count` test images of Fashion-MNIST, as the IDX file holds them. */
function fashionImages(count: number): Uint8Array[] {
  const idx = parseIdx(gunzipSync(readFileSync(join(FASHION, 't10k-images-idx3-ubyte.gz'))), 't10k-images');
  const [, h, w] = idx.dims;
  return Array.from({ length: count }, (_, k) => Uint8Array.from(idx.data.subarray(k * h * w, (k + 1) * h * w)));
}

/** A gray image as the decoders give it (RGBA), for the studio's image preprocessing. */
function grayToRgba(gray: Uint8Array, width: number, height: number): RgbaImage {
  const data = new Uint8Array(width * height * 4);
  gray.forEach((v, p) => data.set([v, v, v, 255], p * 4));
  return { width, height, data };
}

/**
 * Random weights in the spec's layout, parameters then state: weights N(0, 2/fan-in), biases and
 * β in ±0.2, γ in [0.5, 1.5], running means in ±0.5 and running variances in [0.3, 2].
 */
function randomWeights(spec: ModelSpec, seed: number): Float32Array {
  const layout = modelLayout(spec);
  const rng = new Random(seed);
  const all = new Float32Array(layout.paramCount + layout.stateCount);
  for (const layer of layout.layers) {
    for (const slot of layer.params) {
      const fanIn = slot.shape.length === 4 ? slot.shape[1] * slot.shape[2] * slot.shape[3] : slot.shape[0];
      for (let k = 0; k < slot.size; k++) {
        all[slot.offset + k] = slot.name === 'W' ? rng.normal() * Math.sqrt(2 / fanIn)
          : slot.name === 'gamma' ? rng.range(0.5, 1.5) : rng.range(-0.2, 0.2);
      }
    }
    for (const slot of layer.state) {
      for (let k = 0; k < slot.size; k++) {
        all[layout.paramCount + slot.offset + k] = slot.name === 'mean' ? rng.range(-0.5, 0.5) : rng.range(0.3, 2);
      }
    }
  }
  return all;
}

/** |a − b| ≤ 1e-4 element by element. */
function expectClose(actual: ArrayLike<number>[], expected: number[][], what: string): void {
  expect(actual.length, `${what}: rows`).toBe(expected.length);
  expected.forEach((row, r) => {
    expect(actual[r].length, `${what}: row ${r + 1} width`).toBe(row.length);
    row.forEach((v, k) => {
      if (!(Math.abs(actual[r][k] - v) <= 1e-4)) throw new Error(`${what}: image ${r + 1}, output ${k + 1} is ${actual[r][k]}, the studio says ${v}`);
    });
  });
}

function rowsOf(data: ArrayLike<number>, width: number): number[][] {
  return Array.from({ length: data.length / width }, (_, r) => Array.from(data).slice(r * width, (r + 1) * width));
}

beforeAll(() => {
  folder = tempFolder('nn-studio-cnn-export-');
  const gray = fashionImages(IMAGES);
  const all = new Uint8Array(IMAGES * 784);
  gray.forEach((g, k) => all.set(g, k * 784));
  const { offset, scale } = fitImageScaling(all, 784, Int32Array.from(gray.keys()), 'zscore');
  const preprocessing: ImageState = {
    version: 1, kind: 'image', width: 28, height: 28, channels: 1, normalize: 'zscore', offset, scale, inputSize: 784,
    target: { task: 'classification', column: 'label', classes: CLASSES },
  };
  const x = applyImagePreprocessing(preprocessing, gray.map((g) => grayToRgba(g, 28, 28)));
  Object.entries(SPECS).forEach(([name, input], i) => {
    const spec = parseModelSpec(input);
    const weights = randomWeights(spec, 11 + i);
    const studio = Model.fromWeights(spec, weights);
    const model = exportModelOf({ spec, weights: float32ToBase64(weights), preprocessing }, name);
    cases.push({ name, model, pixels: gray.map((g) => Array.from(g)), expected: rowsOf(studio.predict(x, IMAGES), studio.outputs) });
  });
});

describe('ONNX export of convolutional networks, run by onnxruntime-node', () => {
  for (const name of Object.keys(SPECS)) {
    it(`${name}: takes [N, 1, 28, 28] raw pixels and gives the studio's probabilities`, async () => {
      const c = cases.find((k) => k.name === name)!;
      const [file] = exportFiles('onnx', c.model, { fileName: 'model.onnx' });
      const session = await ort.InferenceSession.create(file.data as Uint8Array);
      const input = session.inputMetadata[0];
      expect(input.isTensor ? [input.name, input.shape] : null).toEqual(['pixels', ['N', 1, 28, 28]]);
      const result = await session.run({ pixels: new ort.Tensor('float32', Float32Array.from(c.pixels.flat()), [IMAGES, 1, 28, 28]) });
      expectClose(rowsOf(result.probabilities.data as Float32Array, 10), c.expected, `onnx ${name}`);
    });
  }
});

describe('Python module of convolutional networks, run by python3 with NumPy', () => {
  for (const name of Object.keys(SPECS)) {
    for (const weights of ['inline', 'npz'] as const) {
      it(`${name}: outputs(images) gives the studio's probabilities (weights ${weights})`, () => {
        const c = cases.find((k) => k.name === name)!;
        const dir = tempFolder('nn-studio-cnn-py-');
        const files = exportFiles('python', c.model, { fileName: `cnn_${name}.py`, pythonWeights: weights });
        for (const f of files) writeFileSync(join(dir, f.name), f.data);
        const script = `import json, sys\nsys.path.insert(0, ${JSON.stringify(dir)})\nimport cnn_${name} as m\nprint(json.dumps(m.outputs(json.load(sys.stdin)).tolist()))`;
        const result = spawnSync(PYTHON, ['-c', script], { input: JSON.stringify(c.pixels), encoding: 'utf8' });
        if (result.status !== 0) throw new Error(`python3 failed: ${result.stderr || result.error?.message}`);
        expectClose(JSON.parse(result.stdout) as number[][], c.expected, `python ${name}`);
      });
    }
  }
});

describe('standalone JavaScript module of convolutional networks, imported by Node', () => {
  for (const name of Object.keys(SPECS)) {
    it(`${name}: predict(images) gives the studio's probabilities and most likely class`, async () => {
      const c = cases.find((k) => k.name === name)!;
      const [file] = exportFiles('js', c.model, { fileName: `cnn_${name}.mjs` });
      const path = join(folder, `cnn_${name}.mjs`);
      writeFileSync(path, file.data);
      const mod = (await import(pathToFileURL(path).href)) as { predict(images: number[][]): { prediction: string; outputs: number[] }[] };
      const got = mod.predict(c.pixels);
      expectClose(got.map((p) => p.outputs), c.expected, `js ${name}`);
      expect(got.map((p) => p.prediction)).toEqual(c.expected.map((row) => CLASSES[row.indexOf(Math.max(...row))]));
    });
  }
});

describe('TensorFlow.js layers export of convolutional networks, loaded by tf.loadLayersModel', () => {
  for (const name of Object.keys(SPECS)) {
    it(`${name}: takes NHWC raw pixels and gives the studio's probabilities`, async () => {
      const c = cases.find((k) => k.name === name)!;
      const files = exportFiles('tfjs', c.model, { fileName: 'model.json' });
      const modelJson = JSON.parse(files[0].data as string);
      const weights = files[1].data as Uint8Array;
      const model = await tf.loadLayersModel(tf.io.fromMemory({
        modelTopology: modelJson.modelTopology,
        weightSpecs: modelJson.weightsManifest[0].weights,
        weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) as ArrayBuffer,
      }));
      // The studio's images are [C, H, W]; TF.js takes [H, W, C].
      const nchw = tf.tensor4d(c.pixels.flat(), [IMAGES, 1, 28, 28]);
      const input = tf.transpose(nchw, [0, 2, 3, 1]);
      const output = model.predict(input) as tf.Tensor;
      expectClose(output.arraySync() as number[][], c.expected, `tfjs ${name}`);
      tf.dispose([nchw, input, output]);
    });
  }
});

describe('JSON export of a convolutional network', () => {
  it('is refused, naming the formats that hold one', () => {
    expect(() => exportFiles('json', cases[0].model, { fileName: 'model.json' })).toThrow(/dense networks only.*ONNX, TensorFlow\.js, Python or JavaScript/);
  });
});

describe('the test networks', () => {
  it('give clearly different probabilities for different images (the comparisons above are not vacuous)', () => {
    for (const c of cases) {
      const spread = Math.max(...c.expected.flatMap((row) => row.map((v, k) => Math.abs(v - c.expected[0][k]))));
      expect(spread, c.name).toBeGreaterThan(0.01);
    }
  });
});
