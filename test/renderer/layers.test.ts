/** The Model page's drafts become the run config's model part, and templates build the intended networks. */
import { describe, expect, it } from 'vitest';
import { modelChoice, modelDraftFromChoice, moveItem, newLayer, newLayerOfType, parseUnits, template, type ModelDraft } from '../../renderer/src/lib/layers.js';
import { draftRows } from '../../renderer/src/lib/layer-rows.js';
import { buildSpec } from '../../renderer/src/lib/network.js';
import type { LayerSpec } from '../../shared/nn/spec.js';

/** [units, activation] of a dense layer, the type of any other. */
const brief = (l: LayerSpec) => (l.type === 'dense' ? [l.units, l.activation] : l.type);

const spiralShape = { task: 'classification' as const, inputs: 2, outputs: 3, trainRows: 210, labels: ['0', '1', '2'] };

describe('model templates', () => {
  it('the tutorials’ two-layer net: 50 sigmoid units with N(0, 0.01²) weights, softmax out, SGD lr 0.1, batch 100', () => {
    const t = template('two-layer');
    const built = buildSpec(modelChoice(t.model), spiralShape);
    if (!built.ok) throw new Error(built.message);
    expect(built.spec.layers.map(brief)).toEqual([[50, 'sigmoid'], [3, 'softmax']]);
    expect(built.spec.layers[0].type === 'dense' && built.spec.layers[0].init).toEqual({ name: 'normal', std: 0.01 });
    expect(built.params).toBe(2 * 50 + 50 + 50 * 3 + 3);
    expect(t.training).toMatchObject({ optimizer: 'sgd', learningRate: 0.1, batchSize: 100 });
  });

  it('the perceptron: one layer of step units', () => {
    const built = buildSpec(modelChoice(template('perceptron').model), { ...spiralShape, outputs: 2, labels: ['0', '1'] });
    if (!built.ok) throw new Error(built.message);
    expect(built.spec.kind).toBe('perceptron');
    expect(built.spec.layers).toHaveLength(1);
    expect(brief(built.spec.layers[0])).toEqual([2 - 1, 'step']);
  });

  it('the deeper MLP: 64-32-16 ReLU', () => {
    const built = buildSpec(modelChoice(template('deep').model), spiralShape);
    if (!built.ok) throw new Error(built.message);
    expect(built.spec.layers.map(brief)).toEqual([[64, 'relu'], [32, 'relu'], [16, 'relu'], [3, 'softmax']]);
  });
});

describe('drafts', () => {
  it('carry units, activation, bias, dropout and initialiser into the choice, and back', () => {
    const draft = { kind: 'mlp' as const, hidden: [newLayer({ units: 8, activation: 'tanh', bias: false, dropout: 0.2, init: 'he-uniform' })], outputActivation: 'auto' as const, loss: 'mse' as const };
    const choice = modelChoice(draft);
    expect(choice).toEqual({ kind: 'mlp', hidden: [{ type: 'dense', units: 8, activation: 'tanh', bias: false, init: { name: 'he-uniform' } }, { type: 'dropout', rate: 0.2 }], loss: 'mse' });
    const back = modelDraftFromChoice(choice, 2);
    expect(back.hidden.map(({ id: _id, ...l }) => l)).toEqual([{ type: 'dense', units: 8, activation: 'tanh', bias: false, dropout: 0.2, init: 'he-uniform', std: undefined }]);
    expect(back.loss).toBe('mse');
  });

  it('read a version-1 hidden layer (older project files) with its dropout', () => {
    const back = modelDraftFromChoice({ kind: 'mlp', hidden: [{ units: 5, activation: 'elu', dropout: 0.3 }] }, 2);
    expect(back.hidden.map(({ id: _id, ...l }) => l)).toEqual([{ type: 'dense', units: 5, activation: 'elu', bias: true, dropout: 0.3, init: 'default', std: undefined }]);
  });

  it('an impossible combination names the field and why', () => {
    const draft = { kind: 'mlp' as const, hidden: [newLayer()], outputActivation: 'identity' as const, loss: 'categorical-crossentropy' as const };
    const built = buildSpec(modelChoice(draft), spiralShape);
    expect(built.ok).toBe(false);
    if (!built.ok) expect(built.message).toMatch(/loss.*'sigmoid' or 'softmax'/);
  });

  it('moveItem reorders, clamped at the ends', () => {
    expect(moveItem(['a', 'b', 'c'], 0, 1)).toEqual(['b', 'a', 'c']);
    expect(moveItem(['a', 'b', 'c'], 2, 1)).toEqual(['a', 'b', 'c']);
    expect(moveItem(['a', 'b', 'c'], 2, -2)).toEqual(['c', 'a', 'b']);
  });
});

