/** The Inspect page's step-through: the tutorial network's matrices in the order the tutorials teach them. */
import { describe, expect, it } from 'vitest';
import { captureStep } from '../../shared/nn/inspect.js';
import { Model } from '../../shared/nn/model.js';
import { stepsOf, subscript } from '../../renderer/src/lib/steps.js';

// The tutorials' 2-3-2 sigmoid network.
const weights = [0.1, 0.3, 0.5, 0.2, 0.4, 0.6, 0.1, 0.2, 0.3, 0.1, 0.4, 0.2, 0.5, 0.3, 0.6, 0.1, 0.2];
const model = Model.fromWeights({ inputs: 2, layers: [{ units: 3, activation: 'sigmoid' }, { units: 2, activation: 'sigmoid' }], loss: 'mse', task: 'regression' }, weights);
const capture = captureStep(model, Float32Array.of(1, 0.5), Float32Array.of(0, 1), 1);
const steps = stepsOf(capture, 0.1);

describe('one training step, piece by piece', () => {
  it('goes forward layer by layer, then the loss, backward from the output, then the updates', () => {
    expect(steps.map((s) => `${s.phase}${s.layer}`)).toEqual([
      'forward1', 'activation1', 'forward2', 'activation2', 'loss0', 'delta2', 'gradient2', 'delta1', 'gradient1', 'update1', 'update2',
    ]);
    expect(steps[0].formula).toBe('Z₁ = X·W₁ + b₁');
    expect(steps[5].formula).toBe('δ₂ = ∂L/∂Z₂');
    expect(steps[7].formula).toBe('δ₁ = (δ₂·W₂ᵀ) ⊙ f′(Z₁)');
  });

  it('shows the tutorial’s numbers: Z₁ = [0.3, 0.7, 1.1], A₁ = sigmoid(Z₁)', () => {
    const z1 = steps[0].matrices.find((m) => m.name === 'Z₁')!.matrix.data[0];
    z1.forEach((v, i) => expect(v).toBeCloseTo([0.3, 0.7, 1.1][i], 6));
    const a1 = steps[1].matrices.find((m) => m.name === 'A₁')!.matrix.data[0];
    a1.forEach((v, i) => expect(v).toBeCloseTo([0.57444252, 0.66818777, 0.75026011][i], 6));
    expect(steps[4].value).toBeCloseTo(capture.loss, 10);
  });

  it('updates each weight by −η·∂L/∂W', () => {
    const update = steps.find((s) => s.phase === 'update' && s.layer === 2)!;
    const [before, after] = update.matrices;
    const grad = capture.layers[1].gradWeights.data;
    after.matrix.data.forEach((row, r) => row.forEach((w, c) => expect(w).toBeCloseTo(before.matrix.data[r][c] - 0.1 * grad[r][c], 7)));
  });

  it('writes layer numbers as subscripts', () => {
    expect(subscript(12)).toBe('₁₂');
  });
});
