/**
 * Every export format run by a REAL runtime on the same raw rows, agreeing with the studio's own
 * predictions (the fitted preprocessing + the engine's Model.predict, shared/runs/predict.ts):
 * onnxruntime-node, TensorFlow.js (pure JS), Node's import() of the generated ES module, and
 * /usr/bin/python3 with NumPy running the generated module (weights inline and in an .npz).
 *
 * The models cover every activation, classification with a softmax and with a single sigmoid
 * unit, regression, categorical columns with missing and unseen values, images, and a perceptron.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as ort from 'onnxruntime-node';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadTableSample } from '../../shared/data/samples/index.js';
import { applyImagePreprocessing, type RawRow } from '../../shared/data/preprocess.js';
import { imageToSample, type RgbaImage } from '../../shared/data/images.js';
import { cellAt } from '../../shared/data/table.js';
import { exportFiles, exportModelOf, readJsonExport, type ExportModel } from '../../shared/export/index.js';
import { toTfjs } from '../../shared/export/tfjs.js';
import { Model } from '../../shared/nn/model.js';
import { predictFeatures, predictRows } from '../../shared/runs/predict.js';
import type { RunOutcome } from '../../shared/runs/results.js';
import { decodeImage } from '../../main/data/images.js';
import { tempFolder, trainRun, writeImageFolder, writeMixedCsv } from './fixtures.js';

const PYTHON = '/usr/bin/python3';

interface Case {
  name: string;
  outcome: RunOutcome;
  model: ExportModel;
  /** Table models: raw rows as a person would pass them. */
  rows?: RawRow[];
  /** Image models: the images, and each as raw pixel values (0–255, channels last). */
  images?: { rgba: RgbaImage[]; pixels: number[][] };
  /** The studio's outputs for those rows. */
  expected: number[][];
}

const cases: Case[] = [];
let folder: string;

/** |a − b| ≤ 1e-5 · max(1, |b|), element by element. */
function expectClose(actual: ArrayLike<number>[], expected: number[][], what: string): void {
  expect(actual.length, `${what}: rows`).toBe(expected.length);
  expected.forEach((row, r) => {
    expect(actual[r].length, `${what}: row ${r + 1} width`).toBe(row.length);
    row.forEach((v, k) => {
      const diff = Math.abs(actual[r][k] - v);
      if (!(diff <= 1e-5 * Math.max(1, Math.abs(v)))) {
        throw new Error(`${what}: row ${r + 1}, output ${k + 1} is ${actual[r][k]}, the studio says ${v}`);
      }
    });
  });
}

/** Rows of a built-in table sample as objects of raw cells (numbers, labels), every `stride`-th row. */
function sampleRows(name: string, columns: string[], stride: number): RawRow[] {
  const { table } = loadTableSample(name);
  const rows: RawRow[] = [];
  for (let i = 0; i < table.rowCount; i += stride) {
    rows.push(Object.fromEntries(columns.map((c) => [c, cellAt(table.columns.find((col) => col.name === c)!, i)])));
  }
  return rows;
}

function tableCase(name: string, outcome: RunOutcome, rows: RawRow[]): Case {
  return { name, outcome, model: exportModelOf(outcome, name), rows, expected: predictRows(outcome, rows).map((p) => p.outputs) };
}

function columnsOf(outcome: RunOutcome): string[] {
  if (outcome.preprocessing.kind !== 'table') throw new Error('not a table model');
  return outcome.preprocessing.columns;
}

