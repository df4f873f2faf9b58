/**
 * Issue 16, item 7: every export reads raw rows exactly as `predict` does. One corpus of awkward
 * cells — surrounding spaces and tabs, other cases, the missing spellings in any case, blanks,
 * unseen categories, numbers spelled '+64', '1e2', '.5', categories that are numbers ('2.0' is the
 * category 2), absent keys — goes through `predict`'s own code (the predictions CSV of a file) and
 * through every export in its real runtime: onnxruntime-node, @tensorflow/tfjs with the exported
 * raw-row reader, Node importing the JS module, /usr/bin/python3 running the Python module.
 * The run has a decision threshold, which every format must apply to the predicted class.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as ort from 'onnxruntime-node';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { exportFiles, exportModelOf, type ExportModel } from '../../shared/export/index.js';
import type { RawRow } from '../../shared/data/preprocess.js';
import { csvField } from '../../shared/export/csv.js';
import { predictRows } from '../../shared/runs/predict.js';
import type { RunOutcome, RunRecord } from '../../shared/runs/results.js';
import { runPredictionsCsv } from '../../main/export/index.js';
import { tempFolder, trainRun } from './fixtures.js';

const PYTHON = '/usr/bin/python3';
const THRESHOLD = 0.35;

/** Raw rows as a person passes them (text as typed or as a CSV holds it; a few real numbers and nulls). */
const CORPUS: Record<string, unknown>[] = [
  { size: ' 120.5 ', grade: ' 2 ', district: ' south ' },
  { size: 'NA', grade: '2.0', district: 'NA' },
  { size: '', grade: '02', district: 'n/a' },
  { size: '1e2', grade: 'x', district: ' NULL ' },
  { size: '+64', grade: ' X ', district: 'South' },
  { size: '.5', grade: '?', district: 'purple' },
  { size: 'nan', grade: '', district: '\tnorth\t' },
  { size: 80, grade: 3, district: 'east' },
  { grade: '1', district: 'west' },
  { size: null, grade: null, district: null },
  { size: '  ', grade: ' ', district: ' ' },
  { size: '\t150\t', grade: 'N/A', district: 'Nan' },
  { size: '-7.25', grade: '3.000', district: 'west ' },
];
const COLUMNS = ['size', 'grade', 'district'];

let folder: string;
let run: RunRecord & { outcome: RunOutcome };
let model: ExportModel;
/** What predict gives for the corpus: class names and probabilities. */
let studio: { prediction: string | number; outputs: number[] }[];

