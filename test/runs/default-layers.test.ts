/** Default hidden layers from the input shape: a CNN for images, one ReLU layer for feature columns. */
import { describe, expect, it } from 'vitest';
import { defaultHiddenLayers } from '../../shared/runs/default-layers.js';
import { modelSpecFor } from '../../shared/runs/config.js';
import { inferShapes, parseModelSpec } from '../../shared/nn/spec.js';

describe('defaultHiddenLayers', () => {
  it('images of 28×28 get conv 32×3 relu → maxpool 2 → conv 64×3 relu → maxpool 2 → dense 128 relu', () => {
    expect(defaultHiddenLayers([1, 28, 28])).toEqual([
      { type: 'conv2d', filters: 32, kernel: 3, activation: 'relu' },
      { type: 'maxpool2d', size: 2 },
      { type: 'conv2d', filters: 64, kernel: 3, activation: 'relu' },
      { type: 'maxpool2d', size: 2 },
      { type: 'flatten' },
      { type: 'dense', units: 128, activation: 'relu' },
    ]);
    expect(defaultHiddenLayers([3, 10, 12]).filter((l) => l.type === 'conv2d')).toHaveLength(2);
  });

  it('small images get one conv block, tiny ones and feature columns one dense layer', () => {
    expect(defaultHiddenLayers([1, 6, 9]).map((l) => l.type)).toEqual(['conv2d', 'maxpool2d', 'flatten', 'dense']);
    expect(defaultHiddenLayers([1, 3, 40])).toEqual([{ type: 'dense', units: 128, activation: 'relu' }]);
    expect(defaultHiddenLayers([4])).toEqual([{ type: 'dense', units: 8, activation: 'relu' }]);
    expect(defaultHiddenLayers([30])).toEqual([{ type: 'dense', units: 60, activation: 'relu' }]);
  });
});

describe('modelSpecFor on image data', () => {
  it('Fashion-MNIST-like data [1, 28, 28] with 10 classes: the CNN, a softmax output, shapes 26→13→11→5', () => {
    const spec = modelSpecFor({}, { task: 'classification', inputs: 784, input: [1, 28, 28], outputs: 10, trainRows: 50_000 });
    expect(spec.input).toEqual([1, 28, 28]);
    const parsed = parseModelSpec(spec);
    expect(parsed.layers.map((l) => l.type)).toEqual(['conv2d', 'maxpool2d', 'conv2d', 'maxpool2d', 'flatten', 'dense', 'dense']);
    expect(parsed.layers.at(-1)).toMatchObject({ type: 'dense', units: 10, activation: 'softmax' });
    expect(inferShapes(parsed)).toEqual([[32, 26, 26], [32, 13, 13], [64, 11, 11], [64, 5, 5], [1600], [128], [10]]);
  });

  it('feature columns keep one ReLU layer', () => {
    const spec = parseModelSpec(modelSpecFor({}, { task: 'classification', inputs: 4, outputs: 3, trainRows: 100 }));
    expect(spec.layers.map((l) => l.type)).toEqual(['dense', 'dense']);
    expect(spec.layers[0]).toMatchObject({ units: 8, activation: 'relu' });
  });
});
