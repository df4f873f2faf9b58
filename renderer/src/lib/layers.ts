/**
 * The Model page's editable network: hidden layers as drafts a form can bind to (every layer type
 * of the engine: dense, convolution, pooling, batch norm, dropout, activation, flatten), the
 * templates a person starts from, and the conversion to the run config's `ModelChoice`. The output
 * layer is not a draft: the data decides its size (classes or targets), the person may pick its
 * activation. A dense draft carries its own dropout (a dropout layer after it), as the MLP form
 * always has; a dropout draft elsewhere is a layer of its own.
 */
import type { ActivationName } from '../../../shared/nn/activations.js';
import type { InitName } from '../../../shared/nn/init.js';
import type { LossName } from '../../../shared/nn/losses.js';
import { parseLayersText } from '../../../shared/nn/layers-grammar.js';
import type { LayerSpecInput } from '../../../shared/nn/spec.js';
import { hiddenLayers, type ModelChoice, type TrainingChoice } from '../../../shared/runs/config.js';

export interface DenseDraft {
  type: 'dense';
  units: number;
  activation: ActivationName;
  bias: boolean;
  /** Probability of zeroing a unit while training, 0–0.95. */
  dropout: number;
  /** 'default' lets the engine choose by activation (He for ReLU, Xavier for tanh/sigmoid, …). */
  init: InitName | 'default';
  /** Standard deviation for the 'normal' initialiser (the tutorials' 0.01). */
  std?: number;
}

export interface ConvDraft {
  type: 'conv2d';
  filters: number;
  kernel: number;
  stride: number;
  padding: 'valid' | 'same';
  activation: ActivationName;
}

export interface PoolDraft {
  type: 'maxpool2d' | 'avgpool2d';
  size: number;
  /** Absent: the window's size (windows that do not overlap). */
  stride?: number;
}

export type LayerDraftBody =
  | DenseDraft
  | ConvDraft
  | PoolDraft
  | { type: 'globalavgpool' }
  | { type: 'flatten' }
  | { type: 'batchnorm' }
  | { type: 'dropout'; rate: number }
  | { type: 'activation'; activation: ActivationName };

/** A layer draft; `id` is a stable identity for keyed lists (reordering keeps focus on the moved row). */
export type LayerDraft = LayerDraftBody & { id: number };
export type LayerDraftType = LayerDraft['type'];

/** The palette's layer kinds, in the order the Model page offers them. */
export const PALETTE: readonly LayerDraftType[] = ['conv2d', 'maxpool2d', 'avgpool2d', 'globalavgpool', 'batchnorm', 'dropout', 'activation', 'flatten', 'dense'];

export interface ModelDraft {
  kind: 'mlp' | 'perceptron';
  hidden: LayerDraft[];
  outputActivation: ActivationName | 'auto';
  loss: LossName | 'auto';
}

export type TemplateName = 'perceptron' | 'two-layer' | 'deep' | 'lenet5' | 'small-cnn';

export const TEMPLATE_NAMES: readonly TemplateName[] = ['perceptron', 'two-layer', 'deep', 'lenet5', 'small-cnn'];
/** Templates that need image inputs ([channels, height, width]). */
export const IMAGE_TEMPLATES: readonly TemplateName[] = ['lenet5', 'small-cnn'];

/** LeNet-5 as the benchmark runs it (ReLU and max pooling, the modern reading of the 1998 net). */
const LENET5 = 'conv:6x5:relu:same,maxpool:2,conv:16x5:relu,maxpool:2,dense:120:relu,dense:84:relu';
/** The recipe: conv 32 → pool → conv 64 → pool → dense 128. */
const SMALL_CNN = 'conv:32x3:relu,maxpool:2,conv:64x3:relu,maxpool:2,dense:128:relu';

let nextId = 1;
/** A fresh dense layer draft (ids are unique for the session). */
export function newLayer(partial: Partial<Omit<DenseDraft, 'type'>> = {}): LayerDraft {
  return { id: nextId++, type: 'dense', units: 16, activation: 'relu', bias: true, dropout: 0, init: 'default', ...partial };
}

