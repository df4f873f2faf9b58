/** Image data end to end: MNIST digits trained briefly, and a confusion-matrix cell opened on its images. */
import { expect, test } from './fixtures.js';

test('a confusion-matrix cell of an image model shows the digits behind it', async ({ page, studio }) => {
  await page.goto(studio.url);
  await page.getByRole('button', { name: 'mnist' }).click();
  await expect(page.getByRole('heading', { name: 'mnist', level: 2 })).toBeVisible();
  await page.getByRole('tab', { name: 'Train' }).click();
  await page.getByLabel('Epochs', { exact: true }).fill('1');
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.getByTestId('run-state')).toHaveAttribute('data-state', 'finished', { timeout: 90_000 });

  await page.getByRole('tab', { name: 'Results' }).click();
  const cell = page.getByRole('button', { name: /^Actual 7, predicted 7: \d+ rows?$/ });
  const inCell = Number(/: (\d+) row/.exec((await cell.getAttribute('aria-label'))!)![1]);
  expect(inCell).toBeGreaterThan(50);
  await cell.click();
  const images = page.getByTestId('cell-images');
  await expect(images.locator('canvas')).toHaveCount(60); // the 60 most confident of the cell
  await expect(page.getByTestId('cell-rows')).toContainText(`of ${inCell}`);
  await page.screenshot({ path: 'test-results/screens/results-images.png' });
});