/** A table with a numeric column, a column of numbers and a text (read as categories) and a text column; target sold yes/no. */
function writeTrainingCsv(dir: string): string {
  const districts = ['north', 'south', 'east', 'west'];
  const grades = ['1', '2', '3', 'x'];
  let seed = 11;
  const rand = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
  const lines = ['size,grade,district,sold'];
  for (let i = 0; i < 160; i++) {
    const size = 40 + rand() * 120;
    const grade = grades[Math.floor(rand() * grades.length)];
    const district = districts[Math.floor(rand() * districts.length)];
    const score = size / 60 + (grade === 'x' ? 1 : Number(grade) * 0.4) - districts.indexOf(district) * 0.5 + rand() * 1.5;
    lines.push([i % 19 === 4 ? 'NA' : size.toFixed(1), grade, i % 29 === 7 ? '' : district, score > 2.6 ? 'yes' : 'no'].join(','));
  }
  const path = join(dir, 'sales.csv');
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

/** A minimal RFC 4180 reader for the predictions CSV (quoted fields with doubled quotes). */
function parseCsv(text: string): string[][] {
  return text.trim().split('\n').map((line) => {
    const fields: string[] = [];
    let at = 0;
    while (at <= line.length) {
      if (line[at] === '"') {
        let value = '';
        at++;
        while (at < line.length) {
          if (line[at] === '"' && line[at + 1] === '"') { value += '"'; at += 2; } else if (line[at] === '"') { at++; break; } else value += line[at++];
        }
        fields.push(value);
        at++; // the comma
      } else {
        const end = line.indexOf(',', at);
        fields.push(line.slice(at, end < 0 ? line.length : end));
        at = end < 0 ? line.length + 1 : end + 1;
      }
    }
    return fields;
  });
}

function expectSameOutputs(actual: ArrayLike<number>[], what: string): void {
  expect(actual.length, `${what}: rows`).toBe(studio.length);
  studio.forEach((row, r) => row.outputs.forEach((v, k) => {
    if (!(Math.abs(actual[r][k] - v) <= 1e-5)) throw new Error(`${what}: row ${r + 1} (${JSON.stringify(CORPUS[r])}), output ${k + 1} is ${actual[r][k]}, predict says ${v}`);
  }));
}

beforeAll(async () => {
  folder = tempFolder('nn-studio-awkward-');
  const trained = await trainRun({
    dataset: { source: writeTrainingCsv(folder), options: { target: 'sold', fixes: { grade: 'categorical' } } },
    model: { hidden: [{ units: 8, activation: 'tanh' }] },
    training: { epochs: 60 },
  });
  run = { ...trained, outcome: { ...trained.outcome!, threshold: THRESHOLD } } as RunRecord & { outcome: RunOutcome };
  model = exportModelOf(run.outcome, 'sales');
  studio = predictRows(run.outcome, CORPUS as RawRow[]);
}, 120_000);

describe('the awkward-cells corpus', () => {
  it('is awkward for this model: categories that are numbers, unseen ones, and the threshold deciding some rows', () => {
    const state = run.outcome.preprocessing;
    if (state.kind !== 'table') throw new Error('table expected');
    expect(state.features.map((f) => (f.kind === 'categorical' ? f.categories : f.kind))).toEqual(['numeric', ['1', '2', '3', 'x'], ['east', 'north', 'south', 'west']]);
    // Without the threshold some rows would go the other way: the threshold is really exercised.
    const p = studio.map((s) => s.outputs[1]);
    expect(p.some((v) => v >= THRESHOLD && v < 0.5) || p.some((v) => v < THRESHOLD)).toBe(true);
    expect(studio.map((s) => s.prediction)).toEqual(p.map((v) => (v >= THRESHOLD ? 'yes' : 'no')));
  });

  it('predict on a CSV of the corpus gives the same as predict on the rows', async () => {
    const csv = join(folder, 'corpus.csv');
    const text = (v: unknown) => (v === null || v === undefined ? '' : String(v));
    writeFileSync(csv, [COLUMNS.join(','), ...CORPUS.map((r) => COLUMNS.map((c) => csvField(text(r[c]))).join(','))].join('\n') + '\n');
    const [header, ...rows] = parseCsv(await runPredictionsCsv(run, { source: csv, options: run.config.dataset.options }));
    expect(header).toEqual(['size', 'grade', 'district', 'prediction', 'p_no', 'p_yes']);
    // A CSV cell that is absent and one that is null are both empty: the same missing value.
    expectSameOutputs(rows.map((r) => [Number(r[4]), Number(r[5])]), 'predict (CSV)');
    expect(rows.map((r) => r[3])).toEqual(studio.map((s) => s.prediction));
  });

  it('ONNX (onnxruntime-node): the categories as raw text, numbers as float32, the threshold as "label"', async () => {
    const [file] = exportFiles('onnx', model, { fileName: 'sales.onnx' });
    const session = await ort.InferenceSession.create(file.data as Uint8Array);
    expect(session.outputNames).toEqual(['probabilities', 'label']);
    // A numeric column is a float32 for ONNX (NaN = missing): the caller's own numbers.
    const number = (v: unknown) => (typeof v === 'number' ? v : typeof v === 'string' && /^\s*[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?\s*$/i.test(v) ? Number(v) : NaN);
    const raw = (v: unknown) => (v === null || v === undefined ? '' : String(v)); // no trimming, no case folding
    const result = await session.run({
      features: new ort.Tensor('float32', Float32Array.from(CORPUS, (r) => number(r.size)), [CORPUS.length, 1]),
      categories: new ort.Tensor('string', CORPUS.flatMap((r) => [raw(r.grade), raw(r.district)]), [CORPUS.length, 2]),
    });
    const p = result.probabilities.data as Float32Array;
    expectSameOutputs(CORPUS.map((_, r) => [p[2 * r], p[2 * r + 1]]), 'onnx');
    expect(Array.from(result.label.data as BigInt64Array, (k) => ['no', 'yes'][Number(k)])).toEqual(studio.map((s) => s.prediction));
  });

  it('TensorFlow.js: the exported predict.mjs reads the raw rows for tf.loadLayersModel', async () => {
    const files = exportFiles('tfjs', model, { fileName: 'model.json' });
    expect(files.map((f) => f.name)).toEqual(['model.json', 'weights.bin', 'model.predict.mjs']);
    for (const f of files) writeFileSync(join(folder, f.name), f.data);
    const modelJson = JSON.parse(files[0].data as string);
    const weights = files[1].data as Uint8Array;
    const layers = await tf.loadLayersModel(tf.io.fromMemory({
      modelTopology: modelJson.modelTopology,
      weightSpecs: modelJson.weightsManifest[0].weights,
      weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) as ArrayBuffer,
    }));
    const reader = (await import(pathToFileURL(join(folder, 'model.predict.mjs')).href)) as {
      predict(tfjs: typeof tf, m: tf.LayersModel, rows: unknown[]): { prediction: string; outputs: number[] }[];
    };
    const got = reader.predict(tf, layers, CORPUS);
    expectSameOutputs(got.map((g) => g.outputs), 'tfjs');
    expect(got.map((g) => g.prediction)).toEqual(studio.map((s) => s.prediction));
  });

  it('the JavaScript module (Node import)', async () => {
    const [file] = exportFiles('js', model, { fileName: 'sales.mjs' });
    writeFileSync(join(folder, 'sales.mjs'), file.data);
    const mod = (await import(pathToFileURL(join(folder, 'sales.mjs')).href)) as { predict(rows: unknown[]): { prediction: string; outputs: number[] }[] };
    const got = mod.predict(CORPUS);
    expectSameOutputs(got.map((g) => g.outputs), 'js');
    expect(got.map((g) => g.prediction)).toEqual(studio.map((s) => s.prediction));
  });

  it('the Python module (/usr/bin/python3, NumPy)', () => {
    const [file] = exportFiles('python', model, { fileName: 'sales_model.py' });
    writeFileSync(join(folder, file.name), file.data);
    const script = `import json, sys\nsys.path.insert(0, ${JSON.stringify(folder)})\nimport sales_model as m\nrows = json.load(sys.stdin)\nprint(json.dumps({"outputs": m.outputs(rows).tolist(), "predictions": m.predict(rows)}))`;
    const result = spawnSync(PYTHON, ['-c', script], { input: JSON.stringify(CORPUS), encoding: 'utf8' });
    expect(result.stderr).toBe('');
    const got = JSON.parse(result.stdout) as { outputs: number[][]; predictions: string[] };
    expectSameOutputs(got.outputs, 'python');
    expect(got.predictions).toEqual(studio.map((s) => s.prediction));
  });

  it('a number with a thousands separator is refused, naming its row and column, by predict, JS and Python alike', async () => {
    const rows = [{ size: '12', grade: '1', district: 'east' }, { size: '1,234', grade: '1', district: 'east' }];
    expect(() => predictRows(run.outcome, rows)).toThrow("item 2, column 'size': expected a number, found '1,234'");
    const mod = (await import(pathToFileURL(join(folder, 'sales.mjs')).href)) as { predict(rows: unknown[]): unknown };
    expect(() => mod.predict(rows)).toThrow("row 2, column 'size': expected a number, found '1,234'");
    const script = `import json, sys\nsys.path.insert(0, ${JSON.stringify(folder)})\nimport sales_model as m\nm.predict(json.load(sys.stdin))`;
    const result = spawnSync(PYTHON, ['-c', script], { input: JSON.stringify(rows), encoding: 'utf8' });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain("row 2, column 'size': expected a number, found '1,234'");
    expect(readFileSync(join(folder, 'sales_model.py'), 'utf8')).toContain('THRESHOLD = 0.35');
  });
});
