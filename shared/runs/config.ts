/**
 * A run = dataset reference + preprocessing choices + model choice + training choice + seed, as one
 * plain-JSON object: the UI's forms, the CLI's flags and a project file all produce it, the worker
 * turns it into a model and a trainer. Everything but the dataset source may be left out: the
 * defaults below are chosen from the data (design: "sensible defaults").
 */
import { z } from 'zod';
import { ACTIVATION_NAMES } from '../nn/activations.js';
import { LOSS_NAMES } from '../nn/losses.js';
import {
  LayerSpecSchema,
  LegacyLayerSpecSchema,
  OPTIMIZER_NAMES,
  ScheduleSpecSchema,
  migrateLayer,
  outputLayerFor,
  type LayerSpec,
  type LayerSpecInput,
  type ModelSpecV2Input,
  type Shape,
  type TrainConfigInput,
} from '../nn/spec.js';
import { AugmentSchema, augments } from '../nn/augment.js';
import { SpecError } from '../nn/errors.js';
import { DEFAULT_SEED, DatasetOptions } from '../data/options.js';
import { defaultHiddenLayers } from './default-layers.js';

/**
 * A hidden layer as a run config holds it: a model-spec layer (version 2), or a version-1 dense
 * layer carrying its own dropout (older project files), read as the dense layer then a dropout layer.
 */
export const HiddenLayer = z.union([LayerSpecSchema, LegacyLayerSpecSchema]);
export type HiddenLayer = z.output<typeof HiddenLayer>;

/** The hidden layers as model-spec layers (version-1 ones migrated). */
export function hiddenLayers(hidden: readonly z.input<typeof HiddenLayer>[]): LayerSpecInput[] {
  return hidden.flatMap((l) => ('type' in l ? [l] : migrateLayer(LegacyLayerSpecSchema.parse(l))));
}

/** The network, minus what the data decides (its input shape and its output layer's size). */
export const ModelChoice = z.object({
  kind: z.enum(['mlp', 'perceptron']).default('mlp'),
  /** Hidden layers, input side first. Absent: a small CNN for images, else one ReLU layer sized from the inputs (default-layers.ts). */
  hidden: z.array(HiddenLayer).optional(),
  /** The output layer's activation; absent: identity (regression), sigmoid (2 classes), softmax (more). */
  outputActivation: z.enum(ACTIVATION_NAMES).optional(),
  /** Absent: MSE (regression), binary or categorical cross-entropy (classification). */
  loss: z.enum(LOSS_NAMES).optional(),
});
export type ModelChoice = z.input<typeof ModelChoice>;

/** How to train, flat as the forms and flags show it. Every field has a data-driven default. */
export const TrainingChoice = z.object({
  optimizer: z.enum(OPTIMIZER_NAMES).optional(),
  learningRate: z.number().positive().max(1e3).optional(),
  momentum: z.number().min(0).max(1).optional(),
  schedule: ScheduleSpecSchema.optional(),
  /** Rows per step: 1 (stochastic), N (mini-batch) or 'full' (full batch). */
  batchSize: z.union([z.number().int().min(1), z.literal('full')]).optional(),
  sampling: z.enum(['shuffle', 'sequential', 'random']).optional(),
  epochs: z.number().int().min(1).max(1_000_000).optional(),
  iterations: z.number().int().min(1).optional(),
  l1: z.number().min(0).optional(),
  l2: z.number().min(0).optional(),
  /** Dropout applied to every hidden layer that does not set its own. */
  dropout: z.number().min(0).max(0.95).optional(),
  /** Early stopping: epochs without validation improvement; 0 turns it off. */
  patience: z.number().int().min(0).optional(),
  /** Image data: random shifts and flips of training batches (off by default; never in evaluation). */
  augment: AugmentSchema.optional(),
  /**
   * After training, train the network again from its first weights on train + validation for the
   * best validation epoch's count, and judge that model on the test split.
   */
  refit: z.boolean().optional(),
});
export type TrainingChoice = z.input<typeof TrainingChoice>;

export const RunConfig = z.object({
  /** Shown in the runs list. */
  name: z.string().max(200).optional(),
  dataset: z.object({
    /** A file or folder path, or `sample:NAME`. */
    source: z.string().min(1).max(4096),
    options: DatasetOptions.default({}),
  }),
  model: ModelChoice.default({ kind: 'mlp' }),
  training: TrainingChoice.default({}),
  /**
   * Seeds the initial weights, shuffling and dropout. The split has its own seed (dataset options'
   * `seed`, filled by withSplitSeed when a run starts); runs saved before that split by this one.
   */
  seed: z.number().int().min(0).max(2 ** 31 - 1).default(1),
});
export type RunConfigInput = z.input<typeof RunConfig>;
export type RunConfig = z.output<typeof RunConfig>;

/** The split's seed when neither the person nor the project chose one: fixed, so the test rows stay put whatever the training seed. */
export const DEFAULT_SPLIT_SEED = DEFAULT_SEED;

/** A new run's config with its split seed written down (the project's, else the default), so it re-splits alike forever. */
export function withSplitSeed(config: RunConfig): RunConfig {
  if (config.dataset.options.seed !== undefined) return config;
  return { ...config, dataset: { ...config.dataset, options: { ...config.dataset.options, seed: DEFAULT_SPLIT_SEED } } };
}

