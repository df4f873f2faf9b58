/**
 * The headless path a person takes: `nn-studio train` a CSV into a project, then `evaluate` and
 * `predict` with it — the same services and worker processes as the app.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadTableSample } from '../../shared/data/samples/index.js';
import { cellAt, cellLabel } from '../../shared/data/table.js';
import { nnStudio } from './run.js';

const folder = mkdtempSync(join(tmpdir(), 'nn-studio-train-'));
const csv = join(folder, 'iris.csv');
const project = join(folder, 'iris.nnstudio');

beforeAll(() => {
  // The iris sample written out as a plain CSV file, the way a person's own data arrives.
  const { table } = loadTableSample('iris');
  const lines = [table.columns.map((c) => c.name).join(',')];
  for (let i = 0; i < table.rowCount; i++) lines.push(table.columns.map((c) => cellLabel(cellAt(c, i))).join(','));
  writeFileSync(csv, lines.join('\n') + '\n');
});

describe('nn-studio train / evaluate / predict', () => {
  it('trains iris from the samples with default settings to test accuracy ≥ 0.9, streaming JSON lines', () => {
    const { code, stdout, stderr } = nnStudio(['train', 'sample:iris', '--json']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.slice(0, -1).every((l) => l.type === 'epoch')).toBe(true);
    const done = lines.at(-1);
    expect(done.type).toBe('done');
    expect(done.metrics.test.accuracy).toBeGreaterThanOrEqual(0.9);
    expect(Object.keys(done.metrics.test)).toEqual(expect.arrayContaining(['accuracy', 'macro_f1', 'confusion_matrix', 'labels']));
    expect(done.metrics.test.labels).toEqual(['setosa', 'versicolor', 'virginica']);
  });

  it('train --out saves a project whose evaluate reproduces the training run\'s test metrics', () => {
    const trained = nnStudio(['train', csv, '--layers', '16:tanh', '--epochs', '150', '--seed', '4', '--out', project, '--json']);
    expect(trained.code).toBe(0);
    const done = JSON.parse(trained.stdout.trim().split('\n').at(-1)!);
    expect(done.project).toBe(project);
    const evaluated = nnStudio(['evaluate', project, '--json']);
    expect(evaluated.code).toBe(0);
    const { metrics } = JSON.parse(evaluated.stdout);
    expect(metrics.accuracy).toBe(done.metrics.test.accuracy);
    expect(metrics.confusion_matrix).toEqual(done.metrics.test.confusion_matrix);
  });

  it('predict on a CSV gives the accuracy evaluate reports on the same file', () => {
    const out = join(folder, 'predictions.csv');
    expect(nnStudio(['predict', project, csv, '--out', out]).code).toBe(0);
    const [header, ...rows] = readFileSync(out, 'utf8').trim().split('\n').map((l) => l.split(','));
    expect(header).toEqual(['sepal_length', 'sepal_width', 'petal_length', 'petal_width', 'species', 'prediction', 'p_setosa', 'p_versicolor', 'p_virginica']);
    const correct = rows.filter((r) => r[4] === r[5]).length;
    const evaluated = JSON.parse(nnStudio(['evaluate', project, '--data', csv, '--json']).stdout);
    expect(evaluated.metrics.rows).toBe(150);
    expect(correct / rows.length).toBe(evaluated.metrics.accuracy);
    for (const r of rows) expect(Number(r[6]) + Number(r[7]) + Number(r[8])).toBeCloseTo(1, 5);
  });

  it('refuses bad flags and bad data with one line and exit code 2', () => {
    for (const args of [
      ['train', 'sample:iris', '--layers', '16:wobbly'],
      ['train', 'sample:iris', '--split', '0.5,0.6,0.1'],
      ['train', join(folder, 'missing.csv')],
      ['evaluate', csv],
    ]) {
      const { code, stderr } = nnStudio(args);
      expect(code, args.join(' ')).toBe(2);
      expect(stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});
