/**
 * The plain-JSON descriptions the rest of the studio passes around: a model spec (what the network
 * is) and a training config (how to train it). Both cross IPC and live in project files, so each
 * is a zod schema; `parseModelSpec` / `parseTrainConfig` also refuse combinations that cannot work,
 * with a message naming the field.
 *
 * A model spec (version 2): an input shape and a list of typed layers, e.g. a small CNN
 *   { version: 2, kind: 'mlp', input: [1, 28, 28], task: 'classification', loss: 'categorical-crossentropy',
 *     layers: [ { type: 'conv2d', filters: 8, kernel: 3, activation: 'relu' }, { type: 'maxpool2d', size: 2 },
 *               { type: 'dense', units: 10, activation: 'softmax' } ] }
 * Shapes are [features] (vectors) or [channels, height, width] (images, NCHW: a row of x holds an
 * image channel by channel). `inferShapes` gives each layer's output shape; a dense layer on an
 * image reads it flattened in C,H,W order (the flatten is implied). The last layer is the output
 * layer. Weights live outside the spec in one Float32Array (see model.ts).
 *
 * Version 1 (absent `version`: the first, dense-only format, still in older project files) is
 *   { kind, inputs: 4, layers: [ { units: 8, activation: 'relu', dropout: 0.2 }, … ], loss, task }
 * `parseModelSpec` and `ModelSpecSchema` accept it and migrate it (`migrateModelSpec`); its dense
 * parameter layout is the same, so its weights load as they are.
 */
import { z } from 'zod';
import { ACTIVATION_NAMES, type ActivationName } from './activations.js';
import { SpecError } from './errors.js';
import { INIT_NAMES } from './init.js';
import { convAxis, poolAxis } from './layers/geometry.js';
import { LOSS_NAMES, type LossName } from './losses.js';
import { describeSchemaError } from '../ipc/schema-error.js';
import { AugmentSchema } from './augment.js';

export const InitSpecSchema = z.object({
  name: z.enum(INIT_NAMES),
  /** Standard deviation for 'normal' (default 0.01, the tutorials' value). */
  std: z.number().positive().optional(),
});

/** Largest size of any one dimension (a guard against typing mistakes, not a limit of the engine). */
const MAX_DIM = 1_000_000;
const dim = z.number().int().min(1).max(MAX_DIM);
/** A window size or stride in pixels. */
const pixels = z.number().int().min(1).max(4096);

/** [features] for vectors, [channels, height, width] for images. */
export const ShapeSchema = z.union([z.tuple([dim]), z.tuple([dim, dim, dim])]);
export type Shape = [number] | [number, number, number];

/** A fully connected layer: z = x·W + b, a = f(z). On an image input it reads the C,H,W values in order. */
export const DenseLayerSchema = z.object({
  type: z.literal('dense'),
  units: dim,
  activation: z.enum(ACTIVATION_NAMES),
  /** Add a bias vector b (default true). */
  bias: z.boolean().default(true),
  /** Weight initialiser; defaults by activation (see `defaultInit`). */
  init: InitSpecSchema.optional(),
});

/** `filters` k×k convolutions (cross-correlation, as every framework), then an activation. */
export const Conv2dLayerSchema = z.object({
  type: z.literal('conv2d'),
  filters: z.number().int().min(1).max(65_536),
  /** The square kernel's side k. */
  kernel: pixels,
  stride: pixels.default(1),
  /** 'valid': no padding; 'same': zero padding so that the output is ⌈H/stride⌉ (TF/ONNX SAME_UPPER). */
  padding: z.enum(['valid', 'same']).default('valid'),
  activation: z.enum(ACTIVATION_NAMES).default('identity'),
  bias: z.boolean().default(true),
  init: InitSpecSchema.optional(),
});

const poolFields = {
  /** The square window's side. */
  size: pixels,
  /** Default: the window's size (windows that do not overlap). */
  stride: pixels.optional(),
};
export const MaxPool2dLayerSchema = z.object({ type: z.literal('maxpool2d'), ...poolFields });
export const AvgPool2dLayerSchema = z.object({ type: z.literal('avgpool2d'), ...poolFields });
/** [C,H,W] → [C]: each channel's mean. */
export const GlobalAvgPoolLayerSchema = z.object({ type: z.literal('globalavgpool') });
/** [C,H,W] → [C·H·W] in C,H,W order (no copy: the values are already laid out that way). */
export const FlattenLayerSchema = z.object({ type: z.literal('flatten') });
/** Inverted dropout while training: zero each value with probability `rate`, scale the rest by 1/(1−rate). */
export const DropoutLayerSchema = z.object({ type: z.literal('dropout'), rate: z.number().min(0).max(0.95) });
/**
 * Batch normalisation: per feature after a vector, per channel (over rows, height and width) after
 * an image; y = γ·(x − μ)/√(σ² + ε) + β with the batch's μ, σ² in training and the running ones in
 * evaluation, running ← momentum·running + (1 − momentum)·batch.
 */
