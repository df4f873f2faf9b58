/**
 * `nn-studio train --folds K`, `--split-seed`, `--refit` and what the run summary says of the
 * split and the kept epoch (issue 16, items 2–5), through the package's bin in a child process.
 */
import { describe, expect, it } from 'vitest';
import { nnStudio } from './run.js';

describe('nn-studio train: honest validation', () => {
  it('--folds 3 trains one run per fold and prints mean ± sd of each metric over the folds', () => {
    const { code, stdout, stderr } = nnStudio(['train', 'sample:iris', '--folds', '3', '--epochs', '30', '--json'], { timeout: 240_000 });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n').map((l) => JSON.parse(l));
    const folds = lines.filter((l) => l.type === 'fold');
    expect(folds.map((f) => f.fold)).toEqual([1, 2, 3]);
    // Every row is tested once: the folds' test rows add up to the 150 iris rows.
    expect(folds.reduce((n, f) => n + f.metrics.test.rows, 0)).toBe(150);
    const cv = lines.at(-1);
    expect(cv.type).toBe('cv');
    const accuracies = folds.map((f) => f.metrics.test.accuracy);
    expect(cv.metrics.accuracy.values).toEqual(accuracies);
    const mean = accuracies.reduce((a: number, b: number) => a + b, 0) / 3;
    expect(cv.metrics.accuracy.mean).toBeCloseTo(mean, 12);
    expect(cv.metrics.accuracy.sd).toBeCloseTo(Math.sqrt(accuracies.reduce((a: number, v: number) => a + (v - mean) ** 2, 0) / 3), 12);
    expect(cv.metrics.accuracy.mean).toBeGreaterThan(0.85);
  });

  it('the summary names the rows, the split seed and the kept epoch; --refit says what it retrained', () => {
    const { code, stdout } = nnStudio(['train', 'sample:iris', '--epochs', '40', '--patience', '0', '--split-seed', '5', '--refit']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Finished after 40 epochs \(completed, (kept best validation epoch \d+|best validation epoch 40 \(the last\))\)/m);
    expect(stdout).toMatch(/^rows: 104 train, 23 validation, 23 test \(split seed 5\)$/m);
    expect(stdout).toMatch(/^refit: trained again on 127 train \+ validation rows for \d+ epochs/m);
  });

  it('refuses --folds out of range and --folds with --out, in one line with exit code 2', () => {
    for (const args of [['--folds', '1'], ['--folds', '21'], ['--folds', '3', '--out', 'x.nnstudio']]) {
      const { code, stderr } = nnStudio(['train', 'sample:iris', ...args]);
      expect(code).toBe(2);
      expect(stderr.trim().split('\n')).toHaveLength(1);
      expect(stderr).toMatch(/--folds|--out/);
    }
  });
});
