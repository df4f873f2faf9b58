/**
 * Web mode handles files like a web app (issue 15): Fashion-MNIST's IDX files open from a folder,
 * from files dropped together and from a zip of them; a CSV and an image zip open; a reload brings
 * the work back; Save and Export are browser downloads that real runtimes read.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { zipSync } from 'fflate';
import * as ort from 'onnxruntime-node';
import { PNG } from 'pngjs';
import type { Page } from '@playwright/test';
import { decodeProject } from '../../shared/project/codec.js';
import { expect, test } from './fixtures.js';

const FASHION = '/usr/share/datasets/fashion-mnist';
const screens = 'test-results/screens';

/** Drops files on the drop area as a browser does (a DataTransfer holding them). */
async function dropFiles(page: Page, files: { name: string; path: string }[]): Promise<void> {
  const payload = files.map((f) => ({ name: f.name, base64: readFileSync(f.path).toString('base64') }));
  const transfer = await page.evaluateHandle((items) => {
    const browser = globalThis as unknown as {
      DataTransfer: new () => { items: { add(file: unknown): void } };
      File: new (parts: Uint8Array[], name: string) => unknown;
    };
    const dt = new browser.DataTransfer();
    for (const item of items) dt.items.add(new browser.File([Uint8Array.from(atob(item.base64), (c) => c.charCodeAt(0))], item.name));
    return dt;
  }, payload);
  await page.getByRole('button', { name: 'Drop a dataset' }).dispatchEvent('drop', { dataTransfer: transfer });
}

/** The upload folder is the server's business: no message, heading or tooltip may show it. */
async function expectNoServerPaths(page: Page): Promise<void> {
  const html = await page.content();
  expect(html).not.toContain('nn-studio-uploads');
  expect(html).not.toMatch(/\/tmp\//);
}

test('IDX opens from a folder, from files dropped together and from a zip; one file alone says what to do', async ({ page, studio }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(studio.url);
  await expect(page.getByRole('heading', { name: 'spiral', level: 2 })).toBeVisible();

  // The folder picker, given the folder of the four .gz files (as a person picks it).
  await page.getByLabel('Open a dataset folder').setInputFiles(FASHION);
  await expect(page.getByRole('heading', { name: 'fashion-mnist', level: 2 })).toBeVisible({ timeout: 90_000 });
  await expect(page.getByTestId('dataset-rows')).toHaveText('60,000');
  await expect(page.getByTestId('dataset-task')).toHaveText('classification');
  await expectNoServerPaths(page);
  await page.screenshot({ path: `${screens}/web-idx-folder.png` });

  // One of the pair alone: the message says how to open the set, naming the file, not where it was stored.
  await page.getByLabel('Open a dataset or project file').setInputFiles(join(FASHION, 't10k-labels-idx1-ubyte.gz'));
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('t10k-labels-idx1-ubyte.gz: expected the IDX images file together with its labels file (open both files together, the folder holding them, or a zip of them)');
  await expectNoServerPaths(page);
  await page.screenshot({ path: `${screens}/web-idx-one-file.png` });

  // The test pair dropped together (two loose files): zipped by the page, read as IDX.
  await dropFiles(page, ['t10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz'].map((name) => ({ name, path: join(FASHION, name) })));
  await expect(page.getByRole('heading', { name: 't10k-images-idx3-ubyte.gz + 1', level: 2 })).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('dataset-rows')).toHaveText('10,000');
  await expect(page.getByRole('alert')).toHaveCount(0);

  // The four chosen together in the file chooser.
  await page.getByLabel('Open a dataset or project file').setInputFiles(readdirSync(FASHION).map((name) => join(FASHION, name)));
  await expect(page.getByRole('heading', { name: /\+ 3$/, level: 2 })).toBeVisible({ timeout: 90_000 });
  await expect(page.getByTestId('dataset-rows')).toHaveText('60,000');

  // A zip the person made of the files (deflated, inside a folder).
  const zip = zipSync(Object.fromEntries(['t10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz'].map((n) => [`fashion/${n}`, new Uint8Array(readFileSync(join(FASHION, n)))])));
  await page.getByLabel('Open a dataset or project file').setInputFiles({ name: 'fashion-test.zip', mimeType: 'application/zip', buffer: Buffer.from(zip) });
  await expect(page.getByRole('heading', { name: 'fashion-test', level: 2 })).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('dataset-rows')).toHaveText('10,000');
  await expectNoServerPaths(page);
  expect(errors).toEqual([]);
});

/** Fashion-MNIST test images of three classes as PNG files in one folder per class, zipped. */
function pngZip(perClass: number): Buffer {
  const images = gunzipSync(readFileSync(join(FASHION, 't10k-images-idx3-ubyte.gz'))).subarray(16);
  const labels = gunzipSync(readFileSync(join(FASHION, 't10k-labels-idx1-ubyte.gz'))).subarray(8);
  const names = ['tshirt', 'trouser', 'pullover'];
  const entries: Record<string, Uint8Array> = {};
  const counts = [0, 0, 0];
  for (let i = 0; i < labels.length && counts.some((c) => c < perClass); i++) {
    const label = labels[i];
    if (label > 2 || counts[label] >= perClass) continue;
    const png = new PNG({ width: 28, height: 28 });
    for (let p = 0; p < 784; p++) png.data.set([images[i * 784 + p], images[i * 784 + p], images[i * 784 + p], 255], p * 4);
    entries[`clothes/${names[label]}/${i}.png`] = PNG.sync.write(png);
    counts[label]++;
  }
  return Buffer.from(zipSync(entries, { level: 0 }));
}

