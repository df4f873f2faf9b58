/**
 * Issue 16, item 6's benchmark: the 357:25 breast-cancer subset written by breast-cancer.py (from
 * scikit-learn's bundled data, by /usr/bin/python3), with logistic regression
 * (class_weight='balanced') trained and judged there on the same files. The studio trains on the
 * same training rows (no validation split: logistic regression has none) and is judged on the same
 * test rows through `evaluate --data`'s code.
 *
 * The studio's network is the linear model logistic regression is, with scikit-learn's default
 * penalty (C = 1 on summed losses is λ₂ = 1/(C·n) on the mean loss the studio minimises), so the
 * comparison is of class weighting, not of model families.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluateRun } from '../../main/runs/evaluate.js';
import type { ClassificationMetrics } from '../../shared/nn/metrics.js';
import { tempFolder, trainRun } from '../export/fixtures.js';

const SCRIPT = join(fileURLToPath(new URL('.', import.meta.url)), 'breast-cancer.py');

interface Benchmark {
  train: string;
  test: string;
  train_rows: number;
  test_malignant: number;
  lr_malignant_found: number;
  lr_malignant_recall: number;
}

let bench: Benchmark;

beforeAll(() => {
  const result = spawnSync('/usr/bin/python3', [SCRIPT, tempFolder('nn-studio-imbalanced-')], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`breast-cancer.py failed: ${result.stderr}`);
  bench = JSON.parse(result.stdout) as Benchmark;
}, 60_000);

async function malignantRecall(classWeights: 'balanced' | 'none', seed: number): Promise<{ recall: number; found: number }> {
  const run = await trainRun({
    dataset: { source: bench.train, options: { target: 'diagnosis', split: { train: 1, validation: 0, test: 0 } } },
    model: { hidden: [] },
    training: { classWeights, l2: 1 / bench.train_rows },
    seed,
  });
  const { metrics } = await evaluateRun(run, { source: bench.test, options: run.config.dataset.options });
  const m = metrics as ClassificationMetrics;
  const malignant = m.perClass.find((c) => c.label === 'malignant')!;
  return { recall: malignant.recall, found: m.confusion[m.labels.indexOf('malignant')][m.labels.indexOf('malignant')] };
}

describe('imbalanced classes: 357 benign to 25 malignant', () => {
  it('the subset is as the issue describes, and logistic regression with balanced weights is the bar', () => {
    expect(bench.test_malignant).toBeGreaterThanOrEqual(5);
    expect(bench.lr_malignant_recall).toBeGreaterThan(0.5);
  });

  it("balanced class weights find at least as many malignant test cases as logistic regression's, on three seeds", async () => {
    for (const seed of [1, 2, 3]) {
      const { recall } = await malignantRecall('balanced', seed);
      expect(recall, `seed ${seed}`).toBeGreaterThanOrEqual(bench.lr_malignant_recall);
    }
  }, 120_000);

  it('without class weights the same model misses more of them (the weights are what helps)', async () => {
    const { recall } = await malignantRecall('none', 1);
    expect(recall).toBeLessThan(bench.lr_malignant_recall);
  }, 60_000);
});