/**
 * The dataset options a run prepares its data with: its own, whose seed is the split's; a run
 * saved before the split had its own seed split by the training seed, and still does.
 */
export function datasetOptionsOf(config: Pick<RunConfig, 'dataset' | 'seed'>): DatasetOptions {
  return { seed: config.seed, ...config.dataset.options };
}

/** What the data decides, read off the prepared dataset. */
export interface DataShape {
  task: 'classification' | 'regression';
  /** Values per row (the product of `input`). */
  inputs: number;
  /** The input shape: [C, H, W] for images; absent means [inputs]. */
  input?: Shape;
  /** Classes (classification) or target columns (regression). */
  outputs: number;
  trainRows: number;
  labels?: string[];
}

/** The model spec the engine builds: the person's choices completed by the data's shape. */
export function modelSpecFor(choice: ModelChoice, data: DataShape): ModelSpecV2Input {
  const parsed = ModelChoice.parse(choice);
  const out = outputLayerFor(data.task, data.outputs);
  const input = data.input ?? [data.inputs];
  if (parsed.kind === 'perceptron') {
    return {
      version: 2, kind: 'perceptron', input, task: data.task, loss: parsed.loss ?? 'mse',
      layers: [{ type: 'dense', units: out.units, activation: 'step' }],
      labels: data.labels,
    };
  }
  const hidden = parsed.hidden ? hiddenLayers(parsed.hidden) : defaultHiddenLayers(input);
  return {
    version: 2,
    kind: 'mlp',
    input,
    task: data.task,
    loss: parsed.loss ?? out.loss,
    layers: [...hidden, { type: 'dense', units: out.units, activation: parsed.outputActivation ?? out.activation }],
    labels: data.labels,
  };
}

/**
 * The engine's training config from the person's choices, filling the rest from the data:
 * Adam (SGD, one row at a time, for a perceptron); mini-batches of 16–64 rows; about 3,000 steps (10–3,000 epochs); early stopping after a
 * tenth of them without improvement (at least 10), keeping the best weights.
 */
export function trainConfigFor(choice: TrainingChoice, data: DataShape, seed: number, kind: 'mlp' | 'perceptron' = 'mlp'): TrainConfigInput {
  const c = TrainingChoice.parse(choice);
  if (augments(c.augment) && data.input?.length !== 3) {
    throw new SpecError('augment', 'shifts and flips need image data ([channels, height, width]); this data has plain feature columns', 'training');
  }
  const rows = data.trainRows;
  // The perceptron rule is classically applied one row at a time.
  const batchSize = c.batchSize ?? (kind === 'perceptron' ? 1 : rows <= 200 ? 16 : rows < 10_000 ? 32 : 64);
  const rowsPerStep = batchSize === 'full' ? rows : batchSize;
  const stepsPerEpoch = Math.max(1, Math.ceil(rows / rowsPerStep));
  const epochs = c.epochs ?? (c.iterations ? undefined : Math.min(3000, Math.max(10, Math.round(3000 / stepsPerEpoch))));
  // The perceptron learns by its own rule, a plain step of size η: SGD is its only optimizer.
  const optimizer = c.optimizer ?? (kind === 'perceptron' ? 'sgd' : 'adam');
  const learningRate = c.learningRate ?? defaultLearningRate(optimizer, rows);
  const patience = c.patience ?? Math.max(10, Math.round((epochs ?? 100) / 10));
  return {
    optimizer: { name: optimizer, lr: learningRate, ...(c.momentum !== undefined ? { momentum: c.momentum } : {}) },
    schedule: c.schedule ?? { name: 'constant' },
    batchSize,
    sampling: c.sampling ?? 'shuffle',
    epochs,
    iterations: c.iterations,
    l1: c.l1 ?? 0,
    l2: c.l2 ?? 0,
    seed,
    earlyStopping: patience > 0 ? { patience, restoreBest: true } : undefined,
    // A run ends on its best validation epoch, whether early stopping fired or not.
    keepBest: true,
    ...(augments(c.augment) ? { augment: c.augment } : {}),
  };
}

function defaultLearningRate(optimizer: (typeof OPTIMIZER_NAMES)[number], rows: number): number {
  switch (optimizer) {
    case 'adam':
    case 'adamw':
      return rows < 10_000 ? 0.01 : 0.001;
    case 'rmsprop':
      return 0.001;
    default:
      return 0.1;
  }
}

/**
 * Applies the run-wide dropout to hidden dense layers that did not choose their own: a dropout
 * layer after each one not already followed by one (not after the output layer).
 */
export function withDropout(spec: ModelSpecV2Input, dropout: number | undefined): ModelSpecV2Input {
  if (!dropout) return spec;
  const last = spec.layers.length - 1;
  const layers = spec.layers.flatMap((l, i): LayerSpecInput[] =>
    (l.type === 'dense' && i < last && spec.layers[i + 1].type !== 'dropout' ? [l, { type: 'dropout', rate: dropout }] : [l]));
  return { ...spec, layers };
}
