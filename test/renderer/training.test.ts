/** The Train page's form: what a person types becomes the run's training choice; placeholders are the worker's defaults. */
import { describe, expect, it } from 'vitest';
import { emptyTrainingDraft, trainingChoice, trainingDefaults, trainingDraftFromChoice } from '../../renderer/src/lib/training.js';
import { trainConfigFor } from '../../shared/runs/config.js';

const shape = { task: 'classification' as const, inputs: 2, outputs: 3, trainRows: 210 };

describe('the training form', () => {
  it('leaves empty fields to the data-driven defaults', () => {
    expect(trainingChoice(emptyTrainingDraft())).toEqual({ choice: {}, seed: 1, problems: [] });
  });

  it('reads every field a person fills', () => {
    const draft = {
      ...emptyTrainingDraft(), optimizer: 'momentum' as const, learningRate: '0,05', momentum: '0.8', schedule: 'step' as const,
      scheduleEvery: '5', scheduleFactor: '0.5', batchMode: 'mini' as const, batchSize: '20', epochs: '30', l1: '0', l2: '1e-4',
      dropout: '0.1', patience: '0', seed: '7',
    };
    const { choice, seed, problems } = trainingChoice(draft);
    expect(problems).toEqual([]);
    expect(seed).toBe(7);
    expect(choice).toEqual({
      optimizer: 'momentum', learningRate: 0.05, momentum: 0.8, schedule: { name: 'step', every: 5, factor: 0.5 },
      batchSize: 20, epochs: 30, l1: 0, l2: 1e-4, dropout: 0.1, patience: 0,
    });
    // Back to a form (duplicating a run): the same settings, numbers in their plain spelling.
    expect(trainingDraftFromChoice(choice, seed)).toEqual({ ...draft, learningRate: '0.05', l2: '0.0001' });
  });

  it('names the fields that are not valid', () => {
    const { problems } = trainingChoice({ ...emptyTrainingDraft(), learningRate: '-1', epochs: '2.5', dropout: '0.99', batchMode: 'mini', batchSize: '0' });
    expect(problems.map((p) => p.field)).toEqual(['learningRate', 'batchSize', 'epochs', 'dropout']);
  });

  it('marks a value the run settings would refuse, with the bound, as it is typed (not at Train)', () => {
    const { problems } = trainingChoice({ ...emptyTrainingDraft(), learningRate: '5000', epochs: '2000000', seed: '99999999999' });
    expect(problems).toEqual([
      { field: 'learningRate', expected: 'range', bound: { side: 'max', value: 1000 } },
      { field: 'epochs', expected: 'range', bound: { side: 'max', value: 1_000_000 } },
      { field: 'seed', expected: 'range', bound: { side: 'max', value: 2 ** 31 - 1 } },
    ]);
    // Within the bounds: no problem, and the value is taken.
    const fine = trainingChoice({ ...emptyTrainingDraft(), learningRate: '1000' });
    expect(fine.problems).toEqual([]);
    expect(fine.choice.learningRate).toBe(1000);
  });

  it('maps the batch modes: full batch, stochastic (1 row), mini-batch', () => {
    expect(trainingChoice({ ...emptyTrainingDraft(), batchMode: 'full' }).choice.batchSize).toBe('full');
    expect(trainingChoice({ ...emptyTrainingDraft(), batchMode: 'stochastic' }).choice.batchSize).toBe(1);
  });

  it('shows as placeholders the defaults the worker will use for this data and these choices', () => {
    // 210 training rows: batch 32 → 7 steps an epoch → 3000/7 ≈ 429 epochs, patience a tenth of
    // them, Adam at 0.01 (fewer than 10,000 rows). Numbers worked out by hand from the rule in
    // shared/runs/config.ts, so a change of the rule or of what the form shows fails here.
    expect(trainingDefaults(emptyTrainingDraft(), shape)).toEqual({ optimizer: 'adam', learningRate: 0.01, batchSize: 32, epochs: 429, patience: 43 });
    // The placeholders follow what the person already chose: batches of 100 → 3 steps → 1000 epochs.
    expect(trainingDefaults({ ...emptyTrainingDraft(), batchMode: 'mini', batchSize: '100', optimizer: 'sgd' }, shape))
      .toEqual({ optimizer: 'sgd', learningRate: 0.1, batchSize: 100, epochs: 1000, patience: 100 });
    // 20,000 rows: batches of 64, Adam at 0.001, the 10-epoch floor.
    expect(trainingDefaults(emptyTrainingDraft(), { ...shape, trainRows: 20_000 }))
      .toEqual({ optimizer: 'adam', learningRate: 0.001, batchSize: 64, epochs: 10, patience: 10 });
    // The worker is given the same numbers.
    const worker = trainConfigFor({}, shape, 1);
    expect([worker.optimizer.lr, worker.batchSize, worker.epochs]).toEqual([0.01, 32, 429]);
  });
});
