/** Default hidden layers from the input shape: a CNN for images, one ReLU layer for feature columns. */
import { describe, expect, it } from 'vitest';
import { defaultHiddenLayers } from '../../shared/runs/default-layers.js';

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
