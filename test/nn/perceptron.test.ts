/** The single perceptron and its learning rule: AND and OR are learned, XOR cannot be. */
import { describe, expect, it } from 'vitest';
import { Model, SpecError, Trainer } from '../../shared/nn/index.js';

const x = Float32Array.from([0, 0, 0, 1, 1, 0, 1, 1]);
const gates = {
  AND: [0, 0, 0, 1],
  OR: [0, 1, 1, 1],
  XOR: [0, 1, 1, 0],
};
const spec = { kind: 'perceptron', inputs: 2, layers: [{ units: 1, activation: 'step' }], loss: 'mse', task: 'classification' };

async function trainGate(targets: number[], epochs: number) {
  const model = Model.create(spec, { seed: 1 });
  const trainer = new Trainer(model, { x, y: Float32Array.from(targets), rows: 4 },
    { optimizer: { name: 'sgd', lr: 0.1 }, batchSize: 1, sampling: 'shuffle', epochs, seed: 3 });
  const result = await trainer.train();
  return { model, result, outputs: Array.from(model.predict(x, 4)) };
}

describe('the perceptron (step unit, perceptron rule)', () => {
  it('starts from zero weights, the classic start', () => {
    const model = Model.create(spec);
    expect(Array.from(model.params)).toEqual([0, 0, 0]);
  });

  for (const gate of ['AND', 'OR'] as const) {
    it(`learns ${gate}`, async () => {
      const { outputs, result } = await trainGate(gates[gate], 50);
      expect(outputs).toEqual(gates[gate]);
      // Once every row is right the rule stops changing anything: the last epoch had no error.
      expect(result.history.at(-1)!.accuracy).toBe(1);
    });
  }

  it('cannot learn XOR: no line separates it, so some row stays wrong in every epoch', async () => {
    const { outputs, result } = await trainGate(gates.XOR, 200);
    expect(outputs).not.toEqual(gates.XOR);
    expect(result.history.every((e) => e.accuracy! < 1)).toBe(true);
  });

  it('refuses optimizers other than the perceptron rule', () => {
    const model = Model.create(spec);
    expect(() => new Trainer(model, { x, y: Float32Array.from(gates.AND), rows: 4 }, { optimizer: { name: 'adam', lr: 0.1 }, epochs: 1 }))
      .toThrow(SpecError);
  });

  it('is one layer of step units', () => {
    expect(() => Model.create({ ...spec, layers: [{ units: 2, activation: 'step' }, { units: 1, activation: 'step' }] })).toThrow(/a perceptron is one layer of 'step' units/);
  });
});
