/**
 * The plain-JSON descriptions the rest of the studio passes around: a model spec (what the network
 * is) and a training config (how to train it). Both cross IPC and live in project files, so each
 * is a zod schema; `parseModelSpec` / `parseTrainConfig` also refuse combinations that cannot work,
 * with a message naming the field.
 *
 * A model spec, e.g. the tutorials' two-layer net:
 *   { kind: 'mlp', inputs: 784, task: 'classification', loss: 'categorical-crossentropy',
 *     layers: [ { units: 50, activation: 'sigmoid', init: { name: 'normal', std: 0.01 } },
 *               { units: 10, activation: 'softmax', init: { name: 'normal', std: 0.01 } } ] }
 * `layers` lists every fully connected layer including the output one; its last `units` is the
 * number of outputs. Weights live outside the spec in one Float32Array (see model.ts).
 */
import { z } from 'zod';
import { ACTIVATION_NAMES, type ActivationName } from './activations.js';
import { SpecError } from './errors.js';
import { INIT_NAMES } from './init.js';
import { LOSS_NAMES, type LossName } from './losses.js';
import { describeSchemaError } from '../ipc/schema-error.js';

export const InitSpecSchema = z.object({
  name: z.enum(INIT_NAMES),
  /** Standard deviation for 'normal' (default 0.01, the tutorials' value). */
  std: z.number().positive().optional(),
});

export const LayerSpecSchema = z.object({
  units: z.number().int().min(1).max(1_000_000),
  activation: z.enum(ACTIVATION_NAMES),
  /** Add a bias vector b (default true). */
  bias: z.boolean().default(true),
  /** Inverted dropout on this layer's output while training: the probability of zeroing a unit. */
  dropout: z.number().min(0).max(0.95).default(0),
  /** Weight initialiser; defaults by activation (see `defaultInit`). */
  init: InitSpecSchema.optional(),
});

export const ModelSpecSchema = z.object({
  /** 'perceptron': one layer of step units trained by the perceptron rule; 'mlp': backpropagation. */
  kind: z.enum(['mlp', 'perceptron']).default('mlp'),
  inputs: z.number().int().min(1).max(10_000_000),
  layers: z.array(LayerSpecSchema).min(1),
  loss: z.enum(LOSS_NAMES),
  task: z.enum(['classification', 'regression']),
  /** Class names for classification outputs, in output order (optional, for display and export). */
  labels: z.array(z.string()).optional(),
  /** Which preprocessing turned raw rows into `inputs` columns (owned by the data layer; opaque here). */
  preprocessing: z.json().optional(),
});

/** A model spec as written by a caller (defaults may be left out). */
export type ModelSpecInput = z.input<typeof ModelSpecSchema>;
/** A validated model spec with every default filled in. */
export type ModelSpec = z.output<typeof ModelSpecSchema>;
export type LayerSpec = z.output<typeof LayerSpecSchema>;
export type LayerSpecInput = z.input<typeof LayerSpecSchema>;

export const OPTIMIZER_NAMES = ['sgd', 'momentum', 'nesterov', 'rmsprop', 'adam', 'adamw'] as const;
export type OptimizerName = (typeof OPTIMIZER_NAMES)[number];

export const OptimizerSpecSchema = z.object({
  name: z.enum(OPTIMIZER_NAMES),
  /** Learning rate η. */
  lr: z.number().positive().max(1e3),
  /** Momentum μ (momentum, nesterov); default 0.9. */
  momentum: z.number().min(0).max(1).optional(),
  /** Decay ρ of RMSprop's squared-gradient average; default 0.9. */
  rho: z.number().min(0).max(1).optional(),
  /** Adam's β₁, β₂; default 0.9, 0.999. */
  beta1: z.number().min(0).max(1).optional(),
  beta2: z.number().min(0).max(1).optional(),
  /** ε in denominators (RMSprop, Adam); default 1e-8. */
  eps: z.number().positive().optional(),
  /** AdamW's decoupled weight decay λ; default 0.01. */
  weightDecay: z.number().min(0).optional(),
});
export type OptimizerSpec = z.output<typeof OptimizerSpecSchema>;

export const ScheduleSpecSchema = z.discriminatedUnion('name', [
  z.object({ name: z.literal('constant') }),
  /** η·factor^⌊epoch/every⌋ */
  z.object({ name: z.literal('step'), every: z.number().int().min(1), factor: z.number().positive().max(1) }),
  /** η·rate^epoch */
  z.object({ name: z.literal('exponential'), rate: z.number().positive().max(1) }),
  /** minLr + ½(η − minLr)(1 + cos(π·epoch/epochs)) */
  z.object({ name: z.literal('cosine'), minLr: z.number().min(0).default(0) }),
]);
export type ScheduleSpec = z.output<typeof ScheduleSpecSchema>;

export const EarlyStoppingSchema = z.object({
  /** Epochs without improvement before stopping. */
  patience: z.number().int().min(1),
  /** An improvement smaller than this does not count. */
  minDelta: z.number().min(0).default(0),
  /** 'val_loss' (default when validation data is given) or the training 'loss'. */
  monitor: z.enum(['val_loss', 'loss']).optional(),
  /** Put back the weights of the best epoch when stopping (default true). */
  restoreBest: z.boolean().default(true),
});