describe('the units field', () => {
  it('refuses 0, −5, 200000, 2.5 and empty, naming why; takes 1 and 100000', () => {
    expect(parseUnits('0')).toEqual({ problem: 'min' });
    expect(parseUnits('-5')).toEqual({ problem: 'min' });
    expect(parseUnits('200000')).toEqual({ problem: 'max' });
    expect(parseUnits('2.5')).toEqual({ problem: 'whole' });
    expect(parseUnits('')).toEqual({ problem: 'empty' });
    expect(parseUnits(' 1 ')).toEqual({ units: 1 });
    expect(parseUnits('100000')).toEqual({ units: 100_000 });
  });
});

const fashion = { task: 'classification' as const, inputs: 784, input: [1, 28, 28] as [number, number, number], outputs: 10, trainRows: 60_000, labels: Array.from({ length: 10 }, (_, i) => String(i)) };

describe('convolutional templates and rows', () => {
  it('small CNN: conv 32 → pool → conv 64 → pool → dense 128, each row with its shape and parameters', () => {
    const t = template('small-cnn');
    const built = buildSpec(modelChoice(t.model), fashion);
    if (!built.ok) throw new Error(built.message);
    expect(built.spec.layers.map((l) => l.type)).toEqual(['conv2d', 'maxpool2d', 'conv2d', 'maxpool2d', 'flatten', 'dense', 'dense']);
    const { rows, output } = draftRows(t.model, fashion);
    expect(rows.map((r) => r.shape)).toEqual([[32, 26, 26], [32, 13, 13], [64, 11, 11], [64, 5, 5], [1600], [128]]);
    // 3·3·1·32 + 32 | 3·3·32·64 + 64 | 1600·128 + 128 | 128·10 + 10 (PyTorch's count for the same net)
    expect(rows.map((r) => r.params)).toEqual([320, 0, 18_496, 0, 0, 204_928]);
    expect(output).toMatchObject({ shape: [10], params: 1290 });
    expect(rows.every((r) => r.error === null)).toBe(true);
    expect(t.training).toMatchObject({ optimizer: 'adam', learningRate: 0.001, batchSize: 128 });
  });

  it('LeNet-5: 6@5×5 same, pool, 16@5×5, pool, 120, 84 (61,706 parameters with 10 classes)', () => {
    const built = buildSpec(modelChoice(template('lenet5').model), fashion);
    if (!built.ok) throw new Error(built.message);
    expect(built.params).toBe(61_706);
  });

  it('an impossible shape is marked on its own row with the engine’s message; the rows before keep theirs', () => {
    const draft: ModelDraft = template('small-cnn').model;
    // a third pool on 64×5×5 → 64×2×2, then a 3×3 convolution cannot fit
    draft.hidden.splice(4, 0, newLayerOfType('maxpool2d'), newLayerOfType('conv2d'));
    const { rows } = draftRows(draft, fashion);
    expect(rows[4].shape).toEqual([64, 2, 2]);
    expect(rows[5].error).toBe('layer 6 (conv2d 16@3×3): its input 64×2×2 is smaller than the kernel 3×3');
    expect(rows[5].shape).toBeNull();
    expect(rows.slice(6).every((r) => r.shape === null && r.error === null)).toBe(true);
    expect(buildSpec(modelChoice(draft), fashion).ok).toBe(false);
  });

  it('a dropout or pooling draft round-trips through the run config', () => {
    const draft: ModelDraft = { kind: 'mlp', hidden: [newLayerOfType('conv2d'), newLayerOfType('batchnorm'), newLayerOfType('activation'), newLayerOfType('avgpool2d'), newLayerOfType('dropout'), newLayerOfType('globalavgpool')], outputActivation: 'auto', loss: 'auto' };
    const choice = modelChoice(draft);
    const back = modelDraftFromChoice(choice, 784);
    expect(back.hidden.map(({ id: _id, ...l }) => l)).toEqual(draft.hidden.map(({ id: _id, ...l }) => l));
    const { rows } = draftRows(draft, fashion);
    expect(rows.map((r) => r.shape)).toEqual([[16, 26, 26], [16, 26, 26], [16, 26, 26], [16, 13, 13], [16, 13, 13], [16]]);
    expect(rows[1].params).toBe(32); // γ and β per channel
  });
});
