/**
 * The Model page's editable network: hidden layers as drafts a form can bind to, the templates a
 * person starts from, and the conversion to the run config's `ModelChoice`. The output layer is
 * not a draft: the data decides its size (classes or targets), the person may pick its activation.
 */
import type { ActivationName } from '../../../shared/nn/activations.js';
import type { InitName } from '../../../shared/nn/init.js';
import type { LossName } from '../../../shared/nn/losses.js';
import type { LayerSpecInput } from '../../../shared/nn/spec.js';
import { hiddenLayers, type ModelChoice, type TrainingChoice } from '../../../shared/runs/config.js';

export interface LayerDraft {
  /** Stable identity for keyed lists (reordering keeps focus on the moved row). */
  id: number;
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

export interface ModelDraft {
  kind: 'mlp' | 'perceptron';
  hidden: LayerDraft[];
  outputActivation: ActivationName | 'auto';
  loss: LossName | 'auto';
}

export type TemplateName = 'perceptron' | 'two-layer' | 'deep';

export const TEMPLATE_NAMES: readonly TemplateName[] = ['perceptron', 'two-layer', 'deep'];

let nextId = 1;
/** A fresh layer draft (ids are unique for the session). */
export function newLayer(partial: Partial<Omit<LayerDraft, 'id'>> = {}): LayerDraft {
  return { id: nextId++, units: 16, activation: 'relu', bias: true, dropout: 0, init: 'default', ...partial };
}

/**
 * A template: the model and the training settings that go with it.
 *   perceptron  one layer of step units, the perceptron rule (learns AND/OR, not XOR)
 *   two-layer   the tutorials' 50 sigmoid units, N(0, 0.01²) weights, SGD lr 0.1, batch 100
 *   deep        three ReLU layers (64-32-16) with Adam
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
    default:
      throw new Error(`unknown template ${String(name satisfies never)}`);
  }
}

/** The run config's model part from the draft. */
export function modelChoice(draft: ModelDraft): ModelChoice {
  if (draft.kind === 'perceptron') return { kind: 'perceptron', ...(draft.loss !== 'auto' ? { loss: draft.loss } : {}) };
  return {
    kind: 'mlp',
    hidden: draft.hidden.flatMap((l): LayerSpecInput[] => {
      const dense: LayerSpecInput = {
        type: 'dense',
        units: l.units,
        activation: l.activation,
        bias: l.bias,
        ...(l.init !== 'default' ? { init: { name: l.init, ...(l.init === 'normal' ? { std: l.std ?? 0.01 } : {}) } } : {}),
      };
      return l.dropout > 0 ? [dense, { type: 'dropout', rate: l.dropout }] : [dense];
    }),
    ...(draft.outputActivation !== 'auto' ? { outputActivation: draft.outputActivation } : {}),
    ...(draft.loss !== 'auto' ? { loss: draft.loss } : {}),
  };
}

/**
 * A draft from a run's model part (duplicating a run): absent hidden layers become the default one;
 * a dropout layer becomes the dropout of the dense layer before it. The editor drafts dense layers
 * only, so other layer types are left out of the draft.
 */
export function modelDraftFromChoice(choice: ModelChoice, inputs: number): ModelDraft {
  const layers = hiddenLayers(choice.hidden ?? [{ type: 'dense', units: Math.min(128, Math.max(8, 2 * inputs)), activation: 'relu' }]);
  const hidden: LayerDraft[] = [];
  for (const l of layers) {
    if (l.type === 'dense') {
      hidden.push(newLayer({ units: l.units, activation: l.activation, bias: l.bias ?? true, init: l.init?.name ?? 'default', std: l.init?.std }));
    } else if (l.type === 'dropout' && hidden.length > 0) {
      hidden[hidden.length - 1].dropout = l.rate;
    }
  }
  return {
    kind: choice.kind ?? 'mlp',
    hidden: choice.kind === 'perceptron' ? [] : hidden,
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
