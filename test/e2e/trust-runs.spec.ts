/**
 * Every number is the right run's (issue 15): a stopped run says so, the headline says which loss
 * it shows, switching runs on Results with a confusion cell open shows the new run's numbers only,
 * and a reload still shows the session's runs. Web mode, real backend and workers, Chromium.
 */
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.js';

const shot = (page: Page, name: string) => page.screenshot({ path: `test-results/screens/${name}.png` });

async function trainSample(page: Page, sample: string, epochs: string): Promise<void> {
  await page.getByRole('tab', { name: 'Data' }).click();
  await page.getByRole('button', { name: `${sample} ` }).click();
  await expect(page.getByRole('heading', { name: sample, level: 2 })).toBeVisible();
  await page.getByRole('tab', { name: 'Train' }).click();
  await page.getByLabel('Epochs', { exact: true }).fill(epochs);
  await page.getByRole('button', { name: 'Train', exact: true }).click();
}

/** Chooses a run on Results by its dataset's name (the picker lists "id · dataset · state"). */
async function pickRun(page: Page, dataset: string): Promise<void> {
  const picker = page.getByRole('combobox', { name: 'Run', exact: true });
  const labels = await picker.locator('option').allTextContents();
  const label = labels.find((l) => l.includes(` · ${dataset} · `) && !l.endsWith('Stopped'));
  if (!label) throw new Error(`no run of ${dataset} among ${JSON.stringify(labels)}`);
  await picker.selectOption({ label: label! });
}

test('a stopped run, the headline, switching runs with a cell open, and a reload', async ({ page, studio }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(studio.url);

  // A run stopped by hand part-way: "Stopped", a bar that is not full, and the table agrees.
  await trainSample(page, 'iris', '100000');
  await expect(page.getByTestId('run-state')).toHaveAttribute('data-state', 'training');
  await expect(page.getByTestId('headline-loss')).toContainText(/\((last batch|epoch \d+)\)/);
  await page.getByRole('button', { name: 'Stop' }).click();
  await expect(page.getByTestId('run-state')).toHaveText('Stopped');
  expect(Number(await page.getByTestId('train-progress').evaluate((p) => (p as unknown as { value: number }).value))).toBeLessThan(1);
  await expect(page.getByTestId('headline-loss')).toContainText(/^Loss \((last batch|epoch \d+)\): /);
  await shot(page, 'train-stopped');
  await page.getByRole('tab', { name: 'Runs' }).click();
  await expect(page.getByTestId('runs-table').getByRole('row').nth(1)).toContainText('Stopped');

  // Two finished classifiers with different classes: MNIST digits (10) and iris (3).
  await trainSample(page, 'mnist', '1');
  await expect(page.getByTestId('run-state')).toHaveText('Finished', { timeout: 90_000 });
  await trainSample(page, 'iris', '60');
  await expect(page.getByTestId('run-state')).toHaveText('Finished');

  await page.getByRole('tab', { name: 'Results' }).click();
  const scores = page.locator('#scores-title');
  await expect(scores).toHaveText(/^On the test rows \(\d+\)$/);
  const irisScores = await scores.textContent();
  const irisAccuracy = await page.getByTestId('accuracy').textContent();

  await pickRun(page, 'mnist');
  await expect(scores).not.toHaveText(irisScores!);
  // A lower cell of the 10×10 matrix, the page scrolled to it: the panel opens on screen.
  await page.mouse.wheel(0, 2000);
  await page.getByRole('button', { name: /^Actual 9, predicted 9: \d+ rows?$/ }).click();
  await expect(page.getByTestId('cell-rows')).toBeVisible();
  await expect(page.getByTestId('cell-rows')).toBeInViewport();
  const box = (await page.getByTestId('cell-rows').boundingBox())!;
  expect(box.y).toBeGreaterThanOrEqual(48); // below the app's header, its heading readable
  expect(box.y).toBeLessThan(800);
  await shot(page, 'results-mnist-cell');

  await pickRun(page, 'iris');
  await expect(scores).toHaveText(irisScores!);
  await expect(page.getByTestId('accuracy')).toHaveText(irisAccuracy!);
  await expect(page.getByTestId('cell-rows')).toHaveCount(0);
  await expect(page.getByTestId('confusion-matrix').getByRole('button')).toHaveCount(9);
  await shot(page, 'results-switched');

  // Inspect has a run picker; a run whose dataset is not open says which to open, and an Adam
  // run's update step shows Adam's rule.
  await page.getByRole('tab', { name: 'Inspect' }).click();
  await pickRun(page, 'mnist');
  await expect(page.getByTestId('inspect-reason')).toHaveText('This run’s rows are read from its dataset, which is not open: open mnist on the Data page, or choose another run.');
  await pickRun(page, 'iris');
  await expect(page.getByTestId('step-formula')).toHaveText('Z₁ = X·W₁ + b₁');
  const position = page.getByTestId('step-position');
  const total = Number(/of (\d+)/.exec((await position.textContent())!)![1]);
  for (let i = 1; i < total; i++) await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByTestId('step-formula')).toContainText('m̂ = m');
  await expect(page.getByTestId('step-formula')).toContainText('W₄ ← W₄ − η·m̂/(√v̂ + ε)');
  await shot(page, 'inspect-adam');

  // Predict starts from the data's first row as it was written, and a bad field reads as a sentence.
  await page.getByRole('tab', { name: 'Predict' }).click();
  await expect(page.getByLabel('sepal_length')).toHaveValue('5.1');
  await expect(page.getByLabel('petal_width')).toHaveValue('0.2');
  await page.getByLabel('petal_width').fill('abc');
  await expect(page.getByTestId('predict-problem')).toHaveText("petal_width: 'abc' is not a number. Type a number, or leave the field empty to use the training data’s typical value.");
  await expect(page.getByLabel('petal_width')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByLabel('sepal_length')).toHaveAttribute('aria-invalid', 'false');
  await shot(page, 'predict-problem');
  await page.getByLabel('petal_width').fill('0.2');
  await expect(page.getByTestId('prediction')).toHaveText('setosa');

  // After a reload the session's finished runs are still shown, not "Train a model".
  await page.reload();
  await page.getByRole('tab', { name: 'Results' }).click();
  await expect(page.getByText('Train a model to see its results.')).toHaveCount(0);
  await expect(page.getByTestId('accuracy')).toHaveText(irisAccuracy!);
  // Its per-batch losses were live only: the chart says so instead of drawing empty 0–1 axes, and
  // iris (4 measurements) gets no "Live view" card, which only a 2-input or 1-input model can fill.
  await page.getByRole('tab', { name: 'Train' }).click();
  await expect(page.getByTestId('no-batch-data')).toContainText('No per-batch data');
  await expect(page.getByTestId('batch-chart')).toHaveCount(0);
  await expect(page.getByRole('heading', { name: 'Live view' })).toHaveCount(0);
  await shot(page, 'train-past-run');

  expect(errors).toEqual([]);
});

