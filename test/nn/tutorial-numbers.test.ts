/** The numbers printed in the classic from-scratch tutorials, reproduced by the engine. */
import { describe, expect, it } from 'vitest';
import { DensePasses } from '../../shared/nn/plans/dense-passes.js';
import { activation, Model } from '../../shared/nn/index.js';

function expectAllClose(actual: ArrayLike<number>, expected: number[], tolerance: number): void {
  expect(actual.length).toBe(expected.length);
  expected.forEach((e, i) => expect(Math.abs(actual[i] - e), `element ${i}: ${actual[i]} vs ${e}`).toBeLessThanOrEqual(tolerance));
}

describe('the three-layer forward pass of the tutorials', () => {
  // X=[1.0, 0.5], W1=[[0.1,0.3,0.5],[0.2,0.4,0.6]], B1=[0.1,0.2,0.3], W2=[[0.1,0.4],[0.2,0.5],[0.3,0.6]], B2=[0.1,0.2]
  const weights = [0.1, 0.3, 0.5, 0.2, 0.4, 0.6, 0.1, 0.2, 0.3, /* W2 */ 0.1, 0.4, 0.2, 0.5, 0.3, 0.6, 0.1, 0.2];
  const spec = {
    inputs: 2,
    layers: [{ units: 3, activation: 'sigmoid' }, { units: 2, activation: 'sigmoid' }],
    loss: 'mse',
    task: 'regression',
  };
  const model = Model.fromWeights(spec, weights);

  it('computes A1 = X·W1 + B1 and Z1 = sigmoid(A1) exactly', () => {
    const ws = new DensePasses(model, 1, null); // keeps every layer's Z and A
    ws.forward(Float32Array.from([1.0, 0.5]), 1, false, null);
    expectAllClose(ws.z[0], [0.3, 0.7, 1.1], 1e-6);
    expectAllClose(ws.a[0], [0.57444252, 0.66818777, 0.75026011], 1e-6);
  });

  it('outputs sigmoid(Z1·W2 + B2) = [0.62624937, 0.7710107]', () => {
    expectAllClose(model.predict(Float32Array.from([1.0, 0.5]), 1), [0.62624937, 0.7710107], 1e-6);
  });
});

describe('softmax', () => {
  const softmax = activation('softmax');

  it('softmax([0.3, 2.9, 4.0]) = [0.01821127, 0.24519181, 0.73659691]', () => {
    const out = new Float64Array(3);
    softmax.forward(out, Float64Array.from([0.3, 2.9, 4.0]), 1, 3);
    expectAllClose(out, [0.01821127, 0.24519181, 0.73659691], 1e-8);
  });

  it('softmax([1010, 1000, 990]) does not overflow (it subtracts the max)', () => {
    const out = new Float64Array(3);
    softmax.forward(out, Float64Array.from([1010, 1000, 990]), 1, 3);
    expect(out.every(Number.isFinite)).toBe(true);
    expectAllClose(out, [9.99954600e-01, 4.53978686e-05, 2.06106005e-09], 1e-9);
    expect(Math.abs(out[1] / 4.53978686e-05 - 1)).toBeLessThan(1e-6);
    expect(Math.abs(out[2] / 2.06106005e-09 - 1)).toBeLessThan(1e-6);
  });

  it('the same in float32, row by row, as training computes it', () => {
    const out = new Float32Array(6);
    softmax.forward(out, Float32Array.from([0.3, 2.9, 4.0, 1010, 1000, 990]), 2, 3);
    expectAllClose(out, [0.01821127, 0.24519181, 0.73659691, 9.99954600e-01, 4.53978686e-05, 2.06106005e-09], 1e-6);
  });
});
