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

  it('maps the batch modes: full batch, stochastic (1 row), mini-batch', () => {
    expect(trainingChoice({ ...emptyTrainingDraft(), batchMode: 'full' }).choice.batchSize).toBe('full');
    expect(trainingChoice({ ...emptyTrainingDraft(), batchMode: 'stochastic' }).choice.batchSize).toBe(1);
  });

  it('shows as placeholders exactly the defaults the worker will use', () => {
    const defaults = trainingDefaults(emptyTrainingDraft(), shape)!;
    const worker = trainConfigFor({}, shape, 1);
    expect(defaults).toEqual({
      optimizer: worker.optimizer.name, learningRate: worker.optimizer.lr, batchSize: worker.batchSize,
      epochs: worker.epochs, patience: worker.earlyStopping!.patience,
    });
  });
});
