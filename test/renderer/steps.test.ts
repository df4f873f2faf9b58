/** The Inspect page's step-through: the tutorial network's matrices in the order the tutorials teach them. */
import { describe, expect, it } from 'vitest';
import { captureStep } from '../../shared/nn/inspect.js';
import { Model } from '../../shared/nn/model.js';
import { stepsOf, subscript } from '../../renderer/src/lib/steps.js';

// The tutorials' 2-3-2 sigmoid network.
const weights = [0.1, 0.3, 0.5, 0.2, 0.4, 0.6, 0.1, 0.2, 0.3, 0.1, 0.4, 0.2, 0.5, 0.3, 0.6, 0.1, 0.2];
const model = Model.fromWeights({ inputs: 2, layers: [{ units: 3, activation: 'sigmoid' }, { units: 2, activation: 'sigmoid' }], loss: 'mse', task: 'regression' }, weights);
const capture = captureStep(model, Float32Array.of(1, 0.5), Float32Array.of(0, 1), 1);
const steps = stepsOf(capture, { name: 'sgd', lr: 0.1 });

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

  it('shows the rule of the optimizer that ran: Adam with its moments and bias correction', () => {
    const lr = 0.0053922954786392256;
    const adam = stepsOf(capture, { name: 'adam', lr }).find((s) => s.phase === 'update' && s.layer === 2)!;
    expect(adam.formula).toContain('m̂ = m₂/(1−β₁ᵗ), v̂ = v₂/(1−β₂ᵗ)');
    expect(adam.formula).toContain('W₂ ← W₂ − η·m̂/(√v̂ + ε)');
    expect(adam.formula).toContain('η = 0.005392)'); // display precision, not 0.0053922954786392256
    expect(adam.matrices.map((m) => m.name)).toEqual(['W₂', 'm₂', 'v₂', 'm̂₂', 'v̂₂', 'W₂′']);
    const g = capture.layers[1].gradWeights.data;
    const [before, m, v, mHat, vHat, after] = adam.matrices.map((x) => x.matrix.data);
    // The first step from zero moments: m = (1−β₁)g, v = (1−β₂)g², so m̂ = g, v̂ = g², and each
    // weight moves by η·g/(|g| + ε), about η against the gradient's sign.
    g.forEach((row, r) => row.forEach((gi, c) => {
      expect(m[r][c]).toBeCloseTo(0.1 * gi, 7);
      expect(v[r][c]).toBeCloseTo(0.001 * gi * gi, 9);
      expect(mHat[r][c]).toBeCloseTo(gi, 6);
      expect(vHat[r][c]).toBeCloseTo(gi * gi, 6);
      expect(after[r][c]).toBeCloseTo(before[r][c] - (lr * gi) / (Math.abs(gi) + 1e-8), 6);
    }));
  });

  it('shows momentum’s velocity and RMSprop’s running average', () => {
    const momentum = stepsOf(capture, { name: 'momentum', lr: 0.1, momentum: 0.9 }).find((s) => s.phase === 'update' && s.layer === 1)!;
    expect(momentum.formula).toMatch(/^v₁ ← μ·v₁ − η·∂L\/∂W₁;  W₁ ← W₁ \+ v₁ {3}\(μ = 0\.9, η = 0\.1, v₁ from 0\)$/);
    const g = capture.layers[0].gradWeights.data;
    const [, velocity, after] = momentum.matrices.map((x) => x.matrix.data);
    g.forEach((row, r) => row.forEach((gi, c) => expect(velocity[r][c]).toBeCloseTo(-0.1 * gi, 7)));
    after.forEach((row, r) => row.forEach((w, c) => expect(w).toBeCloseTo(capture.layers[0].weights.data[r][c] - 0.1 * g[r][c], 7)));
    const rms = stepsOf(capture, { name: 'rmsprop', lr: 0.01 }).find((s) => s.phase === 'update' && s.layer === 1)!;
    expect(rms.formula).toContain('h₁ ← ρ·h₁ + (1−ρ)·(∂L/∂W₁)²');
    expect(rms.matrices.map((m) => m.name)).toEqual(['W₁', 'h₁', 'W₁′']);
  });

  it('writes layer numbers as subscripts', () => {
    expect(subscript(12)).toBe('₁₂');
  });
});
