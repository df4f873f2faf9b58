/**
 * Honest validation in the studio (issue 16, items 2–5): the split seed on the Data page, the refit
 * checkbox in the training settings, the kept epoch and the refit on the Results page, and 5-fold
 * cross-validation of a small table with mean ± sd per metric — web mode, real workers.
 */
import { expect, test } from './fixtures.js';

test('moons: a refitted run says which epoch it kept, then cross-validates in 5 folds', async ({ page, studio }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(studio.url);
  await page.getByRole('button', { name: 'moons' }).click();
  await expect(page.getByRole('heading', { name: 'moons', level: 2 })).toBeVisible();
  await page.getByLabel('Split seed').fill('7');
  await page.getByLabel('Split seed').dispatchEvent('change');

  await page.getByRole('tab', { name: 'Train' }).click();
  await page.getByLabel('Epochs', { exact: true }).fill('30');
  await page.getByLabel('Refit on train + validation at the best epoch count').check();
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.getByTestId('run-state')).toHaveAttribute('data-state', 'finished', { timeout: 90_000 });

  await page.getByRole('tab', { name: 'Results' }).click();
  const facts = page.getByTestId('run-facts');
  await expect(facts).toContainText(/epoch \d+ of 30/);
  await expect(facts).toContainText(/Then trained again on \d+ train \+ validation rows for \d+ epochs/);
  await expect(facts).toContainText('split seed 7');
  await page.screenshot({ path: 'test-results/screens/results-facts.png' });

  const cv = page.getByTestId('cross-validation');
  await cv.getByRole('button', { name: 'Cross-validate (5 folds)' }).click();
  await expect(cv.locator('tr[data-metric="accuracy"]')).toBeVisible({ timeout: 180_000 });
  const text = await cv.locator('tr[data-metric="accuracy"]').innerText();
  const [mean, sd] = /(\d\.\d+)\s*±\s*(\d\.\d+)/.exec(text)!.slice(1).map(Number);
  const folds = text.split('\t').at(-1)!.split('·').map((v) => Number(v.trim()));
  expect(folds).toHaveLength(5);
  expect(mean).toBeGreaterThan(0.8);
  expect(Math.abs(mean - folds.reduce((a, b) => a + b, 0) / 5)).toBeLessThan(0.002); // shown to 3 digits
  expect(sd).toBeGreaterThanOrEqual(0);
  await page.screenshot({ path: 'test-results/screens/results-cross-validation.png' });
  expect(errors).toEqual([]);
});
