/**
 * The studio as a person uses it, in web mode against the real backend and worker processes:
 * a classification on the spiral sample from data to inspection, then the same pages in Chinese.
 * Screenshots of every page (1280×800) go to test-results/screens/.
 */
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.js';

const shot = (page: Page, name: string) => page.screenshot({ path: `test-results/screens/${name}.png` });

/** The number of points the chart shows across its series (the chart box carries it). */
async function chartPoints(page: Page, testid: string): Promise<number> {
  return Number(await page.getByTestId(testid).getAttribute('data-points'));
}

/** The pixels of the decision boundary, as a data URL. */
function boundaryPixels(page: Page): Promise<string> {
  return page.getByTestId('decision-boundary').evaluate((c) => (c as unknown as { toDataURL(): string }).toDataURL());
}

test('a classification from the spiral sample to its results, prediction and inspection', async ({ page, studio }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(studio.url);

  // Data: the studio opens on a sample; pick the spiral.
  await page.getByRole('button', { name: 'moons' }).click();
  await expect(page.getByRole('heading', { name: 'moons', level: 2 })).toBeVisible();
  await page.getByRole('button', { name: 'spiral' }).click();
  await expect(page.getByRole('heading', { name: 'spiral', level: 2 })).toBeVisible();
  await expect(page.getByTestId('dataset-rows')).toHaveText('300');
  await expect(page.getByTestId('dataset-task')).toHaveText('classification');
  await expect(page.getByRole('table', { name: 'Rows' }).getByRole('row')).not.toHaveCount(0);
  await shot(page, 'data');

  // Model: start from the two-layer template, add two layers, see the network grow.
  await page.getByRole('tab', { name: 'Model' }).click();
  await page.getByRole('button', { name: /Two-layer net/ }).click();
  await expect(page.getByTestId('network-diagram')).toHaveAttribute('data-layers', '2-50-3');
  await page.getByRole('button', { name: 'Add layer' }).click();
  await page.getByRole('button', { name: 'Add layer' }).click();
  await page.getByLabel('Units of layer 2').fill('24');
  await page.getByLabel('Activation of layer 2').selectOption('tanh');
  await page.getByLabel('Units of layer 3').fill('12');
  await expect(page.getByTestId('network-diagram')).toHaveAttribute('data-layers', '2-50-24-12-3');
  // 2·50+50 + 50·24+24 + 24·12+12 + 12·3+3 = 1,713 weights and biases.
  await expect(page.getByTestId('param-count')).toHaveText('1,713 parameters');
  await shot(page, 'model');

  // Train: many epochs so that it is still running while we pause and resume; Adam learns it.
  await page.getByRole('tab', { name: 'Train' }).click();
  await page.getByLabel('Optimizer').selectOption('adam');
  await page.getByLabel('Learning rate').fill('0.01');
  await page.getByLabel('Mini-batch').check();
  await page.getByLabel('Batch size').fill('16');
  await page.getByLabel('Epochs', { exact: true }).fill('100000');
  await page.getByLabel('Early stopping (epochs)').fill('0');
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.getByTestId('run-state')).toHaveAttribute('data-state', 'training');
  await expect.poll(() => chartPoints(page, 'loss-chart')).toBeGreaterThan(10);
  const early = await boundaryPixels(page);

  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(page.getByTestId('run-state')).toHaveAttribute('data-state', 'paused');
  await expect(page.getByRole('button', { name: 'Resume' })).toBeEnabled();
  await expect(page.getByRole('button', { name: 'Pause' })).toBeDisabled();
  // While paused the run makes no progress: the chart stops growing.
  await page.waitForTimeout(600);
  const paused = await chartPoints(page, 'loss-chart');
  await page.waitForTimeout(900);
  expect(await chartPoints(page, 'loss-chart')).toBe(paused);

  await page.getByRole('button', { name: 'Resume' }).click();
  await expect(page.getByTestId('run-state')).toHaveAttribute('data-state', 'training');
  await expect.poll(() => chartPoints(page, 'loss-chart')).toBeGreaterThan(paused + 20);
  await expect.poll(() => boundaryPixels(page)).not.toBe(early);
  await expect.poll(() => chartPoints(page, 'batch-chart')).toBeGreaterThan(20);
  await shot(page, 'train');

  await page.getByRole('button', { name: 'Stop' }).click();
  await expect(page.getByTestId('run-state')).toHaveAttribute('data-state', 'finished');
  await expect(page.getByTestId('epoch-text')).toContainText('Epoch');

  // Results: scores, the confusion matrix, and the rows of one of its cells.
  await page.getByRole('tab', { name: 'Results' }).click();
  await expect(page.getByTestId('accuracy')).toHaveText(/^\d+\.\d%$/);
  const accuracy = parseFloat((await page.getByTestId('accuracy').textContent())!);
  expect(accuracy).toBeGreaterThan(60);
  const cell = page.getByRole('button', { name: /^Actual 0, predicted 0: \d+ rows?$/ });
  const inCell = Number(/: (\d+) row/.exec((await cell.getAttribute('aria-label'))!)![1]);
  await cell.click();
  const cellRows = page.getByTestId('cell-rows');
  await expect(cellRows.getByRole('heading')).toHaveText(`0 predicted correctly (${inCell})`);
  // Every row of the cell is listed (header row + one per test row the model put there).
  await expect(cellRows.getByRole('row')).toHaveCount(inCell + 1);
  await expect(cellRows.getByRole('row').nth(1).getByRole('cell').nth(3)).toHaveText('0');
  await shot(page, 'results');

  // Predict: the form answers as you type.
  await page.getByRole('tab', { name: 'Predict' }).click();
  await page.getByLabel('x1').fill('0.5');
  await page.getByLabel('x2').fill('0.5');
  await expect(page.getByTestId('prediction')).toHaveText(/^[012]$/);
  const probabilities = page.getByRole('list', { name: 'Class probabilities' }).getByRole('listitem');
  await expect(probabilities).toHaveCount(3);
  // The answer shown is the most probable class of the probabilities shown …
  const shown = async () => {
    const rows = await probabilities.allTextContents();
    const percents = rows.map((r) => parseFloat(/([\d.]+)%/.exec(r)![1]));
    expect(percents.reduce((a, b) => a + b, 0)).toBeCloseTo(100, 0);
    const top = percents.indexOf(Math.max(...percents));
    expect(await page.getByTestId('prediction').textContent()).toBe(rows[top].replace(/[\d.]+%$/, '').trim());
    return rows.join(' | ');
  };
  const atFirstPoint = await shown();
  // … and it follows the inputs as they are typed: another point gets other probabilities.
  await page.getByLabel('x1').fill('-0.6');
  await page.getByLabel('x2').fill('0.1');
  await expect.poll(() => probabilities.allTextContents().then((r) => r.join(' | '))).not.toBe(atFirstPoint);
  await shown();
  await shot(page, 'predict');

  // Runs: the run is listed with its settings.
  await page.getByRole('tab', { name: 'Runs' }).click();
  const row = page.getByTestId('runs-table').getByRole('row').nth(1);
  await expect(row).toContainText('50 sigmoid – 24 tanh – 12 sigmoid · adam lr 0.01 · batch 16');
  await expect(row).toContainText('Stopped'); // stopped by hand above: not "Finished"
  await row.getByRole('checkbox').check();
  await expect.poll(() => chartPoints(page, 'overlay-chart')).toBeGreaterThan(10);
  await shot(page, 'runs');

  // Inspect: step through a training step and check the gradients numerically.
  await page.getByRole('tab', { name: 'Inspect' }).click();
  await expect(page.getByTestId('step-formula')).toHaveText('Z₁ = X·W₁ + b₁');
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByTestId('step-formula')).toHaveText('A₁ = sigmoid(Z₁)');
  await page.getByRole('button', { name: 'Check gradients' }).click();
  await expect(page.getByTestId('gradcheck-verdict')).toContainText('Backpropagation agrees');
  await shot(page, 'inspect');

  // Dark mode follows the system, charts included.
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.getByRole('tab', { name: 'Train' }).click();
  await expect(page.getByTestId('loss-chart')).toBeVisible();
  await shot(page, 'train-dark');
  await page.getByRole('tab', { name: 'Results' }).click();
  await shot(page, 'results-dark');
  await page.emulateMedia({ colorScheme: 'light' });

  // About: what the backend said about itself.
  await page.getByRole('button', { name: 'About' }).click();
  await expect(page.getByTestId('mode')).toContainText('web mode');
  await page.getByRole('button', { name: 'Close' }).click();

  // 简体中文, at runtime and after a reload.
  await page.getByLabel('Language').selectOption('zh');
  await expect(page.getByRole('tab', { name: '数据' })).toBeVisible();
  for (const name of ['模型', '训练', '运行记录', '结果', '预测', '透视']) await expect(page.getByRole('tab', { name })).toBeVisible();
  await page.getByRole('tab', { name: '训练' }).click();
  await expect(page.getByRole('button', { name: '训练', exact: true })).toBeVisible();
  await shot(page, 'train-zh');
  await page.reload();
  await expect(page.getByRole('tab', { name: '结果' })).toBeVisible();
  await page.getByRole('tab', { name: '数据' }).click();
  await expect(page.getByRole('button', { name: '拖放数据集' })).toBeVisible();
  await shot(page, 'data-zh');
  await page.getByLabel('语言').selectOption('en');
  await expect(page.getByRole('tab', { name: 'Data' })).toBeVisible();

  expect(errors).toEqual([]);
});
