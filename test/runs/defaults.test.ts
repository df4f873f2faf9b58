/**
 * Runs set up the way a practitioner would sign (issue 16, items 1–5): divergence advice that
 * names the target, the best validation epoch kept, the split's own seed, a refit on train +
 * validation, and k-fold splits that partition the rows, stratified.
 */
import { describe, expect, it } from 'vitest';
import { RunSession } from '../../main/worker/run.js';
import { prepareDataset } from '../../main/data/index.js';
import { runConfigFromFlags } from '../../main/cli/commands/train.js';
import { foldRows } from '../../shared/data/split.js';
import { Model } from '../../shared/nn/model.js';
import { Trainer } from '../../shared/nn/trainer.js';
import { evaluate } from '../../shared/nn/evaluate.js';
import { Random } from '../../shared/nn/random.js';
import type { FromWorker } from '../../shared/ipc/worker-protocol.js';
import { RunConfig, datasetOptionsOf, withSplitSeed, DEFAULT_SPLIT_SEED } from '../../shared/runs/config.js';
import { summarizeFolds } from '../../shared/runs/cross-validation.js';
import { tempFolder, trainRun, writeLinearCsv } from '../export/fixtures.js';

async function failureOf(config: unknown): Promise<string> {
  const messages: FromWorker[] = [];
  await new RunSession('fails', (m) => messages.push(m)).run(config);
  const failed = messages.find((m) => m.type === 'run:failed');
  if (failed?.type !== 'run:failed') throw new Error('the run did not fail');
  return failed.error.message;
}

describe('divergence advice', () => {
  it('names the target, not the inputs, when an unscalable regression target diverges', async () => {
    const { path } = writeLinearCsv(tempFolder(), 200, 3);
    // A leaky-ReLU output layer cannot carry the standardisation's inverse: this target trains raw.
    const message = await failureOf({ dataset: { source: path }, model: { outputActivation: 'leaky-relu' }, training: { optimizer: 'sgd', learningRate: 0.5, epochs: 5, patience: 0 } });
    expect(message).toMatch(/^training diverged at epoch 1/);
    expect(message).toContain("scale the target 'y' (mean 1");
    expect(message).not.toContain('scale the inputs');
  });
});

/** 1-based epoch of the best validation metric, a tie going to the lower validation loss. */
function bestByMetric(points: { metric: number; loss: number }[]): number {
  let best = 0;
  points.forEach((p, i) => {
    const b = points[best];
    if (p.metric > b.metric || (p.metric === b.metric && p.loss < b.loss)) best = i;
  });
  return best + 1;
}

describe('the best validation epoch is kept', () => {
  /** 40 rows of pure noise labels and a wide network: validation loss bottoms out early, then climbs. */
  function overfitting(keepBest: boolean) {
    const random = new Random(5);
    const make = (rows: number) => ({ x: Float32Array.from({ length: rows * 4 }, () => random.normal()), y: Float32Array.from({ length: rows }, () => (random.uniform() < 0.5 ? 0 : 1)), rows });
    const train = make(40), validation = make(40);
    const model = Model.create({ version: 2, input: [4], task: 'classification', loss: 'binary-crossentropy', layers: [{ type: 'dense', units: 64, activation: 'relu' }, { type: 'dense', units: 1, activation: 'sigmoid' }] }, { seed: 2 });
    const trainer = new Trainer(model, train, { optimizer: { name: 'adam', lr: 0.01 }, epochs: 60, batchSize: 8, seed: 1, keepBest }, validation);
    return { model, trainer, validation };
  }

  it('a completed run without early stopping ends on the best epoch\'s weights and says which', async () => {
    const { model, trainer, validation } = overfitting(true);
    const result = await trainer.train();
    expect(result.reason).toBe('completed');
    const points = result.history.map((h) => ({ metric: (h.validation!.metrics as { accuracy: number }).accuracy, loss: h.validation!.loss }));
    const best = bestByMetric(points);
    expect(best).toBeLessThan(60); // the case is one where the last epoch is not the best
    expect(result.bestEpoch).toBe(best);
    expect(result.keptEpoch).toBe(best);
    expect(result.restoredBest).toBe(true);
    expect(evaluate(model, validation).loss).toBeCloseTo(points[best - 1].loss, 6);
  });

  it('without keepBest the last epoch\'s weights stay (the engine\'s default for its own callers)', async () => {
    const { model, trainer, validation } = overfitting(false);
    const result = await trainer.train();
    expect(result.restoredBest).toBe(false);
    expect(evaluate(model, validation).loss).toBeCloseTo(result.history.at(-1)!.validation!.loss, 6);
  });

  it('runs the studio starts keep it: spiral ends on its best validation epoch, early-stopped or not', async () => {
    for (const patience of [0, 5]) {
      const run = await trainRun({ dataset: { source: 'sample:spiral' }, training: { epochs: 80, patience } });
      const o = run.outcome!;
      const best = bestByMetric(o.history.map((h) => ({ metric: h.valMetric!, loss: h.valLoss! })));
      expect(o.bestEpoch).toBe(best);
      expect(o.restoredBest).toBe(best !== o.epochs);
      expect(o.evaluation.validation!.loss).toBeCloseTo(o.history[best - 1].valLoss!, 5);
    }
  }, 60_000);
});