export const TrainConfigSchema = z.object({
  optimizer: OptimizerSpecSchema,
  schedule: ScheduleSpecSchema.default({ name: 'constant' }),
  /**
   * Rows per step. 1 = stochastic gradient descent, 'full' = full batch (the whole training set),
   * anything between = mini-batch.
   */
  batchSize: z.union([z.number().int().min(1), z.literal('full')]).default(32),
  /**
   * How a batch's rows are chosen: 'shuffle' (a new permutation each epoch, every row once),
   * 'sequential' (rows in order) or 'random' (each batch drawn independently with replacement, the
   * tutorials' `np.random.choice`; an epoch is then ⌈rows/batch⌉ batches).
   */
  sampling: z.enum(['shuffle', 'sequential', 'random']).default('shuffle'),
  /** Stop after this many epochs … */
  epochs: z.number().int().min(1).optional(),
  /** … or after this many steps (mini-batches), whichever comes first. At least one is required. */
  iterations: z.number().int().min(1).optional(),
  /** L1 penalty λ₁·Σ|w| on the weights (not biases), in the loss and in the gradient. */
  l1: z.number().min(0).default(0),
  /** L2 penalty ½·λ₂·Σw² on the weights (not biases), in the loss and in the gradient. */
  l2: z.number().min(0).default(0),
  /** Seeds shuffling, random batches and dropout masks (weights are seeded when the model is created). */
  seed: z.number().int().default(1),
  earlyStopping: EarlyStoppingSchema.optional(),
});
export type TrainConfigInput = z.input<typeof TrainConfigSchema>;
export type TrainConfig = z.output<typeof TrainConfigSchema>;

/**
 * The first schema problem as `field.path: message` (the engine does not import the IPC layer,
 * which itself builds on these schemas).
 */
function firstIssue(error: z.ZodError): { field: string; message: string } {
  const issue = error.issues[0];
  return { field: issue.path.map(String).join('.'), message: issue.message };
}

/** Parses and checks a model spec; throws SpecError naming the first field that is wrong. */
export function parseModelSpec(input: unknown): ModelSpec {
  const parsed = ModelSpecSchema.safeParse(input);
  if (!parsed.success) {
    const { field, message } = firstIssue(parsed.error);
    throw new SpecError(field, message, 'model spec');
  }
  checkModelSpec(parsed.data);
  return parsed.data;
}

/** Parses a training config; throws SpecError naming the first field that is wrong. */
export function parseTrainConfig(input: unknown): TrainConfig {
  const parsed = TrainConfigSchema.safeParse(input);
  if (!parsed.success) {
    const { field, message } = firstIssue(parsed.error);
    throw new SpecError(field, message, 'training config');
  }
  const config = parsed.data;
  if (config.epochs === undefined && config.iterations === undefined) {
    throw new SpecError('epochs', 'give a number of epochs or of iterations to train for', 'training config');
  }
  return config;
}

const PROBABILITY_OUTPUTS: ActivationName[] = ['sigmoid', 'softmax'];

/** The combinations a valid schema can still get wrong. */
function checkModelSpec(spec: ModelSpec): void {
  const last = spec.layers.length - 1;
  spec.layers.forEach((layer, i) => {
    const field = `layers.${i}`;
    if (layer.activation === 'step' && spec.kind !== 'perceptron') {
      throw new SpecError(`${field}.activation`, "'step' has no useful derivative, so backpropagation cannot train it; " +
        "use it only in a perceptron (kind 'perceptron', trained by the perceptron rule), or use 'sigmoid'", 'model spec');
    }
    if (layer.activation === 'softmax' && layer.units < 2) {
      throw new SpecError(`${field}.activation`, "softmax over 1 unit is always 1; use 'sigmoid' for a single probability", 'model spec');
    }
    if (layer.dropout > 0 && i === last) {
      throw new SpecError(`${field}.dropout`, 'dropout on the output layer would drop predictions; put it on a hidden layer', 'model spec');
    }
  });
  if (spec.kind === 'perceptron') {
    if (spec.layers.length !== 1 || spec.layers[0].activation !== 'step') {
      throw new SpecError('layers', "a perceptron is one layer of 'step' units; use kind 'mlp' for more layers or other activations", 'model spec');
    }
  }
  const output = spec.layers[last].activation;
  if ((spec.loss === 'binary-crossentropy' || spec.loss === 'categorical-crossentropy') && !PROBABILITY_OUTPUTS.includes(output)) {
    throw new SpecError('loss', `${spec.loss} needs probabilities out of the network, so the output layer's activation must be ` +
      `'sigmoid' or 'softmax', not '${output}'`, 'model spec');
  }
  if (spec.labels && spec.labels.length !== Math.max(2, spec.layers[last].units) && spec.task === 'classification') {
    throw new SpecError('labels', `${spec.labels.length} class labels for ${spec.layers[last].units} outputs`, 'model spec');
  }
}

/**
 * The output layer a task usually wants (the tutorials' rule): identity + MSE for regression,
 * one sigmoid unit + binary cross-entropy for two classes, softmax + categorical cross-entropy for more.
 */
export function outputLayerFor(task: 'classification' | 'regression', outputs: number): { units: number; activation: ActivationName; loss: LossName } {
  if (task === 'regression') return { units: outputs, activation: 'identity', loss: 'mse' };
  if (outputs <= 2) return { units: 1, activation: 'sigmoid', loss: 'binary-crossentropy' };
  return { units: outputs, activation: 'softmax', loss: 'categorical-crossentropy' };
}