test('fields the run would refuse are marked as they are typed, with a sentence', async ({ page, studio }) => {
  // Counts the runs:start requests the page sends: a refused field must not send one.
  await page.addInitScript(`window.__runsRequested = 0;
    const send = WebSocket.prototype.send;
    WebSocket.prototype.send = function (data) {
      if (typeof data === 'string' && data.includes('"runs:start"')) window.__runsRequested++;
      return send.call(this, data);
    };`);
  await page.goto(studio.url);
  await page.getByRole('button', { name: 'spiral ' }).click();
  await page.getByRole('tab', { name: 'Model' }).click();
  await page.getByRole('button', { name: /Two-layer net/ }).click();
  const diagram = page.getByTestId('network-diagram');
  await expect(diagram).toHaveAttribute('data-layers', '2-50-3');
  const units = page.getByLabel('Units of layer 1');
  for (const bad of ['0', '-5', '200000']) {
    await units.fill(bad);
    await expect(units).toHaveAttribute('aria-invalid', 'true');
    await expect(page.getByRole('alert')).toHaveText('Units: a whole number from 1 to 100,000. The layer keeps 50 until then.');
    await expect(diagram).toHaveAttribute('data-layers', '2-50-3');
  }
  await units.fill('24');
  await expect(units).toHaveAttribute('aria-invalid', 'false');
  await expect(diagram).toHaveAttribute('data-layers', '2-24-3');

  await page.getByRole('tab', { name: 'Train' }).click();
  const rate = page.getByLabel('Learning rate');
  await rate.fill('5000');
  await expect(rate).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByTestId('field-problem')).toHaveText('Learning rate can be at most 1000.');
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.getByTestId('failure-banner')).toHaveCount(0);
  await shot(page, 'train-field-problem');
  // No run was asked for.
  const requested = () => page.evaluate<number>('window.__runsRequested');
  expect(await requested()).toBe(0);
  await rate.fill('0.01');
  await expect(page.getByTestId('field-problem')).toHaveCount(0);
  // With the field fixed the same press starts the run (so the count above could have moved).
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect.poll(requested).toBe(1);
  await expect(page.getByTestId('run-state')).toHaveAttribute('data-state', /training|finished/);
});
