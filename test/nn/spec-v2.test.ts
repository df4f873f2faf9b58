/**
 * Model spec v2: typed layers, shape inference (valid/same padding, strides, pools, the implied
 * flatten), refusals that name the layer and both shapes, and the v1 → v2 migration.
 * Expected shapes are worked out by hand from the contract's formulas.
 */
import { describe, expect, it } from 'vitest';
import {
  inferShapes, migrateModelSpec, ModelSpecSchema, ModelSpecV1Schema, parseModelSpec, SpecError, type LayerSpecInput,
} from '../../shared/nn/index.js';
import { convAxis } from '../../shared/nn/layers/geometry.js';
import { paramLayout } from '../../shared/nn/model.js';

const classify = (input: number[], layers: LayerSpecInput[]) =>
  ({ version: 2 as const, input: input as [number], layers, loss: 'categorical-crossentropy' as const, task: 'classification' as const });
const softmax10: LayerSpecInput = { type: 'dense', units: 10, activation: 'softmax' };

function refusal(spec: unknown): SpecError {
  try {
    parseModelSpec(spec);
  } catch (e) {
    if (e instanceof SpecError) return e;
    throw e;
  }
  throw new Error('the spec was accepted');
}

describe('shape inference', () => {
  it('LeNet-5 on 1×28×28: 6@5×5 same → pool 2 → 16@5×5 → pool 2 → 120 → 84 → 10', () => {
    const spec = parseModelSpec(classify([1, 28, 28], [
      { type: 'conv2d', filters: 6, kernel: 5, padding: 'same', activation: 'relu' }, { type: 'maxpool2d', size: 2 },
      { type: 'conv2d', filters: 16, kernel: 5, activation: 'relu' }, { type: 'avgpool2d', size: 2 },
      { type: 'dense', units: 120, activation: 'relu' }, { type: 'dense', units: 84, activation: 'relu' }, softmax10,
    ]));
    expect(inferShapes(spec)).toEqual([[6, 28, 28], [6, 14, 14], [16, 10, 10], [16, 5, 5], [120], [84], [10]]);
  });

  it('same padding with stride 2 on odd, non-square images is ⌈H/2⌉ × ⌈W/2⌉; valid is ⌊(H−k)/s⌋+1', () => {
    const spec = parseModelSpec(classify([3, 7, 5], [
      { type: 'conv2d', filters: 4, kernel: 3, stride: 2, padding: 'same' }, { type: 'batchnorm' }, { type: 'activation', activation: 'relu' },
      { type: 'conv2d', filters: 2, kernel: 2, stride: 2 }, { type: 'flatten' }, { type: 'dropout', rate: 0.5 }, softmax10,
    ]));
    // same: 7 → 4, 5 → 3; valid k=2 s=2: (4−2)/2+1 = 2, (3−2)/2+1 = 1 (floor)
    expect(inferShapes(spec)).toEqual([[4, 4, 3], [4, 4, 3], [4, 4, 3], [2, 2, 1], [4], [4], [10]]);
  });

  it('same padding puts the odd pixel after (SAME_UPPER): H=5, k=4, s=1 pads 1 before and 2 after', () => {
    expect(convAxis(5, 4, 1, 'same')).toEqual({ out: 5, padBefore: 1 });
    expect(convAxis(6, 3, 2, 'same')).toEqual({ out: 3, padBefore: 0 }); // total max(2·2+3−6, 0) = 1
    expect(convAxis(7, 3, 2, 'valid')).toEqual({ out: 3, padBefore: 0 });
  });

  it('maxpool 3/2 (overlapping windows) and globalavgpool to a vector', () => {
    const spec = parseModelSpec(classify([8, 9, 9], [{ type: 'maxpool2d', size: 3, stride: 2 }, { type: 'globalavgpool' }, softmax10]));
    expect(inferShapes(spec)).toEqual([[8, 4, 4], [8], [10]]);
  });

  it('refuses a pool larger than its input, naming the layer number, its kind and the shapes', () => {
    const e = refusal(classify([16, 8, 8], [{ type: 'maxpool2d', size: 2 }, { type: 'maxpool2d', size: 2 }, { type: 'maxpool2d', size: 2 }, { type: 'maxpool2d', size: 2 }, softmax10]));
    expect(e.field).toBe('layers.3');
    expect(e.message).toContain('layer 4 (maxpool 2): its input 16×1×1 is smaller than the pool 2×2');
  });

  it('refuses a conv on a vector, a kernel larger than a valid input and an image as the output', () => {
    expect(refusal(classify([20], [{ type: 'conv2d', filters: 2, kernel: 3 }, softmax10])).message)
      .toMatch(/layer 1 \(conv2d 2@3×3\): its input 20 is a vector, but this layer needs an image/);
    expect(refusal(classify([1, 2, 5], [{ type: 'conv2d', filters: 2, kernel: 3 }, softmax10])).message)
      .toMatch(/layer 1 \(conv2d 2@3×3\): its input 1×2×5 is smaller than the kernel 3×3/);
    expect(refusal({ ...classify([1, 6, 6], [{ type: 'conv2d', filters: 2, kernel: 3 }]), loss: 'mse', task: 'regression' }).message)
      .toMatch(/layers\.0: the output layer gives the image 2×4×4/);
  });

  it('names a bad field of a typed layer', () => {
    expect(refusal(classify([1, 6, 6], [{ type: 'conv2d', filters: 0, kernel: 3 }, softmax10])).field).toBe('layers.0.filters');
    expect(refusal(classify([4], [{ type: 'pool' } as never, softmax10])).field).toBe('layers.0.type');
  });
});

describe('version 1 → 2', () => {
  const v1 = {
    inputs: 4, loss: 'categorical-crossentropy', task: 'classification', labels: ['a', 'b', 'c'],
    layers: [{ units: 8, activation: 'relu', dropout: 0.25, init: { name: 'he-uniform' } }, { units: 5, activation: 'tanh', bias: false }, { units: 3, activation: 'softmax' }],
  } as const;

  it('inputs → input, each layer → dense, a dropout > 0 → a dropout layer after it', () => {
    expect(migrateModelSpec(ModelSpecV1Schema.parse(v1))).toEqual({
      version: 2, kind: 'mlp', input: [4], loss: 'categorical-crossentropy', task: 'classification', labels: ['a', 'b', 'c'],
      layers: [
        { type: 'dense', units: 8, activation: 'relu', bias: true, init: { name: 'he-uniform' } }, { type: 'dropout', rate: 0.25 },
        { type: 'dense', units: 5, activation: 'tanh', bias: false }, { type: 'dense', units: 3, activation: 'softmax', bias: true },
      ],
    });
  });

  it('parseModelSpec and the IPC/project schema accept both versions and give version 2', () => {
    expect(parseModelSpec(v1)).toEqual(migrateModelSpec(ModelSpecV1Schema.parse(v1)));
    expect(ModelSpecSchema.parse(v1)).toEqual(parseModelSpec(v1));
    expect(ModelSpecSchema.parse({ ...v1, version: 1 })).toEqual(parseModelSpec(v1));
    expect(() => ModelSpecSchema.parse({ ...v1, layers: [{ units: -1, activation: 'relu' }] })).toThrow(/layers.*units/s);
  });

  it('keeps the dense parameter layout: 4·8+8 + 8·5 + 5·3+3 parameters, no state', () => {
    expect(paramLayout(parseModelSpec(v1))).toMatchObject({ count: 4 * 8 + 8 + 8 * 5 + 5 * 3 + 3, stateCount: 0 });
  });
});