export const BatchNormLayerSchema = z.object({
  type: z.literal('batchnorm'),
  momentum: z.number().min(0).max(1).default(0.9),
  eps: z.number().positive().max(1).default(1e-5),
});
/** An activation on its own (conv → batchnorm → relu). */
export const ActivationLayerSchema = z.object({ type: z.literal('activation'), activation: z.enum(ACTIVATION_NAMES) });

export const LayerSpecSchema = z.discriminatedUnion('type', [
  DenseLayerSchema, Conv2dLayerSchema, MaxPool2dLayerSchema, AvgPool2dLayerSchema, GlobalAvgPoolLayerSchema,
  FlattenLayerSchema, DropoutLayerSchema, BatchNormLayerSchema, ActivationLayerSchema,
]);
/** The layer types, in the order the docs list them. */
export const LAYER_TYPES = ['dense', 'conv2d', 'maxpool2d', 'avgpool2d', 'globalavgpool', 'flatten', 'dropout', 'batchnorm', 'activation'] as const;
export type LayerType = (typeof LAYER_TYPES)[number];

/** The current model spec (version 2). */
export const ModelSpecV2Schema = z.object({
  version: z.literal(2),
  /** 'perceptron': one layer of step units trained by the perceptron rule; 'mlp': backpropagation (CNNs too). */
  kind: z.enum(['mlp', 'perceptron']).default('mlp'),
  input: ShapeSchema,
  layers: z.array(LayerSpecSchema).min(1),
  loss: z.enum(LOSS_NAMES),
  task: z.enum(['classification', 'regression']),
  /** Class names for classification outputs, in output order (optional, for display and export). */
  labels: z.array(z.string()).optional(),
  /** Which preprocessing turned raw rows into the input values (owned by the data layer; opaque here). */
  preprocessing: z.json().optional(),
});

/** Version 1's dense layer: dropout was a field of the layer. */
export const LegacyLayerSpecSchema = z.object({
  units: dim,
  activation: z.enum(ACTIVATION_NAMES),
  bias: z.boolean().default(true),
  /** Inverted dropout on this layer's output while training. */
  dropout: z.number().min(0).max(0.95).default(0),
  init: InitSpecSchema.optional(),
});

/** Version 1 (dense only), read from older files and accepted from callers; migrated on parsing. */
export const ModelSpecV1Schema = z.object({
  version: z.literal(1).optional(),
  kind: z.enum(['mlp', 'perceptron']).default('mlp'),
  inputs: z.number().int().min(1).max(10_000_000),
  layers: z.array(LegacyLayerSpecSchema).min(1),
  loss: z.enum(LOSS_NAMES),
  task: z.enum(['classification', 'regression']),
  labels: z.array(z.string()).optional(),
  preprocessing: z.json().optional(),
});

/** True for an object written in version 1 of the spec (no `version`, or 1). */
function isVersion1(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const version = (value as { version?: unknown }).version;
  return version === undefined || version === 1;
}

/**
 * A model spec of either version, as a schema whose output is always version 2 (for IPC payloads
 * and project files). `parseModelSpec` adds the checks a schema cannot express.
 */
export const ModelSpecSchema = z.preprocess((value, ctx) => {
  if (!isVersion1(value)) return value;
  const v1 = ModelSpecV1Schema.safeParse(value);
  if (v1.success) return migrateModelSpec(v1.data);
  for (const issue of v1.error.issues) ctx.issues.push({ ...issue, input: value } as never);
  return value;
}, ModelSpecV2Schema) as unknown as z.ZodType<ModelSpec, ModelSpecInput>;

