/**
 * What the PyTorch job tests share: the interpreter (skipping with a printed reason only where
 * Python or PyTorch truly is absent), sklearn's wine data as a CSV, and running a job's Python.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readNpz } from '../../shared/export/npz.js';
import { defaultPython, detectPython, type PythonEnv } from '../../main/runs/python-env.js';

export const PYTHON = defaultPython();

/** The interpreter's facts; `missing` says why PyTorch tests cannot run here (printed once). */
export async function pythonForTests(): Promise<PythonEnv> {
  const env = await detectPython(PYTHON);
  if (env.missing) console.warn(`skipping the PyTorch job tests: ${env.missing}`);
  return env;
}

/** sklearn's wine data (178 rows, 13 features, 3 classes) written as a CSV with a header. */
export function writeWineCsv(folder: string): string {
  const path = join(folder, 'wine.csv');
  execFileSync(PYTHON, ['-c', [
    'import csv, sys',
    'from sklearn.datasets import load_wine',
    'd = load_wine()',
    'with open(sys.argv[1], "w", newline="") as f:',
    '    w = csv.writer(f)',
    '    w.writerow(list(d.feature_names) + ["class"])',
    '    for x, y in zip(d.data, d.target):',
    '        w.writerow([repr(float(v)) for v in x] + [int(y)])',
  ].join('\n'), path]);
  return path;
}

/** Runs `python3 train.py ARGS` in a job folder; throws with its output when it fails. */
export function runTrain(job: string, args: string[], timeout = 300_000): string {
  const result = spawnSync(PYTHON, ['train.py', ...args], { cwd: job, encoding: 'utf8', timeout });
  if (result.status !== 0) throw new Error(`train.py ${args.join(' ')} failed (${result.status ?? result.signal}):\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

/** torchrun with torch 1.13's working log flags; resolves with its output, rejects when it fails. */
export function torchrun(job: string, args: string[], timeout = 600_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, ['-m', 'torch.distributed.run', '--redirects', '1', '--tee', '1', '--log_dir', join(job, `logs-${process.hrtime.bigint()}`), ...args], { cwd: job });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const timer = setTimeout(() => child.kill('SIGTERM'), timeout);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(output);
      else reject(new Error(`torchrun ${args.join(' ')} failed (${code ?? signal}):\n${output}`));
    });
  });
}

/** The `flat` weights an .npz holds. */
export function flatOf(path: string): Float32Array {
  return readNpz(new Uint8Array(readFileSync(path)), path).flat.data;
}
