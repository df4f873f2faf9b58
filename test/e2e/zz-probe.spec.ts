import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { decodeProject, encodeProject } from '../../shared/project/codec.js';
import { expect, test } from './fixtures.js';

test('probe save/open timings', async ({ page, studio }) => {
  const data = join(studio.root, 'fashion-mnist');
  cpSync('/usr/share/datasets/fashion-mnist', data, { recursive: true });
  const { project } = decodeProject(new Uint8Array(readFileSync('/tmp/fm.nnstudio')), 'fm');
  const runs = Array.from({ length: 4 }, (_, i) => project.runs.map((r) => ({ ...r, id: `${r.id}-${i}` }))).flat();
  const file = join(studio.root, 'fm4.nnstudio');
  writeFileSync(file, encodeProject({ ...project, runs, dataset: { ...project.dataset!, source: data } }, { app: { name: 'NN Studio', version: '0' }, savedAt: new Date().toISOString() }));
  await page.goto(studio.url);
  await expect(page.getByRole('heading', { name: 'spiral', level: 2 })).toBeVisible();
  let t0 = Date.now();
  await page.getByLabel('Open a dataset or project file').setInputFiles(file);
  await expect(page.getByRole('heading', { name: 'fashion-mnist', level: 2 })).toBeVisible({ timeout: 60_000 });
  console.log('open ms', Date.now() - t0, loadavg());
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Save the project' });
  await dialog.getByRole('textbox').fill(join(studio.root, 'out.nnstudio'));
  t0 = Date.now();
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('Saved to')).toBeVisible({ timeout: 60_000 });
  console.log('save ms', Date.now() - t0, loadavg());
  await page.getByRole('tab', { name: 'Results' }).click();
  await page.screenshot({ path: 'test-results/probe-results.png' });
});