/** A fresh draft of a palette kind with the values most networks use. */
export function newLayerOfType(type: LayerDraftType): LayerDraft {
  const id = nextId++;
  switch (type) {
    case 'dense': return newLayer({ units: 64 });
    case 'conv2d': return { id, type, filters: 16, kernel: 3, stride: 1, padding: 'valid', activation: 'relu' };
    case 'maxpool2d': case 'avgpool2d': return { id, type, size: 2 };
    case 'dropout': return { id, type, rate: 0.25 };
    case 'activation': return { id, type, activation: 'relu' };
    case 'globalavgpool': case 'flatten': case 'batchnorm': return { id, type };
    default: throw new Error(`unknown layer type ${String(type satisfies never)}`);
  }
}

/**
 * A template: the model and the training settings that go with it.
 *   perceptron  one layer of step units, the perceptron rule (learns AND/OR, not XOR)
 *   two-layer   the tutorials' 50 sigmoid units, N(0, 0.01²) weights, SGD lr 0.1, batch 100
 *   deep        three ReLU layers (64-32-16) with Adam
 *   lenet5      LeNet-5 (6@5×5 same, pool, 16@5×5, pool, 120, 84) with Adam 1e-3, batch 64
 *   small-cnn   conv 32 → pool → conv 64 → pool → dense 128 with Adam 1e-3, batch 128
 */
export function template(name: TemplateName): { model: ModelDraft; training: TrainingChoice } {
  switch (name) {
    case 'perceptron':
      return { model: { kind: 'perceptron', hidden: [], outputActivation: 'auto', loss: 'auto' }, training: { optimizer: 'sgd', learningRate: 0.1, batchSize: 1 } };
    case 'two-layer':
      return {
        model: { kind: 'mlp', hidden: [newLayer({ units: 50, activation: 'sigmoid', init: 'normal', std: 0.01 })], outputActivation: 'auto', loss: 'auto' },
        training: { optimizer: 'sgd', learningRate: 0.1, batchSize: 100 },
      };
    case 'deep':
      return {
        model: {
          kind: 'mlp',
          hidden: [newLayer({ units: 64, activation: 'relu' }), newLayer({ units: 32, activation: 'relu' }), newLayer({ units: 16, activation: 'relu' })],
          outputActivation: 'auto', loss: 'auto',
        },
        training: { optimizer: 'adam', learningRate: 0.01 },
      };
    case 'lenet5':
      return { model: draftOfLayers(parseLayersText(LENET5)), training: { optimizer: 'adam', learningRate: 0.001, batchSize: 64 } };
    case 'small-cnn':
      return { model: draftOfLayers(parseLayersText(SMALL_CNN)), training: { optimizer: 'adam', learningRate: 0.001, batchSize: 128 } };
    default:
      throw new Error(`unknown template ${String(name satisfies never)}`);
  }
}

function draftOfLayers(layers: LayerSpecInput[]): ModelDraft {
  return { kind: 'mlp', hidden: draftsOfLayers(layers), outputActivation: 'auto', loss: 'auto' };
}

/** One draft's model-spec layers (a dense draft with dropout is two). */
export function layersOfDraft(l: LayerDraft): LayerSpecInput[] {
  switch (l.type) {
    case 'dense': {
      const dense: LayerSpecInput = {
        type: 'dense',
        units: l.units,
        activation: l.activation,
        bias: l.bias,
        ...(l.init !== 'default' ? { init: { name: l.init, ...(l.init === 'normal' ? { std: l.std ?? 0.01 } : {}) } } : {}),
      };
      return l.dropout > 0 ? [dense, { type: 'dropout', rate: l.dropout }] : [dense];
    }
    case 'conv2d':
      return [{ type: 'conv2d', filters: l.filters, kernel: l.kernel, stride: l.stride, padding: l.padding, activation: l.activation }];
    case 'maxpool2d': case 'avgpool2d':
      return [{ type: l.type, size: l.size, ...(l.stride !== undefined ? { stride: l.stride } : {}) }];
    case 'dropout': return [{ type: 'dropout', rate: l.rate }];
    case 'activation': return [{ type: 'activation', activation: l.activation }];
    case 'globalavgpool': case 'flatten': case 'batchnorm': return [{ type: l.type }];
    default: throw new Error(`unknown layer draft ${String((l satisfies never as { type: string }).type)}`);
  }
}

