/** Predictions in the renderer: the same answers as the backend's `runs:predict` gives for the same rows. */
import { describe, expect, it } from 'vitest';
import { prepareDataset } from '../../main/data/index.js';
import { Model } from '../../shared/nn/model.js';
import { Trainer } from '../../shared/nn/trainer.js';
import { engineDataset } from '../../shared/runs/tensors.js';
import { modelSpecFor } from '../../shared/runs/config.js';
import { classIndices, classificationMetrics } from '../../shared/nn/metrics.js';
import { predictRows, readPrediction } from '../../renderer/src/lib/predict.js';
import { predictTestSplit, rowShares, rowsOfCell } from '../../renderer/src/lib/confusion.js';

describe('reading outputs', () => {
  it('a single sigmoid output gives both class probabilities in class order', () => {
    expect(readPrediction(Float32Array.of(0.8), 0, 1, ['no', 'yes'])).toEqual({ prediction: 'yes', outputs: [expect.closeTo(0.2, 6), expect.closeTo(0.8, 6)], classIndex: 1 });
    expect(readPrediction(Float32Array.of(0.1, 0.7, 0.2), 0, 3, ['a', 'b', 'c']).prediction).toBe('b');
    expect(readPrediction(Float32Array.of(4.5), 0, 1, undefined)).toEqual({ prediction: 4.5, outputs: [4.5] });
  });
});

describe('a trained iris model in the renderer', async () => {
  const prepared = await prepareDataset('sample:iris', { seed: 3 });
  if (prepared.task !== 'classification') throw new Error('iris is a classification');
  const spec = modelSpecFor({ hidden: [{ units: 8, activation: 'tanh' }] }, { task: 'classification', inputs: prepared.inputSize, outputs: 3, trainRows: prepared.train.count, labels: prepared.classes });
  const model = Model.create(spec, { seed: 3 });
  await new Trainer(model, engineDataset(prepared.train, 'classification', 3), { optimizer: { name: 'adam', lr: 0.05 }, epochs: 60, batchSize: 16 }).train();

  it('predicts typed raw values through the fitted preprocessing', () => {
    if (prepared.state.kind !== 'table') throw new Error('iris is a table');
    const [setosa, virginica] = predictRows(model, prepared.state, [
      { sepal_length: '5.1', sepal_width: '3.5', petal_length: '1.4', petal_width: '0.2' },
      { sepal_length: 7.7, sepal_width: 3.0, petal_length: 6.1, petal_width: 2.3 },
    ]);
    expect(setosa.prediction).toMatch(/setosa/i);
    expect(virginica.prediction).toMatch(/virginica/i);
    expect(setosa.outputs.reduce((s, p) => s + p, 0)).toBeCloseTo(1, 5);
  });

  it('finds the test rows of each confusion-matrix cell, as many as the matrix counts', () => {
    const { predicted, confidence } = predictTestSplit(model, prepared);
    const metrics = classificationMetrics(prepared.test.y, classIndices(model.predict(prepared.test.x, prepared.test.count), prepared.test.count, 3), 3);
    for (let a = 0; a < 3; a++) {
      for (let p = 0; p < 3; p++) {
        const cell = rowsOfCell(prepared, predicted, confidence, a, p);
        expect(cell.rows.length).toBe(metrics.confusion[a][p]);
        cell.rows.forEach((row) => expect(Array.from(prepared.test.rows)).toContain(row));
      }
    }
    expect(rowShares([[3, 1], [0, 0]])).toEqual([[0.75, 0.25], [0, 0]]);
  });
});
