/**
 * Regression targets far from 0 (issue 16, item 1): training standardises them and the saved model
 * predicts in the target's own units — in the studio and in every export, each run by its real
 * runtime (onnxruntime-node, TensorFlow.js, Node's import() of the JS module, python3 with NumPy),
 * judged against the true targets of rows it never trained on, not only against the studio.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as ort from 'onnxruntime-node';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { exportFiles, exportModelOf, type ExportModel } from '../../shared/export/index.js';
import { predictRows } from '../../shared/runs/predict.js';
import type { RunRecord } from '../../shared/runs/results.js';
import { tempFolder, trainRun, writeLinearCsv } from './fixtures.js';

function r2(predicted: number[], actual: number[]): number {
  const mean = actual.reduce((a, b) => a + b, 0) / actual.length;
  const residual = actual.reduce((a, y, i) => a + (y - predicted[i]) ** 2, 0);
  const total = actual.reduce((a, y) => a + (y - mean) ** 2, 0);
  return 1 - residual / total;
}

let folder: string;
let sgd: RunRecord;
let adam: RunRecord;
let model: ExportModel;
/** Fresh rows from the same law: the true targets every runtime is judged against. */
let fresh: { a: number; b: number; y: number }[];

beforeAll(async () => {
  folder = tempFolder('nn-studio-target-');
  const train = writeLinearCsv(folder, 300, 11);
  fresh = writeLinearCsv(folder, 60, 12345).rows;
  // Plain SGD at its default rate through the default hidden layer: on raw targets of ~150 its
  // gradients blow up in the first epoch (diabetes diverged on 5 of 5 seeds).
  sgd = await trainRun({ dataset: { source: train.path }, training: { optimizer: 'sgd', epochs: 40 } });
  // Adam's steps of ~0.01 could not walk the bias to 150 in time on raw targets (R² far below 0).
  adam = await trainRun({ dataset: { source: train.path }, model: { hidden: [{ type: 'dense', units: 16, activation: 'relu' }] }, training: { epochs: 40 } });
  model = exportModelOf(adam.outcome!, 'linear');
}, 120_000);

describe('regression targets are standardised for training and predicted in their own units', () => {
  it('SGD through a hidden layer neither diverges nor misses: test R² ≥ 0.95 in the target\'s units', () => {
    const test = sgd.outcome!.evaluation.test!.metrics;
    expect(test.kind).toBe('regression');
    if (test.kind !== 'regression') return;
    expect(test.r2).toBeGreaterThan(0.95);
    expect(test.rmse).toBeLessThan(10); // the noise is ±4: an RMSE in standardised units would be < 1, in raw units of a bad fit ≫ 10
  });

  it('the studio predicts fresh rows in the target\'s units (R² ≥ 0.95 against their true values)', () => {
    for (const run of [sgd, adam]) {
      const predicted = predictRows(run.outcome!, fresh.map(({ a, b }) => ({ a, b }))).map((p) => p.prediction as number);
      expect(r2(predicted, fresh.map((r) => r.y))).toBeGreaterThan(0.95);
      expect(Math.abs(predicted.reduce((x, y) => x + y, 0) / predicted.length - 150)).toBeLessThan(15);
    }
  });

  it('the run says the target was standardised, naming it', () => {
    expect(adam.data!.notes.join('\n')).toMatch(/target 'y' standardised for training \(mean 1[45]\d/);
  });

  it('the history charts read losses in the target\'s units: the last MSE is near the noise\'s variance, not a standardised one', () => {
    const last = sgd.outcome!.history.at(-1)!;
    // Noise uniform on ±4 has variance 5.3; a loss on standardised targets would be ~0.002.
    expect(last.loss).toBeGreaterThan(2);
    expect(last.loss).toBeLessThan(30);
    expect(last.valLoss!).toBeGreaterThan(2);
  });

  const truth = () => fresh.map((r) => r.y);
  const firstColumn = (rows: ArrayLike<number>[] | number[][]) => Array.from(rows, (r) => r[0]);

  it('ONNX (onnxruntime-node) predicts the target\'s units', async () => {
    const [file] = exportFiles('onnx', model, { fileName: 'linear.onnx' });
    const session = await ort.InferenceSession.create(file.data as Uint8Array);
    const features = new ort.Tensor('float32', Float32Array.from(fresh.flatMap((r) => [r.a, r.b])), [fresh.length, 2]);
    const result = await session.run({ features });
    const out = result[session.outputNames[0]].data as Float32Array;
    expect(r2(Array.from(out), truth())).toBeGreaterThan(0.95);
  });

  it('TensorFlow.js predicts the target\'s units', async () => {
    const files = exportFiles('tfjs', model, { fileName: 'model.json' });
    const json = JSON.parse(files[0].data as string);
    const weights = files[1].data as Uint8Array;
    const loaded = await tf.loadLayersModel(tf.io.fromMemory({
      modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0].weights,
      weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) as ArrayBuffer,
    }));
    const input = tf.tensor2d(fresh.map((r) => [r.a, r.b]));
    const output = loaded.predict(input) as tf.Tensor;
    expect(r2(firstColumn(output.arraySync() as number[][]), truth())).toBeGreaterThan(0.95);
    tf.dispose([input, output]);
  });

  it('the JavaScript module predicts the target\'s units', async () => {
    const [file] = exportFiles('js', model, { fileName: 'linear.mjs' });
    const path = join(folder, 'linear.mjs');
    writeFileSync(path, file.data);
    const mod = (await import(pathToFileURL(path).href)) as { predict(rows: unknown[]): { prediction: number }[] };
    expect(r2(mod.predict(fresh.map(({ a, b }) => ({ a, b }))).map((p) => p.prediction), truth())).toBeGreaterThan(0.95);
  });

  it('the Python module (python3, NumPy) predicts the target\'s units', () => {
    const [file] = exportFiles('python', model, { fileName: 'py_linear.py' });
    writeFileSync(join(folder, file.name), file.data);
    const script = `import json, sys\nsys.path.insert(0, ${JSON.stringify(folder)})\nimport py_linear as m\nprint(json.dumps(m.outputs(json.load(sys.stdin)).tolist()))`;
    const result = spawnSync('/usr/bin/python3', ['-c', script], { input: JSON.stringify(fresh.map(({ a, b }) => ({ a, b }))), encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`python3 failed: ${result.stderr}`);
    expect(r2(firstColumn(JSON.parse(result.stdout) as number[][]), truth())).toBeGreaterThan(0.95);
  });
});