/** A model spec as written by a caller: version 2, or version 1 (migrated); defaults may be left out. */
export type ModelSpecInput = z.input<typeof ModelSpecV2Schema> | z.input<typeof ModelSpecV1Schema>;
/** A version-2 model spec as written by a caller. */
export type ModelSpecV2Input = z.input<typeof ModelSpecV2Schema>;
/** A validated version-2 model spec with every default filled in. */
export type ModelSpec = z.output<typeof ModelSpecV2Schema>;
export type LayerSpec = z.output<typeof LayerSpecSchema>;
export type LayerSpecInput = z.input<typeof LayerSpecSchema>;
export type DenseLayerSpec = z.output<typeof DenseLayerSchema>;
export type Conv2dLayerSpec = z.output<typeof Conv2dLayerSchema>;
export type PoolLayerSpec = z.output<typeof MaxPool2dLayerSchema> | z.output<typeof AvgPool2dLayerSchema>;
export type BatchNormLayerSpec = z.output<typeof BatchNormLayerSchema>;
export type ModelSpecV1 = z.output<typeof ModelSpecV1Schema>;
export type LegacyLayerSpec = z.output<typeof LegacyLayerSpecSchema>;
export type LegacyLayerSpecInput = z.input<typeof LegacyLayerSpecSchema>;

/**
 * Version 1 → version 2 (pure): `inputs: n` → `input: [n]`; each layer → a dense layer, followed
 * by a dropout layer when it had dropout > 0. Dense parameters keep their layout.
 */
export function migrateModelSpec(v1: ModelSpecV1): ModelSpec {
  const { version: _version, inputs, layers, ...rest } = v1;
  return { ...rest, version: 2, input: [inputs], layers: layers.flatMap(migrateLayer) };
}

/** One version-1 layer as version-2 layers: the dense layer, then its dropout if it had one. */
export function migrateLayer(layer: LegacyLayerSpec): LayerSpec[] {
  const dense: DenseLayerSpec = { type: 'dense', units: layer.units, activation: layer.activation, bias: layer.bias };
  if (layer.init) dense.init = layer.init;
  return layer.dropout > 0 ? [dense, { type: 'dropout', rate: layer.dropout }] : [dense];
}

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
  /**
   * With validation data: when the run completes, put back the weights of the epoch with the
   * lowest validation loss (as early stopping's restoreBest does when it fires).
   */
  keepBest: z.boolean().default(false),
  /** Random shifts and flips of training images (never of validation, test or predicted ones). */
  augment: AugmentSchema.optional(),
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

