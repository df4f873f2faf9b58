/**
 * Issue 16, item 6 in the studio (web mode, real backend and worker): train the two-class moons
 * sample with balanced class weights, read the ROC and precision–recall card on the Results page,
 * move the decision threshold and keep it for the run's predictions and exports.
 */
import { expect, test } from './fixtures.js';

test('class weights in the training settings, ROC/PR curves and a decision threshold on the Results page', async ({ page, studio }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(studio.url);
  await page.getByRole('button', { name: 'moons' }).click();
  await expect(page.getByRole('heading', { name: 'moons', level: 2 })).toBeVisible();

  await page.getByRole('tab', { name: 'Train' }).click();
  await page.getByLabel('Class weights').selectOption('balanced');
  await page.getByLabel('Clip gradient norm').fill('5');
  await page.getByLabel('Epochs', { exact: true }).fill('15');
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.getByTestId('run-state')).toHaveAttribute('data-state', 'finished', { timeout: 60_000 });

  await page.getByRole('tab', { name: 'Results' }).click();
  const card = page.getByTestId('threshold-curves');
  await expect(card.getByRole('heading')).toHaveText('Ranking of 1: ROC and precision–recall');
  const auc = Number(await card.getByTestId('roc-auc').textContent());
  expect(auc).toBeGreaterThan(0.8);
  expect(auc).toBeLessThanOrEqual(1);
  await expect(card.getByTestId('roc-chart')).toBeVisible();
  await expect(card.getByTestId('pr-chart')).toBeVisible();

  // Lowering the threshold can only find more of class 1: recall never falls.
  const recallAt = async (value: string) => {
    await card.getByTestId('threshold').fill(value);
    const text = (await card.getByTestId('threshold-scores').textContent())!;
    return Number(/recall ([\d.]+)/.exec(text)![1]);
  };
  const high = await recallAt('0.9');
  const low = await recallAt('0.1');
  expect(low).toBeGreaterThanOrEqual(high);
  expect(low).toBeGreaterThan(0.9);

  // Keep 0.1: the backend stores it on the run and the card says so.
  await card.getByTestId('use-threshold').click();
  await expect(card.getByTestId('saved-threshold')).toHaveText('Predictions and exports use 0.1.');
  await page.screenshot({ path: 'test-results/screens/results-threshold.png' });
  await card.getByRole('button', { name: 'Back to the more probable class' }).click();
  await expect(card.getByTestId('saved-threshold')).toHaveCount(0);
  expect(errors).toEqual([]);
});