/** The run config's model part from the draft. */
export function modelChoice(draft: ModelDraft): ModelChoice {
  if (draft.kind === 'perceptron') return { kind: 'perceptron', ...(draft.loss !== 'auto' ? { loss: draft.loss } : {}) };
  return {
    kind: 'mlp',
    hidden: draft.hidden.flatMap(layersOfDraft),
    ...(draft.outputActivation !== 'auto' ? { outputActivation: draft.outputActivation } : {}),
    ...(draft.loss !== 'auto' ? { loss: draft.loss } : {}),
  };
}

/** Drafts of model-spec layers: a dropout right after a dense layer becomes that layer's dropout. */
function draftsOfLayers(layers: readonly LayerSpecInput[]): LayerDraft[] {
  const drafts: LayerDraft[] = [];
  for (const l of layers) {
    const id = nextId++;
    const previous = drafts[drafts.length - 1];
    switch (l.type) {
      case 'dense':
        drafts.push(newLayer({ units: l.units, activation: l.activation, bias: l.bias ?? true, init: l.init?.name ?? 'default', std: l.init?.std }));
        break;
      case 'dropout':
        if (previous?.type === 'dense' && previous.dropout === 0) previous.dropout = l.rate;
        else drafts.push({ id, type: 'dropout', rate: l.rate });
        break;
      case 'conv2d':
        drafts.push({ id, type: 'conv2d', filters: l.filters, kernel: l.kernel, stride: l.stride ?? 1, padding: l.padding ?? 'valid', activation: l.activation ?? 'identity' });
        break;
      case 'maxpool2d': case 'avgpool2d':
        drafts.push({ id, type: l.type, size: l.size, ...(l.stride !== undefined ? { stride: l.stride } : {}) });
        break;
      case 'activation':
        drafts.push({ id, type: 'activation', activation: l.activation });
        break;
      case 'globalavgpool': case 'flatten': case 'batchnorm':
        drafts.push({ id, type: l.type });
        break;
      default:
        throw new Error(`unknown layer type ${String((l satisfies never as { type: string }).type)}`);
    }
  }
  return drafts;
}

/**
 * A draft from a run's model part (duplicating a run): absent hidden layers become the default one;
 * a dropout layer becomes the dropout of the dense layer before it.
 */
export function modelDraftFromChoice(choice: ModelChoice, inputs: number): ModelDraft {
  const layers = hiddenLayers(choice.hidden ?? [{ type: 'dense', units: Math.min(128, Math.max(8, 2 * inputs)), activation: 'relu' }]);
  return {
    kind: choice.kind ?? 'mlp',
    hidden: choice.kind === 'perceptron' ? [] : draftsOfLayers(layers),
    outputActivation: choice.outputActivation ?? 'auto',
    loss: choice.loss ?? 'auto',
  };
}

/** Moves the item at `from` by `delta` places (−1 up, +1 down), clamped; returns a new array. */
export function moveItem<T>(items: readonly T[], from: number, delta: number): T[] {
  const to = Math.max(0, Math.min(items.length - 1, from + delta));
  const out = [...items];
  const [item] = out.splice(from, 1);
  out.splice(to, 0, item);
  return out;
}

/** The most units the Model page offers a dense layer (the form's limit; the engine allows more). */
export const MAX_UNITS = 100_000;

/** What a units field holds: a whole number of units, or why it is not one. */
export type UnitsInput = { units: number } | { problem: 'empty' | 'whole' | 'min' | 'max' };

/** Reads a units field: a whole number from 1 to MAX_UNITS. */
export function parseUnits(text: string): UnitsInput {
  const trimmed = text.trim();
  if (trimmed === '') return { problem: 'empty' };
  const v = Number(trimmed);
  if (!Number.isFinite(v) || !Number.isInteger(v)) return { problem: 'whole' };
  if (v < 1) return { problem: 'min' };
  if (v > MAX_UNITS) return { problem: 'max' };
  return { units: v };
}
