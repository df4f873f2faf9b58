/**
 * The Train page's settings as a form holds them (text a person typed, 'auto' for "let the data
 * decide") and their conversion to the run config's `TrainingChoice`. The placeholders a form
 * shows are the defaults the worker will actually use, computed by the same shared function
 * (`trainConfigFor`) from the data's shape — one source of truth for "defaults filled from the data".
 */
import type { OptimizerName } from '../../../shared/nn/spec.js';
import { trainConfigFor, type DataShape, type TrainingChoice } from '../../../shared/runs/config.js';
import { parseNumberInput } from './format.js';

export type BatchMode = 'auto' | 'full' | 'stochastic' | 'mini';
export type ScheduleName = 'constant' | 'step' | 'exponential' | 'cosine';

export interface TrainingDraft {
  optimizer: OptimizerName | 'auto';
  learningRate: string;
  momentum: string;
  schedule: ScheduleName;
  /** step: every N epochs multiply by factor; exponential: rate per epoch; cosine: minimum lr. */
  scheduleEvery: string;
  scheduleFactor: string;
  batchMode: BatchMode;
  batchSize: string;
  epochs: string;
  l1: string;
  l2: string;
  dropout: string;
  /** Early stopping patience in epochs; '0' turns it off; '' = default. */
  patience: string;
  seed: string;
  /** Train again on train + validation for the best epoch count once the run has chosen it. */
  refit: boolean;
}

export function emptyTrainingDraft(): TrainingDraft {
  return {
    optimizer: 'auto', learningRate: '', momentum: '', schedule: 'constant', scheduleEvery: '10', scheduleFactor: '0.5',
    batchMode: 'auto', batchSize: '', epochs: '', l1: '', l2: '', dropout: '', patience: '', seed: '1', refit: false,
  };
}

/** A field that failed to parse: its name (the draft's key) and what was expected. */
export interface FieldProblem {
  field: keyof TrainingDraft;
  expected: 'positive' | 'nonnegative' | 'integer' | 'fraction' | 'dropout';
}

interface Parsed {
  choice: TrainingChoice;
  seed: number;
  problems: FieldProblem[];
}

/** The draft as a `TrainingChoice` plus the seed, or the fields that are not valid numbers. */
export function trainingChoice(draft: TrainingDraft): Parsed {
  const problems: FieldProblem[] = [];
  const num = (field: keyof TrainingDraft, expected: FieldProblem['expected']): number | undefined => {
    const v = parseNumberInput(String(draft[field]));
    if (v === null) return undefined;
    const ok = !Number.isNaN(v) && (
      expected === 'positive' ? v > 0
        : expected === 'nonnegative' ? v >= 0
          : expected === 'integer' ? Number.isInteger(v) && v >= 0
            : expected === 'fraction' ? v > 0 && v <= 1
              : v >= 0 && v <= 0.95);
    if (!ok) {
      problems.push({ field, expected });
      return undefined;
    }
    return v;
  };
  const choice: TrainingChoice = {};
  if (draft.optimizer !== 'auto') choice.optimizer = draft.optimizer;
  const lr = num('learningRate', 'positive');
  if (lr !== undefined) choice.learningRate = lr;
  const momentum = num('momentum', 'fraction');
  if (momentum !== undefined) choice.momentum = momentum;
  if (draft.schedule === 'step') {
    const every = num('scheduleEvery', 'integer');
    const factor = num('scheduleFactor', 'fraction');
    choice.schedule = { name: 'step', every: Math.max(1, every ?? 10), factor: factor ?? 0.5 };
  } else if (draft.schedule === 'exponential') {
    choice.schedule = { name: 'exponential', rate: num('scheduleFactor', 'fraction') ?? 0.95 };
  } else if (draft.schedule === 'cosine') {
    choice.schedule = { name: 'cosine', minLr: 0 };
  }
  if (draft.batchMode === 'full') choice.batchSize = 'full';
  else if (draft.batchMode === 'stochastic') choice.batchSize = 1;
  else if (draft.batchMode === 'mini') {
    const size = num('batchSize', 'integer');
    if (size !== undefined) {
      if (size < 1) problems.push({ field: 'batchSize', expected: 'integer' });
      else choice.batchSize = size;
    }
  }
  const epochs = num('epochs', 'integer');
  if (epochs !== undefined) {
    if (epochs < 1) problems.push({ field: 'epochs', expected: 'integer' });
    else choice.epochs = epochs;
  }
  const l1 = num('l1', 'nonnegative');
  if (l1 !== undefined) choice.l1 = l1;
  const l2 = num('l2', 'nonnegative');
  if (l2 !== undefined) choice.l2 = l2;
  const dropout = num('dropout', 'dropout');
  if (dropout !== undefined) choice.dropout = dropout;
  const patience = num('patience', 'integer');
  if (patience !== undefined) choice.patience = patience;
  if (draft.refit) choice.refit = true;
  const seed = num('seed', 'integer') ?? 1;
  return { choice, seed, problems };
}

/** A draft from a run's training part (duplicating a run). */
export function trainingDraftFromChoice(choice: TrainingChoice, seed: number): TrainingDraft {
  const s = (v: number | undefined) => (v === undefined ? '' : String(v));
  const draft = emptyTrainingDraft();
  draft.optimizer = choice.optimizer ?? 'auto';
  draft.learningRate = s(choice.learningRate);
  draft.momentum = s(choice.momentum);
  const schedule = choice.schedule;
  if (schedule) {
    draft.schedule = schedule.name;
    if (schedule.name === 'step') {
      draft.scheduleEvery = String(schedule.every);
      draft.scheduleFactor = String(schedule.factor);
    } else if (schedule.name === 'exponential') draft.scheduleFactor = String(schedule.rate);
  }
  if (choice.batchSize === 'full') draft.batchMode = 'full';
  else if (choice.batchSize === 1) draft.batchMode = 'stochastic';
  else if (choice.batchSize !== undefined) {
    draft.batchMode = 'mini';
    draft.batchSize = String(choice.batchSize);
  }
  draft.epochs = s(choice.epochs);
  draft.l1 = s(choice.l1);
  draft.l2 = s(choice.l2);
  draft.dropout = s(choice.dropout);
  draft.patience = s(choice.patience);
  draft.seed = String(seed);
  draft.refit = choice.refit ?? false;
  return draft;
}

/** What the worker will use for the fields left empty: shown as placeholders. */
export interface TrainingDefaults {
  optimizer: string;
  learningRate: number;
  batchSize: number | 'full';
  epochs: number | undefined;
  patience: number;
}

/** The defaults the worker fills for this draft on data of this shape (same function it uses). */
export function trainingDefaults(draft: TrainingDraft, shape: DataShape): TrainingDefaults | null {
  const { choice, seed } = trainingChoice(draft);
  try {
    const config = trainConfigFor(choice, shape, seed);
    return {
      optimizer: config.optimizer.name,
      learningRate: config.optimizer.lr,
      batchSize: config.batchSize ?? 32,
      epochs: config.epochs,
      patience: config.earlyStopping?.patience ?? 0,
    };
  } catch {
    return null;
  }
}
