/**
 * The hidden layers a run gets when the person chooses none, from the shape of its inputs:
 * a small convolutional network for images (convolutions see neighbouring pixels together and
 * share their weights across the image, which is why they beat a multilayer perceptron on
 * Fashion-MNIST: ~0.92 against ~0.89), one ReLU layer for feature columns.
 */
import type { InputShape } from '../data/shape.js';
import { parseLayersText, type GrammarLayer } from '../nn/layers-grammar.js';

/** Two conv → pool blocks then a dense layer (the recipe); needs images of 10×10 or more. */
export const DEFAULT_CNN = 'conv:32x3:relu,maxpool:2,conv:64x3:relu,maxpool:2,dense:128:relu';
/** One conv → pool block for small images (4×4 to 9×9). */
export const SMALL_CNN = 'conv:16x3:relu,maxpool:2,dense:64:relu';

/**
 * Default hidden layers for inputs of `shape`. Images: DEFAULT_CNN when both sides are ≥ 10
 * (valid 3×3 convolutions and 2×2 pools: 10 → 8 → 4 → 2 → 1), SMALL_CNN from 4 (4 → 2 → 1),
 * else (and for feature columns) one ReLU layer of twice the inputs, kept between 8 and 128 units.
 */
export function defaultHiddenLayers(shape: InputShape): GrammarLayer[] {
  if (shape.length === 3) {
    const side = Math.min(shape[1], shape[2]);
    if (side >= 10) return parseLayersText(DEFAULT_CNN);
    if (side >= 4) return parseLayersText(SMALL_CNN);
  }
  const inputs = shape.reduce((a, b) => a * b, 1);
  return [{ type: 'dense', units: Math.min(128, Math.max(8, 2 * inputs)), activation: 'relu' }];
}
