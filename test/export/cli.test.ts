/**
 * `npx nn-studio export` end to end: the real CLI process opens a saved project and writes each
 * format; the files are then run by their runtimes (the numbers themselves are checked in
 * runtimes.test.ts) and the predictions CSV is compared with the studio's predictions.
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { nnStudio } from '../cli/run.js';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadTableSample } from '../../shared/data/samples/index.js';
import { cellAt } from '../../shared/data/table.js';
import { createProjectFromRun } from '../../shared/project/create.js';
import { predictRows } from '../../shared/runs/predict.js';
import type { RunRecord } from '../../shared/runs/results.js';
import { saveProject } from '../../main/projects/files.js';
import { tempFolder, trainRun } from './fixtures.js';

const nnStudioIn = (args: string[]) => nnStudio(args, { cwd: folder });

let folder: string;
let projectPath: string;
let run: RunRecord;

beforeAll(async () => {
  folder = tempFolder('nn-studio-cli-export-');
  run = await trainRun({ dataset: { source: 'sample:iris' }, training: { epochs: 20 } });
  const failed: RunRecord = { ...run, id: 'deadbeef', state: 'failed', outcome: undefined, error: { name: 'Diverged', message: 'training diverged at epoch 3' } };
  projectPath = join(folder, 'iris.nnstudio');
  await saveProject(projectPath, { ...createProjectFromRun(run), runs: [run, failed] });
}, 60_000);

describe('nn-studio export', () => {
  it('writes an ONNX model that onnxruntime runs', async () => {
    const out = join(folder, 'iris.onnx');
    const { code, stdout, stderr } = nnStudioIn(['export', projectPath, '--format', 'onnx', '--out', out]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^wrote .*iris\.onnx \(\d+(\.\d)? KB\)\n$/);
    const session = await ort.InferenceSession.create(out);
    const result = await session.run({ features: new ort.Tensor('float32', Float32Array.of(5.1, 3.5, 1.4, 0.2), [1, 4]) });
    const expected = predictRows(run.outcome!, [{ sepal_length: 5.1, sepal_width: 3.5, petal_length: 1.4, petal_width: 0.2 }])[0].outputs;
    Array.from(result.probabilities.data as Float32Array).forEach((p, k) => expect(p).toBeCloseTo(expected[k], 5));
  });

  it('writes TF.js as model.json + weights.bin into a folder, and Python with an .npz', () => {
    const tfjs = tempFolder();
    expect(nnStudioIn(['export', projectPath, '--format', 'tfjs', '--out', tfjs]).code).toBe(0);
    expect(readdirSync(tfjs).sort()).toEqual(['model.json', 'weights.bin']);
    expect(JSON.parse(readFileSync(join(tfjs, 'model.json'), 'utf8')).weightsManifest[0].paths).toEqual(['weights.bin']);

    const py = tempFolder();
    const { code, stdout } = nnStudioIn(['export', projectPath, '--format', 'python', '--out', join(py, 'iris_model.py'), '--npz']);
    expect(code).toBe(0);
    expect(stdout.trim().split('\n')).toHaveLength(2);
    expect(readdirSync(py).sort()).toEqual(['iris_model.npz', 'iris_model.py']);
  });

  it('writes a predictions CSV for the project\'s dataset, matching the studio', () => {
    const out = join(folder, 'predictions.csv');
    expect(nnStudioIn(['export', projectPath, '--format', 'csv', '--out', out]).code).toBe(0);
    const [header, ...lines] = readFileSync(out, 'utf8').trim().split('\n');
    expect(header).toBe('sepal_length,sepal_width,petal_length,petal_width,species,prediction,p_setosa,p_versicolor,p_virginica');
    const { table } = loadTableSample('iris');
    expect(lines).toHaveLength(table.rowCount);
    const rows = Array.from({ length: table.rowCount }, (_, i) => Object.fromEntries(table.columns.slice(0, 4).map((c) => [c.name, cellAt(c, i)])));
    const studio = predictRows(run.outcome!, rows);
    lines.forEach((line, i) => {
      const fields = line.split(',');
      expect(fields[5]).toBe(studio[i].prediction);
      fields.slice(6).forEach((p, k) => expect(Number(p)).toBeCloseTo(studio[i].outputs[k], 6));
    });
  });

  it('predicts another file with --data', () => {
    const data = join(folder, 'new-flowers.csv');
    writeFileSync(data, 'sepal_length,sepal_width,petal_length,petal_width\n5.0,3.4,1.5,0.2\n6.9,3.1,5.4,2.1\n');
    const out = join(folder, 'new.csv');
    expect(nnStudioIn(['export', projectPath, '--format', 'csv', '--out', out, '--data', data]).code).toBe(0);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines[0].startsWith('sepal_length,sepal_width,petal_length,petal_width,prediction,')).toBe(true);
    expect(lines.slice(1).map((l) => l.split(',')[4])).toEqual(predictRows(run.outcome!, [[5.0, 3.4, 1.5, 0.2], [6.9, 3.1, 5.4, 2.1]]).map((p) => p.prediction));
  });

  it('exits 2 with one line naming the problem', () => {
    const cases: [string[], RegExp][] = [
      [['export', projectPath, '--format', 'keras', '--out', 'x'], /--format expects one of onnx, tfjs, js, python, json, csv, pytorch, got 'keras'/],
      [['export', projectPath, '--format', 'onnx'], /--out PATH is required/],
      [['export', join(folder, 'nope.nnstudio'), '--format', 'onnx', '--out', 'x.onnx'], /nope\.nnstudio: cannot be opened: there is no such file/],
      [['export', projectPath, '--format', 'onnx', '--out', 'x.onnx', '--run', 'dead'], /run deadbeef has no trained model to export \(it failed: training diverged at epoch 3\)/],
      [['export', projectPath, '--format', 'onnx', '--out', 'x.onnx', '--run', 'zzz'], /the project has no run 'zzz' \(its runs: /],
      [['export', projectPath, '--format', 'js', '--out', 'x.mjs', '--data', 'a.csv'], /--data is for --format csv only/],
      [['export', folder, '--format', 'json', '--out', 'x.json'], /: is a folder, not a project file/],
    ];
    for (const [args, message] of cases) {
      const { code, stdout, stderr } = nnStudioIn(args);
      expect(code, args.join(' ')).toBe(2);
      expect(stdout).toBe('');
      expect(stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(stderr).toMatch(message);
    }
  });
});
