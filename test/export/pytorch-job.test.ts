/**
 * The PyTorch job end to end with the real runtimes: data.py's rows are the studio's own (tables
 * from CSV and JSON with categories and missing values, Fashion-MNIST's IDX files); torchrun with
 * two processes, and two "nodes" on 127.0.0.1, trains the exported wine and Fashion-MNIST projects;
 * `nn-studio import` brings each back, and `nn-studio evaluate` on it gives result.json's numbers;
 * a second launch resumes from the checkpoint and ends where an uninterrupted run ends.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readNpz } from '../../shared/export/npz.js';
import { prepareDataset } from '../../main/data/index.js';
import { exportPytorchJob } from '../../main/export/pytorch.js';
import { nnStudio } from '../cli/run.js';
import { tempFolder, writeMixedCsv } from './fixtures.js';
import { PYTHON, flatOf, pythonForTests, runTrain, torchrun, writeWineCsv } from './pytorch-fixtures.js';

const FASHION = '/usr/share/datasets/fashion-mnist';
const env = await pythonForTests();
const folder = tempFolder('nn-studio-torch-job-');

/** data.py's splits of a job, as the arrays it gives train.py (x, and class indices or values). */
function pythonRows(job: string) {
  const out = join(job, 'rows.npz');
  execFileSync(PYTHON, ['-c', [
    'import sys, numpy as np',
    'from data import raw_splits',
    'from model import load_job',
    's = raw_splits(load_job())',
    'np.savez(sys.argv[1], **{p + k: v[i] for k, v in s.items() for i, p in enumerate(("x_", "y_"))})',
  ].join('\n'), out], { cwd: job, maxBuffer: 1 << 26 });
  return readNpz(new Uint8Array(readFileSync(out)), out);
}

/** The first index where two arrays differ, or -1. */
function firstDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return i;
  return -1;
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function json(path: string) {
  return JSON.parse(readFileSync(path, 'utf8'));
}

/** Trains a project with the CLI, exports it as a PyTorch job; returns both paths. */
function projectAndJob(name: string, trainArgs: string[]) {
  const project = join(folder, `${name}.nnstudio`);
  const job = join(folder, `${name}-job`);
  const trained = nnStudio(['train', ...trainArgs, '--out', project], { timeout: 600_000 });
  expect(trained.code, trained.stderr).toBe(0);
  const exported = nnStudio(['export', project, '--format', 'pytorch', '--out', job]);
  expect(exported.code, exported.stderr).toBe(0);
  return { project, job };
}

/** Imports a result folder, evaluates the imported run; the CLI's test metrics and result.json's. */
function importAndEvaluate(project: string, result: string) {
  const imported = join(folder, `imported-${process.hrtime.bigint()}.nnstudio`);
  const done = nnStudio(['import', project, result, '--out', imported], { timeout: 600_000 });
  expect(done.code, done.stderr).toBe(0);
  const evaluated = nnStudio(['evaluate', imported, '--json'], { timeout: 600_000 });
  expect(evaluated.code, evaluated.stderr).toBe(0);
  return { studio: JSON.parse(evaluated.stdout).metrics, torch: json(join(result, 'result.json')).evaluation.test };
}

