/**
 * The PyTorch job trains exactly as the studio's engine: from the same initial weights, full-batch
 * steps in PyTorch (train.py, float64) land on the weights the engine's Trainer reaches, for every
 * optimizer, with L1 and L2 and a decaying learning rate — on a dense network over sklearn's wine table and on a CNN
 * (convolution, batch norm, pooling) over a folder of PNG images.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { OPTIMIZER_NAMES, type OptimizerName } from '../../shared/nn/spec.js';
import { Model } from '../../shared/nn/model.js';
import { Trainer } from '../../shared/nn/trainer.js';
import type { RunConfigInput } from '../../shared/runs/config.js';
import { engineDataset } from '../../shared/runs/tensors.js';
import { buildPytorchJob, exportPytorchJob } from '../../main/export/pytorch.js';
import { tempFolder, writeImageFolder } from './fixtures.js';
import { flatOf, pythonForTests, runTrain, writeWineCsv } from './pytorch-fixtures.js';

const STEPS = 3;
const TOLERANCE = 1e-5;

const env = await pythonForTests();
const folder = tempFolder('nn-studio-torch-step-');

/** The engine's weights after STEPS full-batch steps of `config` (the worker's own preparation). */
async function studioSteps(config: RunConfigInput): Promise<{ initial: Float32Array; after: Float32Array }> {
  const built = await buildPytorchJob(config);
  const { prepared, job } = built;
  const model = Model.create(job.spec, { seed: job.run.config.seed });
  const initial = model.savedWeights();
  const trainer = new Trainer(model, engineDataset(prepared.train, prepared.task, model.outputs), job.training);
  for (let i = 0; i < STEPS; i++) {
    trainer.step();
    trainer.endEpoch();
  }
  return { initial, after: model.savedWeights() };
}

/** max |a − b| / max(|b|, 1e-3) over every weight: relative, with a floor for weights near 0. */
function relativeError(a: Float32Array, b: Float32Array): number {
  let worst = 0;
  for (let i = 0; i < b.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.max(Math.abs(b[i]), 1e-3));
  return worst;
}

function training(optimizer: OptimizerName) {
  // Rates that move every weight visibly in three steps; momentum/Nesterov/Adam use their moments from step 2 on.
  const learningRate = optimizer === 'sgd' || optimizer === 'momentum' || optimizer === 'nesterov' ? 0.05 : 0.01;
  // A rate that changes every step (one epoch is one full-batch step): momentum kept with the rate
  // in it (the studio's v ← μv − ηg) and without (PyTorch's SGD buffer) then part ways.
  const schedule = { name: 'exponential' as const, rate: 0.7 };
  return { optimizer, learningRate, schedule, batchSize: 'full' as const, epochs: STEPS, l1: 1e-3, l2: 1e-2, patience: 0 };
}

describe.skipIf(env.missing !== null)('one full-batch step in PyTorch equals one of the studio engine', () => {
  let wine = '';
  let images = '';
  beforeAll(() => {
    wine = writeWineCsv(folder);
    images = writeImageFolder(folder);
  });

  const cases = [
    { name: 'dense on wine', config: (o: OptimizerName): RunConfigInput => ({
      dataset: { source: wine }, seed: 3, training: training(o),
      model: { hidden: [{ type: 'dense', units: 12, activation: 'tanh' }, { type: 'dense', units: 8, activation: 'elu' }] },
    }) },
    { name: 'CNN on PNG images', config: (o: OptimizerName): RunConfigInput => ({
      dataset: { source: images, options: { imageSize: 6 } }, seed: 5, training: training(o),
      model: { hidden: [
        // No bias before batch norm: its gradient is 0 up to rounding, which RMSprop and Adam would
        // magnify into full steps in whichever direction each engine's rounding points.
        { type: 'conv2d', filters: 3, kernel: 3, padding: 'same', activation: 'identity', bias: false }, { type: 'batchnorm' }, { type: 'activation', activation: 'relu' },
        { type: 'maxpool2d', size: 2 }, { type: 'conv2d', filters: 4, kernel: 2, activation: 'leaky-relu' }, { type: 'avgpool2d', size: 2 },
        { type: 'flatten' }, { type: 'dense', units: 6, activation: 'sigmoid' },
      ] },
    }) },
  ];

  for (const c of cases) {
    for (const optimizer of OPTIMIZER_NAMES) {
      it(`${c.name}, ${optimizer}`, async () => {
        const config = c.config(optimizer);
        const job = join(folder, `${c.name.replace(/\W+/g, '-')}-${optimizer}`);
        await exportPytorchJob(config, job);
        const studio = await studioSteps(config);
        expect(relativeError(flatOf(join(job, 'initial.npz')), studio.initial)).toBe(0);
        runTrain(job, ['--out', 'run', '--dtype', 'float64']);
        const torch = flatOf(join(job, 'run', 'weights.npz'));
        // The steps moved the weights far more than the tolerance, so agreeing is not agreeing on nothing.
        expect(relativeError(studio.initial, studio.after)).toBeGreaterThan(100 * TOLERANCE);
        expect(relativeError(torch, studio.after)).toBeLessThanOrEqual(TOLERANCE);
      }, 120_000);
    }
  }
});
