/**
 * Issue 16's CLI flags: schedules, momentum, AdamW's weight decay, gradient clipping and class
 * weights on `train`; the ROC/PR figures and --threshold of `evaluate`; --threshold of `export`;
 * `predict` echoing every column of the file. Real processes, through the package's bin.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runConfigFromFlags } from '../../main/cli/commands/train.js';
import { nnStudio } from './run.js';

const folder = mkdtempSync(join(tmpdir(), 'nn-studio-flags-'));
const project = join(folder, 'moons.nnstudio');

describe('train flags', () => {
  it('spell the training choices the worker uses', () => {
    const config = runConfigFromFlags('sample:moons', {
      optimizer: 'nesterov', momentum: '0.8', schedule: 'plateau:0.5:4', 'clip-norm': '2', 'class-weights': 'balanced',
    });
    expect(config.training).toMatchObject({
      optimizer: 'nesterov', momentum: 0.8, clipNorm: 2, classWeights: 'balanced',
      schedule: { name: 'plateau', factor: 0.5, patience: 4, minLr: 0 },
    });
    expect(runConfigFromFlags('x.csv', { optimizer: 'adamw', 'weight-decay': '0.05', schedule: 'step:10:0.5' }).training)
      .toMatchObject({ weightDecay: 0.05, schedule: { name: 'step', every: 10, factor: 0.5 } });
    expect(runConfigFromFlags('x.csv', { 'class-weights': '1,4.5', schedule: 'cosine' }).training).toMatchObject({ classWeights: [1, 4.5], schedule: { name: 'cosine', minLr: 0 } });
  });

  it('refuse mistakes with one line and exit code 2, saying what was expected', () => {
    const cases: [string[], RegExp][] = [
      [['--schedule', 'plateau:2'], /--schedule plateau expects plateau:FACTOR with FACTOR between 0 and 1/],
      [['--schedule', 'wavy'], /--schedule wavy expects one of constant, step:EVERY:FACTOR/],
      [['--momentum', '0.9'], /--momentum is the momentum optimizers' μ; add --optimizer momentum/],
      [['--weight-decay', '0.1'], /--weight-decay is AdamW's decoupled decay; add --optimizer adamw/],
      [['--clip-norm', '0'], /--clip-norm expects a positive number, got '0'/],
      [['--class-weights', 'heavy'], /--class-weights expects balanced, none or one weight ≥ 0 per class/],
      [['--class-weights', '1,2,3'], /3 class weights for 2 classes/],
    ];
    for (const [flags, message] of cases) {
      const { code, stderr } = nnStudio(['train', 'sample:moons', '--epochs', '1', ...flags]);
      expect(code, flags.join(' ')).toBe(2);
      expect(stderr.trim().split('\n'), flags.join(' ')).toHaveLength(1);
      expect(stderr, flags.join(' ')).toMatch(message);
    }
  });
});

describe('evaluate and export of a two-class run', () => {
  beforeAll(() => {
    const trained = nnStudio(['train', 'sample:moons', '--epochs', '20', '--class-weights', 'balanced', '--schedule', 'plateau', '--out', project]);
    if (trained.code !== 0) throw new Error(trained.stderr);
  }, 120_000);

  it('evaluate --json gives ROC AUC, average precision and the curves; --threshold moves the decision', () => {
    const at = (threshold: string) => JSON.parse(nnStudio(['evaluate', project, '--json', '--threshold', threshold]).stdout);
    const low = at('0.05'), high = at('0.95');
    expect(low.metrics.roc_auc).toBeGreaterThan(0.8);
    expect(low.metrics.roc_auc).toBe(high.metrics.roc_auc); // the ranking does not depend on the threshold
    expect(low.metrics.average_precision).toBeGreaterThan(0.8);
    expect(low.curves.length).toBeGreaterThan(5);
    expect(low.curves[0]).toEqual(expect.objectContaining({ threshold: expect.any(Number), fpr: expect.any(Number), tpr: expect.any(Number) }));
    expect(low.metrics.per_class[1].recall).toBeGreaterThanOrEqual(high.metrics.per_class[1].recall);
    const plain = nnStudio(['evaluate', project]);
    expect(plain.stdout).toMatch(/ROC AUC 0\.\d{4}, average precision 0\.\d{4} \(positive class 1\)/);
    const bad = nnStudio(['evaluate', project, '--threshold', '2']);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toBe("nn-studio evaluate: --threshold expects a probability from 0 to 1, got '2'");
  });

  it('export --threshold is applied by the JS module it writes', async () => {
    const out = join(folder, 'moons.mjs');
    expect(nnStudio(['export', project, '--format', 'js', '--out', out, '--threshold', '0']).code).toBe(0);
    const mod = (await import(out)) as { THRESHOLD: number; predict(rows: unknown[]): { prediction: string }[] };
    expect(mod.THRESHOLD).toBe(0);
    // Every probability is ≥ 0: everything is the second class.
    expect(mod.predict([{ x1: -1, x2: 2 }, { x1: 2, x2: -1 }, { x1: 0.5, x2: 0.25 }]).map((p) => p.prediction)).toEqual(['1', '1', '1']);
    expect(nnStudio(['export', project, '--format', 'js', '--out', out, '--threshold', 'high']).stderr.trim()).toBe("nn-studio export: --threshold expects a probability from 0 to 1, got 'high'");
  });

  it('predict echoes every column of the file, constant ones too', () => {
    const csv = join(folder, 'with-constant.csv');
    writeFileSync(csv, 'x1,x2,site\n0.5,0.25,lab\n-1,2,lab\n');
    const { code, stdout, stderr } = nnStudio(['predict', project, csv]);
    expect(code, stderr).toBe(0);
    const [header, first] = stdout.trim().split('\n');
    expect(header).toBe('x1,x2,site,prediction,p_0,p_1');
    expect(first.startsWith('0.5,0.25,lab,')).toBe(true);
  });
});

it('export --help says what each format takes', () => {
  const help = nnStudio(['export', '--help']).stdout;
  expect(help).toMatch(/Every format reads raw rows as\s+`nn-studio predict` does/);
  expect(help).toContain('model.predict.mjs');
  expect(help).toContain('--threshold P');
});