describe.skipIf(env.missing !== null)('the PyTorch job on this machine', () => {
  let wine = '';
  beforeAll(() => {
    wine = writeWineCsv(folder);
  });

  describe("data.py's rows are the studio's", () => {
    const tables = [
      { name: 'wine CSV', source: () => wine },
      { name: 'CSV with categories and missing values (regression)', source: () => writeMixedCsv(folder) },
      {
        name: 'JSON array of objects', source: () => {
          const lines = readFileSync(writeMixedCsv(folder, 90), 'utf8').trim().split('\n');
          const header = lines[0].split(',');
          const path = join(folder, 'houses.json');
          writeFileSync(path, JSON.stringify(lines.slice(1).map((l) => Object.fromEntries(l.split(',').map((v, i) => [header[i], v === '' ? null : /^[\d.]+$/.test(v) ? Number(v) : v])))));
          return path;
        },
      },
    ];
    for (const t of tables) {
      it(t.name, async () => {
        const source = t.source();
        const job = join(folder, `rows-${t.name.replace(/\W+/g, '-')}`);
        await exportPytorchJob({ dataset: { source }, seed: 7 }, job);
        const prepared = await prepareDataset(source, { seed: 7 });
        const rows = pythonRows(job);
        for (const split of ['train', 'validation', 'test'] as const) {
          expect(rows[`x_${split}`].shape).toEqual([prepared[split].count, prepared.inputSize]);
          expect(firstDifference(rows[`x_${split}`].data, prepared[split].x), `${split} inputs`).toBe(-1);
          expect(firstDifference(rows[`y_${split}`].data, prepared[split].y), `${split} targets`).toBe(-1);
        }
      }, 120_000);
    }

    it.skipIf(!existsSync(FASHION))('Fashion-MNIST IDX files', async () => {
      const job = join(folder, 'rows-fashion');
      await exportPytorchJob({ dataset: { source: FASHION }, seed: 2, model: { hidden: [{ type: 'dense', units: 4, activation: 'relu' }] } }, job);
      const prepared = await prepareDataset(FASHION, { seed: 2 });
      const rows = pythonRows(job);
      for (const split of ['train', 'validation', 'test'] as const) {
        expect(rows[`x_${split}`].shape).toEqual([prepared[split].count, 784]);
        expect(firstDifference(rows[`x_${split}`].data, prepared[split].x), `${split} pixels`).toBe(-1);
        expect(firstDifference(rows[`y_${split}`].data, prepared[split].y), `${split} labels`).toBe(-1);
      }
    }, 300_000);
  });

  describe('wine: torchrun, two nodes, import, evaluate, resume', () => {
    let project = '', job = '';
    beforeAll(() => {
      ({ project, job } = projectAndJob('wine', [wine, '--layers', '16:relu,dropout:0.1,8:tanh', '--epochs', '6', '--optimizer', 'adam', '--lr', '0.01']));
    }, 600_000);

    it('two processes (torchrun --standalone) train it; import and evaluate give result.json', async () => {
      await torchrun(job, ['--standalone', '--nproc_per_node', '2', 'train.py', '--out', 'ddp']);
      const result = json(join(job, 'ddp', 'result.json'));
      expect(result.world).toBe(2);
      expect(result.epochs).toBeGreaterThan(0);
      const { studio, torch } = importAndEvaluate(project, join(job, 'ddp'));
      expect(studio.rows).toBe(torch.metrics.rows);
      expect(Math.abs(studio.loss - torch.loss)).toBeLessThanOrEqual(1e-4);
      expect(Math.abs(studio.accuracy - torch.metrics.accuracy)).toBeLessThanOrEqual(1e-4);
    }, 600_000);

    it('two "nodes" on 127.0.0.1 train with the same parameters as two local processes', async () => {
      await torchrun(job, ['--standalone', '--nproc_per_node', '2', 'train.py', '--out', 'local2', '--epochs', '3']);
      const port = String(await freePort());
      const node = (rank: number) => torchrun(job, ['--nnodes', '2', '--node_rank', String(rank), '--nproc_per_node', '1',
        '--master_addr', '127.0.0.1', '--master_port', port, 'train.py', '--out', 'nodes', '--epochs', '3']);
      await Promise.all([node(0), node(1)]);
      expect(json(join(job, 'nodes', 'result.json')).world).toBe(2);
      // Dropout masks are seeded per process alike, so the two layouts of two ranks train identically.
      const a = flatOf(join(job, 'nodes', 'weights.npz')), b = flatOf(join(job, 'local2', 'weights.npz'));
      expect(Math.max(...a.map((v, i) => Math.abs(v - b[i])))).toBeLessThanOrEqual(1e-6);
    }, 600_000);

    it('a second launch resumes after the last checkpoint and ends where one launch ends', () => {
      runTrain(job, ['--out', 'whole', '--epochs', '4']);
      runTrain(job, ['--out', 'halves', '--epochs', '2']);
      const second = runTrain(job, ['--out', 'halves', '--epochs', '4']);
      expect(second).toContain('resuming after epoch 2');
      const history = readFileSync(join(job, 'halves', 'history.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
      expect(history.map((h) => h.epoch)).toEqual([1, 2, 3, 4]);
      const a = flatOf(join(job, 'halves', 'weights.npz')), b = flatOf(join(job, 'whole', 'weights.npz'));
      expect(Math.max(...a.map((v, i) => Math.abs(v - b[i])))).toBe(0);
    }, 300_000);
  });

  it.skipIf(!existsSync(FASHION))('Fashion-MNIST CNN: torchrun with two processes, import, evaluate', async () => {
    const { project, job } = projectAndJob('fashion', [FASHION, '--layers', 'conv:4x3:relu,batchnorm,maxpool:2,16:relu', '--epochs', '1', '--batch', '256']);
    await torchrun(job, ['--standalone', '--nproc_per_node', '2', 'train.py', '--out', 'ddp', '--iterations', '20']);
    const result = json(join(job, 'ddp', 'result.json'));
    expect(result.world).toBe(2);
    expect(result.iterations).toBe(20);
    const { studio, torch } = importAndEvaluate(project, join(job, 'ddp'));
    expect(studio.rows).toBe(10_000);
    expect(Math.abs(studio.loss - torch.loss)).toBeLessThanOrEqual(1e-4);
    expect(Math.abs(studio.accuracy - torch.metrics.accuracy)).toBeLessThanOrEqual(1e-4);
  }, 900_000);
});