/** The wine data bundled with scikit-learn, as a CSV with a header row. */
function wineCsv(): string {
  return execFileSync('/usr/bin/python3', ['-c', [
    'from sklearn.datasets import load_wine',
    'import csv, sys',
    'd = load_wine()',
    'w = csv.writer(sys.stdout, lineterminator="\\n")',
    'w.writerow(list(d.feature_names) + ["cultivar"])',
    'for row, t in zip(d.data, d.target): w.writerow([repr(float(v)) for v in row] + ["c%d" % t])',
  ].join('\n')], { encoding: 'utf8' });
}

test('an image zip and a CSV open; a reload brings the work back; save and export download', async ({ page, studio }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  const downloads = mkdtempSync(join(tmpdir(), 'nn-e2e-downloads-'));
  await page.goto(studio.url);
  await expect(page.getByRole('heading', { name: 'spiral', level: 2 })).toBeVisible();

  await page.getByLabel('Open a dataset or project file').setInputFiles({ name: 'clothes.zip', mimeType: 'application/zip', buffer: pngZip(20) });
  await expect(page.getByRole('heading', { name: 'clothes.zip', level: 2 })).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('dataset-rows')).toHaveText('60');
  await page.screenshot({ path: `${screens}/web-image-zip.png` });

  const csv = wineCsv();
  await page.getByLabel('Open a dataset or project file').setInputFiles({ name: 'wine.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await expect(page.getByRole('heading', { name: 'wine.csv', level: 2 })).toBeVisible();
  await expect(page.getByTestId('dataset-rows')).toHaveText('178');

  // A design and settings of the person's own, and a trained run.
  await page.getByRole('tab', { name: 'Model' }).click();
  await page.getByRole('button', { name: /Deeper MLP/ }).click();
  await page.getByRole('button', { name: 'Remove layer 3' }).click();
  const layers = await page.getByTestId('network-diagram').getAttribute('data-layers');
  await page.getByRole('tab', { name: 'Train' }).click();
  await page.getByLabel('Epochs', { exact: true }).fill('40');
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.getByTestId('run-state')).toHaveAttribute('data-state', 'finished', { timeout: 60_000 });
  await page.getByRole('tab', { name: 'Results' }).click();
  const accuracy = await page.getByTestId('accuracy').textContent();

  // Reload at once: what changed last is written as the page goes.
  await page.reload();
  await expect(page.getByText('Your work is back as it was before the reload.')).toBeVisible();
  await page.getByRole('tab', { name: 'Data' }).click();
  await expect(page.getByRole('heading', { name: 'wine.csv', level: 2 })).toBeVisible();
  await expect(page.getByTestId('dataset-rows')).toHaveText('178');
  await expect(page.getByText('All 178 rows')).toBeVisible(); // the preview's rows too, not only the summary's first few
  await page.getByRole('tab', { name: 'Model' }).click();
  await expect(page.getByTestId('network-diagram')).toHaveAttribute('data-layers', layers!);
  await page.getByRole('tab', { name: 'Train' }).click();
  await expect(page.getByLabel('Epochs', { exact: true })).toHaveValue('40');
  await page.getByRole('tab', { name: 'Results' }).click();
  await expect(page.getByTestId('accuracy')).toHaveText(accuracy!);
  await page.screenshot({ path: `${screens}/web-reload-restored.png` });

  // Save: a download of the project file, which holds the run, its weights and the settings.
  const saved = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  const projectFile = await saved;
  expect(projectFile.suggestedFilename()).toBe('Untitled.nnstudio');
  const projectPath = join(downloads, 'wine.nnstudio');
  await projectFile.saveAs(projectPath);
  const { project } = decodeProject(new Uint8Array(readFileSync(projectPath)), projectPath);
  // (The backend is shared by the specs of one Playwright worker: other specs' runs are listed too.)
  const wineRuns = project.runs.filter((r) => r.data?.name === 'wine.csv');
  expect(wineRuns).toHaveLength(1);
  expect(wineRuns[0].outcome!.weights.length).toBeGreaterThan(100);
  expect(project.settings.training).toMatchObject({ epochs: 40 });
  expect(project.dataset!.source).toMatch(/wine\.csv$/);

  // Export: ONNX as a download that onnxruntime runs on a wine row (three class scores).
  await page.getByRole('button', { name: 'Export…', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Export the trained model' });
  await expect(dialog.getByRole('textbox')).toHaveCount(0); // no path to type on the server
  const exported = page.waitForEvent('download');
  await dialog.getByRole('button', { name: 'Download' }).click();
  const onnxFile = await exported;
  expect(onnxFile.suggestedFilename()).toBe('model.onnx');
  const onnxPath = join(downloads, 'wine.onnx');
  await onnxFile.saveAs(onnxPath);
  await expect(dialog.getByRole('status')).toContainText('model.onnx');
  await page.screenshot({ path: `${screens}/web-export-downloaded.png` });
  const session = await ort.InferenceSession.create(onnxPath);
  const row = csv.split('\n')[1].split(',').slice(0, 13).map(Number);
  const out = await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', Float32Array.from(row), [1, 13]) });
  const scores = out[session.outputNames[0]].data as Float32Array;
  expect(scores).toHaveLength(3);

  // TF.js: model.json and weights.bin, as one zip.
  await dialog.getByLabel(/TensorFlow\.js/).check();
  const tfjs = page.waitForEvent('download');
  await dialog.getByRole('button', { name: 'Download' }).click();
  expect((await tfjs).suggestedFilename()).toBe('model.zip');
  await expectNoServerPaths(page);
  expect(errors).toEqual([]);
});