beforeAll(async () => {
  folder = tempFolder('nn-studio-export-');

  // Iris: 4 numeric columns, 3 classes — ReLU + softmax (the defaults). Numbers also given as text.
  const iris = (await trainRun({ dataset: { source: 'sample:iris' }, training: { epochs: 40 } })).outcome!;
  const irisRows = sampleRows('iris', columnsOf(iris), 5);
  irisRows.push(Object.fromEntries(columnsOf(iris).map((c, k) => [c, [' 5.9', '3.0 ', '5.1', '1.8'][k]])));
  cases.push(tableCase('iris', iris, irisRows));

  // Moons: two classes → one sigmoid unit; tanh and leaky ReLU hidden layers.
  const moons = (await trainRun({
    dataset: { source: 'sample:moons' },
    model: { hidden: [{ units: 8, activation: 'tanh' }, { units: 6, activation: 'leaky-relu' }] },
    training: { epochs: 30 },
  })).outcome!;
  cases.push(tableCase('moons', moons, sampleRows('moons', columnsOf(moons), 13)));

  // A noisy polynomial: regression through ELU, SELU and softplus layers to an identity output.
  const poly = (await trainRun({
    dataset: { source: 'sample:poly' },
    model: { hidden: [{ units: 8, activation: 'elu' }, { units: 8, activation: 'selu' }, { units: 6, activation: 'softplus' }] },
    training: { epochs: 30 },
  })).outcome!;
  cases.push(tableCase('poly', poly, sampleRows('poly', columnsOf(poly), 9)));

  // Numeric and categorical columns interleaved, missing values of both kinds, an unseen category;
  // sigmoid hidden units; min-max scaling.
  const csv = writeMixedCsv(folder);
  const houses = (await trainRun({
    dataset: { source: csv, options: { normalize: 'minmax' } },
    model: { hidden: [{ units: 10, activation: 'sigmoid' }] },
    training: { epochs: 40 },
  })).outcome!;
  const [header, ...lines] = readFileSync(csv, 'utf8').trim().split('\n');
  const names = header.split(',');
  const houseRows: RawRow[] = lines.filter((_, i) => i % 6 === 0).map((line) => Object.fromEntries(line.split(',').map((v, k) => [names[k], v])));
  houseRows.push(
    { size: ' 120.5 ', colour: 'purple', age: null, district: 'north' },
    { size: 80, colour: '', age: '12', district: 'south' },
    { size: '64', age: 3, district: 'west' },
  );
  cases.push(tableCase('houses', houses, houseRows));

  // Images: three classes of 6×6 gray bars, z-scored pixels; a dense network on the pixels (image
  // data's default is now a CNN, whose exports are a separate case).
  const images = writeImageFolder(folder);
  const bars = (await trainRun({
    dataset: { source: images, options: { imageSize: 6, normalize: 'zscore' } },
    model: { hidden: [{ type: 'dense', units: 72, activation: 'relu' }] },
    training: { epochs: 40 },
  })).outcome!;
  const rgba = readdirSync(images).flatMap((label) => readdirSync(join(images, label)).slice(0, 4).map((f) => decodeImage(readFileSync(join(images, label, f)), f)));
  const pixels = rgba.map((image) => Array.from(imageToSample(image, 6, 6, 1)));
  if (bars.preprocessing.kind !== 'image') throw new Error('expected an image model');
  const barsX = applyImagePreprocessing(bars.preprocessing, rgba);
  cases.push({
    name: 'bars', outcome: bars, model: exportModelOf(bars, 'bars'), images: { rgba, pixels },
    expected: predictFeatures(bars, barsX, rgba.length).map((p) => p.outputs),
  });

  // A perceptron (step units) learning AND.
  const and = (await trainRun({ dataset: { source: 'sample:and' }, model: { kind: 'perceptron' }, training: { epochs: 20, optimizer: 'sgd', learningRate: 0.1 } })).outcome!;
  cases.push(tableCase('and', and, sampleRows('and', columnsOf(and), 1)));
}, 120_000);

function caseNamed(name: string): Case {
  return cases.find((c) => c.name === name)!;
}

// ---------------------------------------------------------------------------------------------

/** What an ONNX consumer feeds: numeric cells as float32 (NaN = missing), categorical cells as text ('' = missing). */
function onnxFeeds(c: Case): Record<string, ort.Tensor> {
  if (c.images) {
    return { pixels: new ort.Tensor('float32', Float32Array.from(c.images.pixels.flat()), [c.images.pixels.length, c.images.pixels[0].length]) };
  }
  const rows = c.rows! as Record<string, unknown>[];
  const toNumber = (v: unknown) => (typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v)) ? Number(v) : NaN);
  const toText = (v: unknown) => (v === null || v === undefined ? '' : String(v).trim());
  const feeds: Record<string, ort.Tensor> = {};
  if (c.model.numeric.length) {
    feeds.features = new ort.Tensor('float32', Float32Array.from(rows.flatMap((r) => c.model.numeric.map((f) => toNumber(r[f.column])))), [rows.length, c.model.numeric.length]);
  }
  if (c.model.categorical.length) {
    feeds.categories = new ort.Tensor('string', rows.flatMap((r) => c.model.categorical.map((f) => toText(r[f.column]))), [rows.length, c.model.categorical.length]);
  }
  return feeds;
}

function rowsOf(data: ArrayLike<number>, width: number): number[][] {
  return Array.from({ length: data.length / width }, (_, r) => Array.from(data).slice(r * width, (r + 1) * width));
}

