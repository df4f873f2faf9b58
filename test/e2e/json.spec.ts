/** A JSON dataset opened in the browser: the renderer reads its rows too (previews, plots), like a CSV's. */
import { expect, test } from './fixtures.js';

const items = Array.from({ length: 60 }, (_, i) => ({ a: (i % 10) / 10, b: Math.floor(i / 10) / 6, kind: (i % 10) / 10 > 0.45 ? 'right' : 'left' }));

test('a JSON array of objects opened in the browser is previewed row by row, like a CSV', async ({ page, studio }) => {
  await page.goto(studio.url);
  await page.getByLabel('Open a dataset or project file').setInputFiles({ name: 'points.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(items)) });
  await expect(page.getByRole('heading', { name: 'points.json', level: 2 })).toBeVisible();
  await expect(page.getByTestId('dataset-rows')).toHaveText('60');
  await expect(page.getByText('All 60 rows')).toBeVisible();
  await expect(page.getByRole('row').filter({ hasText: 'right' }).first()).toBeVisible();
});
