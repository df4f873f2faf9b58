/** Output sizes and padding of `valid` and `same` convolutions and of pooling (model spec v2; TF/ONNX SAME_UPPER). */
import { describe, expect, it } from 'vitest';
import { convAxis, convGeometry, poolAxis } from '../../../shared/nn/layers/geometry.js';

describe('convolution geometry', () => {
  it('valid: ⌊(n − k)/stride⌋ + 1, no padding', () => {
    expect(convAxis(28, 5, 1, 'valid')).toEqual({ out: 24, padBefore: 0 });
    expect(convAxis(13, 3, 2, 'valid')).toEqual({ out: 6, padBefore: 0 });
  });
  it('same: ⌈n/stride⌉, the odd padding row at the bottom/right (as TensorFlow: 6 → 3 with k 3, stride 2, pads 0 and 1)', () => {
    expect(convAxis(28, 5, 1, 'same')).toEqual({ out: 28, padBefore: 2 });
    expect(convAxis(6, 3, 2, 'same')).toEqual({ out: 3, padBefore: 0 });
    expect(convAxis(9, 3, 2, 'same')).toEqual({ out: 5, padBefore: 1 });
    expect(convAxis(8, 4, 1, 'same')).toEqual({ out: 8, padBefore: 1 }); // total 3: 1 before, 2 after
    expect(convAxis(5, 1, 2, 'same')).toEqual({ out: 3, padBefore: 0 });
  });
  it('convGeometry combines both axes of a non-square image', () => {
    expect(convGeometry(2, 3, 6, 9, 4, 3, 2, 'same')).toEqual({ B: 2, C: 3, H: 6, W: 9, OC: 4, k: 3, stride: 2, padTop: 0, padLeft: 1, OH: 3, OW: 5 });
  });
  it('pooling floors odd sizes (11×11 pools to 5×5)', () => {
    expect(poolAxis(11, 2, 2)).toBe(5);
    expect(poolAxis(7, 3, 2)).toBe(3);
  });
});