describe('ONNX export, run by onnxruntime-node', () => {
  for (const name of ['iris', 'moons', 'poly', 'houses', 'bars', 'and']) {
    it(`${name}: takes raw data and gives the studio's outputs`, async () => {
      const c = caseNamed(name);
      const [file] = exportFiles('onnx', c.model, { fileName: 'model.onnx' });
      const session = await ort.InferenceSession.create(file.data as Uint8Array);
      const output = c.model.task === 'regression' ? 'values' : 'probabilities';
      expect(session.outputNames).toEqual([output]);
      const result = await session.run(onnxFeeds(c));
      expectClose(rowsOf(result[output].data as Float32Array, c.model.outputs), c.expected, `onnx ${name}`);
    });
  }

  it('declares its inputs\' types and shapes, and names classes, columns and preprocessing in metadata_props', async () => {
    const c = caseNamed('houses');
    const [file] = exportFiles('onnx', c.model, { fileName: 'model.onnx' });
    const session = await ort.InferenceSession.create(file.data as Uint8Array);
    expect(session.inputNames).toEqual(['features', 'categories']);
    expect(session.inputMetadata.map((i) => (i.isTensor ? [i.name, i.type, i.shape] : null))).toEqual([
      ['features', 'float32', ['N', 2]],
      ['categories', 'string', ['N', 2]],
    ]);
    const meta = metadataProps(file.data as Uint8Array);
    expect(JSON.parse(meta.input_names)).toEqual(['size', 'colour', 'age', 'district']);
    expect(JSON.parse(meta.inputs)).toMatchObject([
      { name: 'features', columns: ['size', 'age'], missing: 'NaN' },
      { name: 'categories', columns: ['colour', 'district'], categories: { colour: ['blue', 'green', 'red'] } },
    ]);
    expect(JSON.parse(meta.preprocessing)).toEqual(c.outcome.preprocessing);
    const iris = metadataProps(exportFiles('onnx', caseNamed('iris').model, { fileName: 'm.onnx' })[0].data as Uint8Array);
    expect(JSON.parse(iris.classes)).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(iris.task).toBe('classification');
  });
});

/** ModelProto.metadata_props (field 14: key = 1, value = 2), read with a minimal protobuf reader. */
function metadataProps(bytes: Uint8Array): Record<string, string> {
  const fields = (buf: Uint8Array) => {
    const out: [number, Uint8Array | number][] = [];
    let at = 0;
    const varint = () => {
      let v = 0, mul = 1, b;
      do { b = buf[at++]; v += (b & 127) * mul; mul *= 128; } while (b & 128);
      return v;
    };
    while (at < buf.length) {
      const key = varint();
      const wire = key & 7;
      if (wire === 0) out.push([key >> 3, varint()]);
      else if (wire === 2) { const n = varint(); out.push([key >> 3, buf.subarray(at, at + n)]); at += n; }
      else if (wire === 5) at += 4;
      else if (wire === 1) at += 8;
      else throw new Error(`wire type ${wire}`);
    }
    return out;
  };
  const text = (b: Uint8Array | number) => new TextDecoder().decode(b as Uint8Array);
  const props: Record<string, string> = {};
  for (const [field, value] of fields(bytes)) {
    if (field !== 14) continue;
    const entry = Object.fromEntries(fields(value as Uint8Array).map(([f, v]) => [f, text(v)]));
    props[entry[1]] = entry[2];
  }
  return props;
}

describe('TensorFlow.js layers export, loaded by tf.loadLayersModel', () => {
  /** TF.js takes the network's own input row: numeric columns raw, categorical ones one-hot, nothing missing. */
  function tfjsInputs(c: Case): number[][] {
    if (c.images) return c.images.pixels;
    const state = c.outcome.preprocessing;
    if (state.kind !== 'table') throw new Error('table expected');
    return (c.rows! as Record<string, unknown>[]).map((r) => state.features.flatMap((f) => {
      const v = r[f.column];
      return f.kind === 'numeric' ? [Number(v)] : f.categories.map((k) => (String(v).trim() === k ? 1 : 0));
    }));
  }

  /** Rows TF.js can take as they are: no missing cell. */
  function complete(c: Case): Case {
    if (c.images) return c;
    const ok = (c.rows! as Record<string, unknown>[]).map((r) => columnsOf(c.outcome).every((col) => r[col] !== null && r[col] !== undefined && r[col] !== '' && r[col] !== 'NA'));
    return { ...c, rows: c.rows!.filter((_, i) => ok[i]), expected: c.expected.filter((_, i) => ok[i]) };
  }

  for (const name of ['iris', 'moons', 'poly', 'houses', 'bars']) {
    it(`${name}: gives the studio's outputs`, async () => {
      const c = complete(caseNamed(name));
      const files = exportFiles('tfjs', c.model, { fileName: 'model.json' });
      expect(files.map((f) => f.name)).toEqual(c.images ? ['model.json', 'weights.bin'] : ['model.json', 'weights.bin', 'model.predict.mjs']);
      const modelJson = JSON.parse(files[0].data as string);
      const weights = files[1].data as Uint8Array;
      const model = await tf.loadLayersModel(tf.io.fromMemory({
        modelTopology: modelJson.modelTopology,
        weightSpecs: modelJson.weightsManifest[0].weights,
        weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) as ArrayBuffer,
        userDefinedMetadata: modelJson.userDefinedMetadata,
      }));
      const input = tf.tensor2d(tfjsInputs(c));
      const output = model.predict(input) as tf.Tensor;
      expectClose(output.arraySync() as number[][], c.expected, `tfjs ${name}`);
      tf.dispose([input, output]);
      expect((model.getUserDefinedMetadata() as { task: string }).task).toBe(c.model.task);
    });
  }

  it('refuses a perceptron, whose step activation TF.js lacks, saying which formats can take it', () => {
    expect(() => toTfjs(caseNamed('and').model)).toThrow(/TensorFlow\.js has no 'step' activation.*ONNX, JavaScript, Python or JSON/);
  });
});

