/**
 * A CSV dropped on the window (a real DataTransfer drop event), uploaded to the web host, and a
 * regression trained on it, with its fitted curve.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { expect, test } from './fixtures.js';

/** y = sin(x) + a little deterministic noise, 160 rows, as a person's CSV would hold it. */
function curveCsv(): string {
  const lines = ['x,y'];
  for (let i = 0; i < 160; i++) {
    const x = -3 + (6 * i) / 159;
    const noise = 0.05 * Math.sin(12.9898 * i);
    lines.push(`${x.toFixed(4)},${(Math.sin(x) + noise).toFixed(4)}`);
  }
  return lines.join('\n') + '\n';
}

test('a CSV dropped on the window trains a regression with a fitted curve', async ({ page, studio }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(studio.url);
  await expect(page.getByRole('heading', { name: 'spiral', level: 2 })).toBeVisible();

  // A DataTransfer made in the page, holding the file, as the browser makes one for a real drop.
  const dataTransfer = await page.evaluateHandle((csv) => {
    const browser = globalThis as unknown as {
      DataTransfer: new () => { items: { add(file: unknown): void } };
      File: new (parts: string[], name: string, options: { type: string }) => unknown;
    };
    const dt = new browser.DataTransfer();
    dt.items.add(new browser.File([csv], 'sine-curve.csv', { type: 'text/csv' }));
    return dt;
  }, curveCsv());
  await page.getByRole('button', { name: 'Drop a dataset' }).dispatchEvent('drop', { dataTransfer });

  await expect(page.getByRole('heading', { name: 'sine-curve.csv', level: 2 })).toBeVisible();
  await expect(page.getByTestId('dataset-rows')).toHaveText('160');
  await expect(page.getByTestId('dataset-task')).toHaveText('regression');
  await expect(page.getByText('All 160 rows')).toBeVisible();
  await page.screenshot({ path: 'test-results/screens/data-csv.png' });

  await page.getByRole('tab', { name: 'Model' }).click();
  await page.getByRole('button', { name: /Deeper MLP/ }).click();
  await page.getByLabel('Activation of layer 1').selectOption('tanh');
  await page.getByLabel('Activation of layer 2').selectOption('tanh');
  await page.getByRole('button', { name: 'Remove layer 3' }).click();
  await expect(page.getByTestId('network-diagram')).toHaveAttribute('data-layers', '1-64-32-1');

  await page.getByRole('tab', { name: 'Train' }).click();
  await page.getByLabel('Epochs', { exact: true }).fill('150');
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.getByTestId('fitted-curve')).toBeVisible();
  await expect(page.getByTestId('run-state')).toHaveAttribute('data-state', 'finished', { timeout: 60_000 });
  await expect(page.getByTestId('fitted-curve')).toHaveAttribute('data-fit-points', '200');
  await page.screenshot({ path: 'test-results/screens/train-regression.png' });

  await page.getByRole('tab', { name: 'Results' }).click();
  const r2 = Number(await page.getByTestId('r2').textContent());
  expect(r2).toBeGreaterThan(0.8);
  await expect(page.getByTestId('fitted-curve')).toHaveAttribute('data-fit-points', '200');
  await expect(page.getByTestId('pred-vs-actual')).toBeVisible();
  await expect(page.getByTestId('residuals')).toBeVisible();
  await page.screenshot({ path: 'test-results/screens/results-regression.png' });

  // Predict a value from the form: sin(1.5) ≈ 1.
  await page.getByRole('tab', { name: 'Predict' }).click();
  await page.getByLabel('x', { exact: true }).fill('1.5');
  await expect.poll(async () => Number(await page.getByTestId('prediction').textContent())).toBeGreaterThan(0.7);
  await page.screenshot({ path: 'test-results/screens/predict-regression.png' });

  // A whole file: its rows come back as a CSV with a prediction each.
  const download = page.waitForEvent('download');
  await page.getByLabel('Choose a CSV file').setInputFiles({ name: 'new-x.csv', mimeType: 'text/csv', buffer: Buffer.from('x\n0\n1.5\n-1.5\n') });
  const file = await download;
  expect(file.suggestedFilename()).toBe('new-x.predictions.csv');
  const lines = readFileSync(await file.path(), 'utf8').trim().split('\n');
  expect(lines[0]).toBe('x,prediction');
  expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(['0', '1.5', '-1.5']);
  const predicted = lines.slice(1).map((l) => Number(l.split(',')[1]));
  expect(Math.abs(predicted[0])).toBeLessThan(0.3);
  expect(predicted[1]).toBeGreaterThan(0.7);
  expect(predicted[2]).toBeLessThan(-0.7);
  await expect(page.getByText('3 rows predicted')).toBeVisible();

  // Export the trained model as ONNX from the Export dialog (a download); onnxruntime runs the file.
  const folder = mkdtempSync(join(tmpdir(), 'nn-e2e-export-'));
  const onnxPath = join(folder, 'sine.onnx');
  await page.getByRole('button', { name: 'Export…' }).click();
  const exportDialog = page.getByRole('dialog', { name: 'Export the trained model' });
  await exportDialog.getByRole('radio', { name: /^ONNX/ }).check();
  const exported = page.waitForEvent('download');
  await exportDialog.getByRole('button', { name: 'Download', exact: true }).click();
  await (await exported).saveAs(onnxPath);
  await expect(exportDialog.getByRole('status')).toContainText('model.onnx');
  await page.screenshot({ path: 'test-results/screens/export.png' });
  const session = await ort.InferenceSession.create(onnxPath);
  const input = new ort.Tensor('float32', Float32Array.from([0, 1.5, -1.5]), [3, 1]);
  const result = await session.run({ [session.inputNames[0]]: input });
  const onnxValues = Array.from(result[session.outputNames[0]].data as Float32Array);
  onnxValues.forEach((v, i) => expect(v).toBeCloseTo(predicted[i], 4));
  await exportDialog.getByRole('button', { name: 'Close' }).click();
  expect(errors).toEqual([]);
});
