/**
 * A project saved from the studio and opened again in a new session: the dataset (embedded in the
 * file), the design and the trained run with its results all come back.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listZip } from '../../shared/project/zip.js';
import { expect, test } from './fixtures.js';

const csv = ['temperature,pressure,label', ...Array.from({ length: 120 }, (_, i) => {
  const t = (i % 12) - 6, p = Math.floor(i / 12) - 5;
  return `${t},${p},${t * t + p * p < 16 ? 'inside' : 'outside'}`;
})].join('\n') + '\n';

test('save a trained project with its dataset embedded, then open it in a new session', async ({ page, studio }) => {
  const folder = mkdtempSync(join(tmpdir(), 'nn-e2e-download-'));
  const projectPath = join(folder, 'ring.nnstudio');
  await page.goto(studio.url);
  await page.getByLabel('Open a dataset or project file').setInputFiles({ name: 'ring.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await expect(page.getByRole('heading', { name: 'ring.csv', level: 2 })).toBeVisible();
  await page.getByLabel('Keep a copy of this dataset inside the project file').check();

  await page.getByRole('tab', { name: 'Train' }).click();
  await page.getByLabel('Epochs', { exact: true }).fill('60');
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.getByTestId('run-state')).toHaveAttribute('data-state', 'finished', { timeout: 60_000 });
  await page.getByRole('tab', { name: 'Results' }).click();
  const accuracy = await page.getByTestId('accuracy').textContent();

  // Web mode's Save is a download: the browser puts the file where the person likes.
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe('Untitled.nnstudio');
  await file.saveAs(projectPath);
  await expect(page.getByText('Downloaded Untitled.nnstudio')).toBeVisible();
  const entries = listZip(new Uint8Array(readFileSync(projectPath)), projectPath).map((e) => e.name);
  expect(entries.some((name) => name.startsWith('dataset/'))).toBe(true);

  // A new session opens the file with Open… like any other.
  const next = await page.context().newPage();
  await next.goto(studio.url);
  await expect(next.getByRole('heading', { name: 'spiral', level: 2 })).toBeVisible();
  await next.getByLabel('Open a dataset or project file').setInputFiles(projectPath);
  await expect(next.getByRole('heading', { name: 'ring.csv', level: 2 })).toBeVisible();
  await next.getByRole('tab', { name: 'Results' }).click();
  await expect(next.getByTestId('accuracy')).toHaveText(accuracy!);
});