describe('standalone JavaScript module, imported by Node', () => {
  for (const name of ['iris', 'moons', 'poly', 'houses', 'bars', 'and']) {
    it(`${name}: predict(rows) gives the studio's predictions`, async () => {
      const c = caseNamed(name);
      const [file] = exportFiles('js', c.model, { fileName: `${name}.mjs` });
      const path = join(folder, `${name}.mjs`);
      writeFileSync(path, file.data);
      const mod = (await import(pathToFileURL(path).href)) as { predict(rows: unknown[]): { prediction: string | number; outputs: number[] }[] };
      const input = c.images ? c.images.pixels : c.rows!;
      const got = mod.predict(input as unknown[]);
      expectClose(got.map((p) => p.outputs), c.expected, `js ${name}`);
      const studio = c.images || c.model.task === 'regression' ? null : predictRows(c.outcome, c.rows!);
      if (studio) expect(got.map((p) => p.prediction)).toEqual(studio.map((p) => p.prediction));
    });
  }

  it('names the row and column of a text in a numeric column', async () => {
    const path = join(folder, 'iris.mjs');
    const mod = (await import(pathToFileURL(path).href)) as { predict(rows: unknown[]): unknown };
    expect(() => mod.predict([{ sepal_length: 5, sepal_width: 'wide', petal_length: 1, petal_width: 0.2 }]))
      .toThrow("row 1, column 'sepal_width': expected a number, found 'wide'");
  });
});

describe('Python module, run by python3 with NumPy', () => {
  function runPython(dir: string, module: string, input: unknown): number[][] {
    const script = `import json, sys\nsys.path.insert(0, ${JSON.stringify(dir)})\nimport ${module} as m\nprint(json.dumps(m.outputs(json.load(sys.stdin)).tolist()))`;
    const result = spawnSync(PYTHON, ['-c', script], { input: JSON.stringify(input), encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`python3 failed: ${result.stderr || result.error?.message}`);
    return JSON.parse(result.stdout) as number[][];
  }

  for (const name of ['iris', 'moons', 'poly', 'houses', 'bars', 'and']) {
    it(`${name}: outputs(X) on raw rows gives the studio's outputs (weights inline)`, () => {
      const c = caseNamed(name);
      const [file] = exportFiles('python', c.model, { fileName: `py_${name}.py` });
      writeFileSync(join(folder, file.name), file.data);
      expectClose(runPython(folder, `py_${name}`, c.images ? c.images.pixels : c.rows), c.expected, `python ${name}`);
    });
  }

  it('loads its weights from an .npz beside it when asked, and predicts class names', () => {
    const c = caseNamed('houses');
    const sub = tempFolder('nn-studio-npz-');
    const files = exportFiles('python', c.model, { fileName: 'houses.py', pythonWeights: 'npz' });
    expect(files.map((f) => f.name)).toEqual(['houses.py', 'houses.npz']);
    for (const f of files) writeFileSync(join(sub, f.name), f.data);
    expect(readFileSync(join(sub, 'houses.py'), 'utf8')).not.toMatch(/"W1": "/);
    expectClose(runPython(sub, 'houses', c.rows), c.expected, 'python npz houses');

    const iris = caseNamed('iris');
    const script = `import json, sys\nsys.path.insert(0, ${JSON.stringify(folder)})\nimport py_iris as m\nprint(json.dumps(m.predict(json.load(sys.stdin))))`;
    const result = spawnSync(PYTHON, ['-c', script], { input: JSON.stringify(iris.rows), encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toEqual(predictRows(iris.outcome, iris.rows!).map((p) => p.prediction));
  });
});

describe('JSON export', () => {
  it('reads back into the same network: identical predictions', () => {
    for (const c of cases) {
      const [file] = exportFiles('json', c.model, { fileName: 'model.json' });
      const { spec, preprocessing, weights } = readJsonExport(file.data as string);
      expect(preprocessing).toEqual(c.outcome.preprocessing);
      const model = Model.fromWeights(spec, weights);
      const reference = Model.fromWeights(c.outcome.spec, c.model.layers.flatMap((l) => [...l.W, ...(l.b ?? [])]));
      expect(model.params).toEqual(reference.params);
    }
  });
});