describe('the split has its own seed', () => {
  const testRows = async (flags: Record<string, unknown>) => {
    const config = withSplitSeed(RunConfig.parse(runConfigFromFlags('sample:iris', flags)));
    const prepared = await prepareDataset(config.dataset.source, datasetOptionsOf(config));
    return Array.from(prepared.test.rows).sort((a, b) => a - b);
  };

  it('changing --seed keeps the test rows; changing --split-seed changes them', async () => {
    const [a, b, c] = await Promise.all([testRows({ seed: '1' }), testRows({ seed: '2' }), testRows({ seed: '1', 'split-seed': '7' })]);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it('a new run writes the split seed down; a run saved before keeps splitting by its training seed', () => {
    const fresh = withSplitSeed(RunConfig.parse({ dataset: { source: 'sample:iris' }, seed: 9 }));
    expect(fresh.dataset.options.seed).toBe(DEFAULT_SPLIT_SEED);
    expect(datasetOptionsOf(fresh).seed).toBe(DEFAULT_SPLIT_SEED);
    const old = RunConfig.parse({ dataset: { source: 'sample:iris' }, seed: 9 });
    expect(datasetOptionsOf(old).seed).toBe(9);
    const chosen = withSplitSeed(RunConfig.parse({ dataset: { source: 'sample:iris', options: { seed: 3 } }, seed: 9 }));
    expect(chosen.dataset.options.seed).toBe(3);
  });
});

describe('refit on train + validation', () => {
  it('trains again for the best epoch count on every non-test row, and judges that model on the test split', async () => {
    const base = { dataset: { source: 'sample:iris' }, training: { epochs: 60, patience: 0 } } as const;
    const plain = await trainRun(base);
    const refitted = await trainRun({ ...base, training: { ...base.training, refit: true } });
    const o = refitted.outcome!;
    const rows = refitted.data!.rows;
    expect(o.refit).toEqual({ epochs: o.bestEpoch, rows: rows.train + rows.validation });
    expect(o.bestEpoch).toBe(plain.outcome!.bestEpoch); // same selection run
    expect(o.weights).not.toBe(plain.outcome!.weights);
    // Validation stays the selection model's judgement: the refit trained on those rows.
    expect(o.evaluation.validation!.loss).toBeCloseTo(plain.outcome!.evaluation.validation!.loss, 6);
    expect(o.evaluation.test!.metrics.rows).toBe(rows.test);
  }, 60_000);
});

describe('k-fold splits', () => {
  const n = 150;
  const rows = Int32Array.from({ length: n }, (_, i) => i);
  const labels = Int32Array.from({ length: n }, (_, i) => (i < 100 ? 0 : i < 140 ? 1 : 2)); // 100 : 40 : 10
  const fractions = { train: 0.7, validation: 0.15, test: 0.15 };

  it('every row is tested in exactly one fold, never trained on there, and each fold keeps the class proportions', () => {
    const seen = new Int32Array(n);
    for (let k = 0; k < 5; k++) {
      const split = foldRows(rows, { count: 5, index: k }, fractions, 42, labels);
      const test = new Set(split.test);
      for (const r of [...split.train, ...split.validation]) expect(test.has(r)).toBe(false);
      expect(split.train.length + split.validation.length + split.test.length).toBe(n);
      for (const r of split.test) seen[r]++;
      const perClass = [0, 0, 0];
      for (const r of split.test) perClass[labels[r]]++;
      expect(perClass.map((c, i) => Math.abs(c - [20, 8, 2][i]))).toEqual([0, 0, 0]);
      expect(split.validation.length).toBe(Math.round(120 * (0.15 / 0.85)));
    }
    expect(Array.from(seen).every((s) => s === 1)).toBe(true);
  });

  it('mean ± sd per metric are the folds\' mean and population sd', () => {
    const fold = (accuracy: number) => ({ loss: 0, metrics: { kind: 'classification' as const, rows: 10, accuracy, perClass: [], macro: { precision: 0, recall: 0, f1: accuracy / 2 }, weighted: { precision: 0, recall: 0, f1: 0 }, confusion: [], labels: [] } });
    const [accuracy, f1] = summarizeFolds([fold(0.9), fold(1), fold(0.8)]);
    expect(accuracy).toMatchObject({ metric: 'accuracy', values: [0.9, 1, 0.8] });
    expect(accuracy.mean).toBeCloseTo(0.9, 12);
    expect(accuracy.sd).toBeCloseTo(Math.sqrt(0.02 / 3), 12);
    expect(f1.metric).toBe('macro_f1');
  });
});