/** Parses and checks a model spec of either version; throws SpecError naming the first field that is wrong. */
export function parseModelSpec(input: unknown): ModelSpec {
  const parsed = isVersion1(input) ? ModelSpecV1Schema.safeParse(input) : ModelSpecV2Schema.safeParse(input);
  if (!parsed.success) {
    const { field, message } = firstIssue(parsed.error);
    throw new SpecError(field, message, 'model spec');
  }
  const spec = 'inputs' in parsed.data ? migrateModelSpec(parsed.data) : parsed.data;
  checkModelSpec(spec);
  return spec;
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

/** The combinations a valid schema can still get wrong (shapes included: see inferShapes). */
function checkModelSpec(spec: ModelSpec): void {
  const shapes = inferShapes(spec);
  const last = spec.layers.length - 1;
  spec.layers.forEach((layer, i) => {
    const field = `layers.${i}`;
    const activation = 'activation' in layer ? layer.activation : null;
    if (activation === 'step' && spec.kind !== 'perceptron') {
      throw new SpecError(`${field}.activation`, "'step' has no useful derivative, so backpropagation cannot train it; " +
        "use it only in a perceptron (kind 'perceptron', trained by the perceptron rule), or use 'sigmoid'", 'model spec');
    }
    if (activation === 'softmax' && (shapes[i].length !== 1 || shapes[i][0] < 2)) {
      throw new SpecError(`${field}.activation`, shapes[i].length === 1
        ? "softmax over 1 unit is always 1; use 'sigmoid' for a single probability"
        : `softmax needs a vector of classes, not the image ${formatShape(shapes[i])}; put it on a dense layer`, 'model spec');
    }
    if (layer.type === 'dropout' && i === last) {
      throw new SpecError(field, 'dropout on the output layer would drop predictions; put it on a hidden layer', 'model spec');
    }
  });
  if (spec.kind === 'perceptron') {
    const only = spec.layers[0];
    if (spec.layers.length !== 1 || only.type !== 'dense' || only.activation !== 'step' || spec.input.length !== 1) {
      throw new SpecError('layers', "a perceptron is one layer of 'step' units (a dense layer on a vector input); use kind 'mlp' for more layers or other activations", 'model spec');
    }
  }
  const outShape = shapes[last];
  if (outShape.length !== 1) {
    throw new SpecError(`layers.${last}`, `the output layer gives the image ${formatShape(outShape)}; end the network with a dense layer ` +
      '(or globalavgpool) so that it gives one vector per row', 'model spec');
  }
  const output = outputActivation(spec);
  if ((spec.loss === 'binary-crossentropy' || spec.loss === 'categorical-crossentropy') && !PROBABILITY_OUTPUTS.includes(output)) {
    throw new SpecError('loss', `${spec.loss} needs probabilities out of the network, so the output layer's activation must be ` +
      `'sigmoid' or 'softmax', not '${output}'`, 'model spec');
  }
  const outputs = outShape[0];
  if (spec.labels && spec.labels.length !== Math.max(2, outputs) && spec.task === 'classification') {
    throw new SpecError('labels', `${spec.labels.length} class labels for ${outputs} outputs`, 'model spec');
  }
}

/** The activation the network's outputs come out of: the last layer's, identity for layers without one. */
export function outputActivation(spec: ModelSpec): ActivationName {
  const last = spec.layers[spec.layers.length - 1];
  return 'activation' in last ? last.activation : 'identity';
}

/** 16×5×5, 120: how messages and the studio write shapes. */
export function formatShape(shape: readonly number[]): string {
  return shape.join('×');
}

/** The number of values in one row of this shape. */
export function shapeSize(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** The spec's dense layers, input side first (what a dense-network diagram or summary shows). */
export function denseLayers(spec: Pick<ModelSpec, 'layers'>): DenseLayerSpec[] {
  return spec.layers.filter((l): l is DenseLayerSpec => l.type === 'dense');
}

/** A pooling layer's stride (the window's size unless given). */
export function poolStride(layer: PoolLayerSpec): number {
  return layer.stride ?? layer.size;
}

/** 'conv2d 32@3×3/2 same', 'maxpool 2', 'dense 64': a layer as messages name it. */
export function describeLayer(layer: LayerSpec): string {
  switch (layer.type) {
    case 'dense': return `dense ${layer.units}`;
    case 'conv2d': return `conv2d ${layer.filters}@${layer.kernel}×${layer.kernel}${layer.stride !== 1 ? `/${layer.stride}` : ''}${layer.padding === 'same' ? ' same' : ''}`;
    case 'maxpool2d': case 'avgpool2d': {
      const stride = poolStride(layer);
      return `${layer.type === 'maxpool2d' ? 'maxpool' : 'avgpool'} ${layer.size}${stride !== layer.size ? `/${stride}` : ''}`;
    }
    case 'dropout': return `dropout ${layer.rate}`;
    case 'activation': return `activation ${layer.activation}`;
    default: return layer.type;
  }
}

/**
 * Every layer's output shape, in order, from the spec's input shape. Throws a SpecError naming the
 * 1-based layer, its kind and the shapes when a layer cannot take its input, e.g.
 * `layer 4 (maxpool 2): its input 16×1×1 is smaller than the pool 2×2`.
 */
export function inferShapes(spec: Pick<ModelSpec, 'input' | 'layers'>): Shape[] {
  let shape: Shape = spec.input;
  return spec.layers.map((layer, i) => {
    const refuse = (why: string): never => {
      throw new SpecError(`layers.${i}`, `layer ${i + 1} (${describeLayer(layer)}): its input ${formatShape(shape)} ${why}`, 'model spec');
    };
    const image = (): [number, number, number] => {
      if (shape.length !== 3) refuse('is a vector, but this layer needs an image [channels, height, width]');
      return shape as [number, number, number];
    };
    switch (layer.type) {
      case 'dense': shape = [layer.units]; break;
      case 'conv2d': {
        const [, h, w] = image();
        if (layer.padding === 'valid' && (h < layer.kernel || w < layer.kernel)) refuse(`is smaller than the kernel ${layer.kernel}×${layer.kernel}`);
        const oh = convAxis(h, layer.kernel, layer.stride, layer.padding).out;
        const ow = convAxis(w, layer.kernel, layer.stride, layer.padding).out;
        shape = [layer.filters, oh, ow];
        break;
      }
      case 'maxpool2d': case 'avgpool2d': {
        const [c, h, w] = image();
        if (h < layer.size || w < layer.size) refuse(`is smaller than the pool ${layer.size}×${layer.size}`);
        const stride = poolStride(layer);
        shape = [c, poolAxis(h, layer.size, stride), poolAxis(w, layer.size, stride)];
        break;
      }
      case 'globalavgpool': shape = [image()[0]]; break;
      case 'flatten': shape = [shapeSize(shape)]; break;
      case 'dropout': case 'batchnorm': case 'activation': break;
      default: throw new Error(`unknown layer type ${String((layer satisfies never as { type: string }).type)}`);
    }
    return shape;
  });
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
