/**
 * "PyTorch on this machine" as a person uses it, in web mode against the real backend, worker and
 * Python: the training settings name the interpreter, a run trained by PyTorch draws its curves
 * live, stops when asked, and is found in Runs as a finished run with results; a PyTorch job's
 * result folder made outside the studio comes back through Runs → Import results….
 */
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from './fixtures.js';
import { detectPython } from '../../main/runs/python-env.js';
import { nnStudio } from '../cli/run.js';
import { writeWineCsv } from '../export/pytorch-fixtures.js';

const env = await detectPython();

async function chartPoints(page: import('@playwright/test').Page, testid: string): Promise<number> {
  return Number(await page.getByTestId(testid).getAttribute('data-points'));
}

test.describe('PyTorch on this machine', () => {
  test.skip(env.missing !== null, `no PyTorch here: ${env.missing}`);

  test('choose it, train, watch the curves, stop, find the run in Runs', async ({ page, studio }) => {
    test.setTimeout(300_000);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(studio.url);
    await page.getByRole('button', { name: 'spiral' }).click();
    await expect(page.getByRole('heading', { name: 'spiral', level: 2 })).toBeVisible();

    await page.getByRole('tab', { name: 'Train' }).click();
    // The settings name the interpreter and its PyTorch before the choice is made.
    await expect(page.getByTestId('engine-status')).toContainText(`PyTorch ${env.torch}`, { timeout: 60_000 });
    await expect(page.getByTestId('engine-status')).toContainText(env.python);
    await page.getByLabel('Engine').selectOption({ label: 'PyTorch on this machine' });
    await page.getByLabel('Optimizer').selectOption('adam');
    await page.getByLabel('Learning rate').fill('0.01');
    await page.getByLabel('Mini-batch').check();
    await page.getByLabel('Batch size').fill('16');
    await page.getByLabel('Epochs', { exact: true }).fill('100000');
    await page.getByLabel('Early stopping (epochs)').fill('0');
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    await expect(page.getByTestId('run-state')).toHaveAttribute('data-state', 'training', { timeout: 90_000 });
    // Epochs stream in from history.jsonl: the loss curve keeps growing.
    await expect.poll(() => chartPoints(page, 'loss-chart'), { timeout: 90_000 }).toBeGreaterThan(5);
    const seen = await chartPoints(page, 'loss-chart');
    await expect.poll(() => chartPoints(page, 'loss-chart'), { timeout: 60_000 }).toBeGreaterThan(seen + 5);
    await page.screenshot({ path: 'test-results/screens/pytorch-train.png' });

    await page.getByRole('button', { name: 'Stop' }).click();
    await expect(page.getByTestId('run-state')).toHaveAttribute('data-state', 'finished', { timeout: 90_000 });

    await page.getByRole('tab', { name: 'Runs' }).click();
    // A run stopped by hand says so in Runs.
    const row = page.getByTestId('runs-table').getByRole('row').filter({ hasText: 'Stopped' });
    await expect(row).toHaveCount(1);
    await row.getByRole('button', { name: /^Show run/ }).click();
    await expect(page.getByTestId('accuracy')).toHaveText(/^\d+\.\d%$/);
    expect(errors).toEqual([]);
  });

  test('Runs → Import results… brings back a job trained outside the studio', async ({ page, studio }) => {
    test.setTimeout(300_000);
    // A project trained and exported with the CLI, its job run by Python, all in the workspace.
    const wine = writeWineCsv(studio.root);
    const project = join(studio.root, 'wine.nnstudio');
    const job = join(studio.root, 'wine-job');
    expect(nnStudio(['train', wine, '--layers', '8:relu', '--epochs', '3', '--out', project], { timeout: 300_000 }).code).toBe(0);
    expect(nnStudio(['export', project, '--format', 'pytorch', '--out', job]).code).toBe(0);
    execFileSync(env.python, ['train.py', '--out', 'run', '--epochs', '4'], { cwd: job });
    const files = readdirSync(join(job, 'run')).filter((f) => /^(job\.json|result\.json|history\.jsonl|weights\.npz)$/.test(f)).map((f) => join(job, 'run', f));
    expect(files).toHaveLength(4);

    await page.goto(studio.url);
    await page.getByRole('tab', { name: 'Runs' }).click();
    await page.getByTestId('import-results-files').setInputFiles(files);
    await expect(page.getByText(/Imported run \w+ from PyTorch/)).toBeVisible({ timeout: 120_000 });
    const row = page.getByTestId('runs-table').getByRole('row').filter({ hasText: 'wine.csv' });
    await expect(row).toHaveCount(1);
    await expect(row).toContainText('Finished');
    await row.getByRole('button', { name: /^Show run/ }).click();
    await expect(page.getByTestId('accuracy')).toHaveText(/^\d+\.\d%$/);
  });
});
