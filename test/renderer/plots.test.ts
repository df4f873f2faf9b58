/** The live plots' maths: a decision boundary and a fitted curve drawn by the real engine in raw feature units. */
import { describe, expect, it } from 'vitest';
import type { TableState } from '../../shared/data/preprocess.js';
import { Model } from '../../shared/nn/model.js';
import { boundaryGrid, dataPoints, featureRange, fittedCurve, histogram, numericFeatures } from '../../renderer/src/lib/plots.js';

/** z-score state for two numeric columns a (mean 10, std 2) and b (mean −5, std 0.5). */
const twoFeatures: TableState = {
  version: 1, kind: 'table', missing: 'mean', normalize: 'zscore', columns: ['a', 'b'],
  features: [
    { kind: 'numeric', column: 'a', fill: 10, offset: 10, scale: 0.5 },
    { kind: 'numeric', column: 'b', fill: -5, offset: -5, scale: 2 },
  ],
  featureNames: ['a', 'b'], inputSize: 2, target: { task: 'classification', column: 'c', classes: ['left', 'right'] },
};

describe('the decision boundary', () => {
  // One sigmoid unit, p = σ(100·a'): class "right" exactly where a > 10 (a' = (a − 10)/2 > 0).
  const model = Model.fromWeights({ inputs: 2, layers: [{ units: 1, activation: 'sigmoid' }], loss: 'binary-crossentropy', task: 'classification' }, [100, 0, 0]);

  it('predicts each cell at its raw feature values, through the fitted preprocessing', () => {
    const grid = boundaryGrid(model, twoFeatures, { min: 6, max: 14 }, { min: -6, max: -4 }, 8);
    for (let r = 0; r < 8; r++) {
      expect(Array.from(grid.classes.subarray(r * 8, r * 8 + 8))).toEqual([0, 0, 0, 0, 1, 1, 1, 1]);
    }
    expect(Math.min(...grid.confidence)).toBeGreaterThan(0.5);
  });

  it('is drawn over the data’s range, or the normalisation’s when no rows are held', () => {
    const [a] = numericFeatures(twoFeatures, 2)!;
    const fromData = featureRange(a, 'zscore', [8, 12]);
    expect(fromData.min).toBeCloseTo(8 - 0.32);
    expect(fromData.max).toBeCloseTo(12 + 0.32);
    const fromState = featureRange(a, 'zscore', null);
    expect(fromState.min).toBeCloseTo(10 - 5 - 0.8); // mean − 2.5 std, less the 8% margin
    expect(numericFeatures({ ...twoFeatures, inputSize: 3 }, 2)).toBeNull();
  });
});

describe('the fitted curve', () => {
  it('evaluates a 1-input regression along the raw x range', () => {
    const state: TableState = {
      ...twoFeatures, columns: ['x'], features: [{ kind: 'numeric', column: 'x', fill: 0, offset: 1, scale: 0.5 }], featureNames: ['x'], inputSize: 1,
      target: { task: 'regression', column: 'y', mean: 0, std: 1, min: 0, max: 1 },
    };
    // y = 2·x' + 1 with x' = (x − 1)/2, i.e. y = x.
    const model = Model.fromWeights({ inputs: 1, layers: [{ units: 1, activation: 'identity' }], loss: 'mse', task: 'regression' }, [2, 1]);
    const curve = fittedCurve(model, state, { min: -3, max: 5 }, 5);
    expect(curve.map((p) => p.x)).toEqual([-3, -1, 1, 3, 5]);
    curve.forEach((p) => expect(p.y).toBeCloseTo(p.x, 5));
  });
});

describe('data points and histograms', () => {
  it('takes raw values from the table by the split’s row indices', () => {
    const split = (rows: number[], y: number[]) => ({ rows: Int32Array.from(rows), y: Int32Array.from(y), count: rows.length });
    const columns = (name: string) => (name === 'a' ? [1, 2, 3] : name === 'b' ? [4, 5, 6] : null);
    const points = dataPoints({ train: split([2, 0], [1, 0]), validation: split([1], [1]), test: split([], []) }, ['a', 'b'], columns, 'classification');
    expect(points).toEqual([
      { x: 3, y: 6, cls: 1, split: 'train' }, { x: 1, y: 4, cls: 0, split: 'train' }, { x: 2, y: 5, cls: 1, split: 'validation' },
    ]);
  });

  it('counts values in equal bins', () => {
    const h = histogram([0, 0.1, 0.5, 0.9, 1, NaN], 2);
    expect(h.edges).toEqual([0, 0.5, 1]);
    expect(h.counts).toEqual([2, 3]);
  });
});
