/**
 * A convolutional network in the studio, walked as a new user would, in English and in Chinese:
 * an image-folder zip of real Fashion-MNIST images (made here from Debian's IDX files) dropped on
 * the window, the small-CNN template with a shape on every row, one epoch of training in a real
 * worker, feature maps and filters of a test image, one convolution stepped through, a confusion
 * cell's images with a saliency map, a digit drawn on the pad, and an ONNX export run by onnxruntime.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { zipSync } from 'fflate';
import { PNG } from 'pngjs';
import * as ort from 'onnxruntime-node';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.js';
import { en } from '../../renderer/src/i18n/en.js';
import { zh } from '../../renderer/src/i18n/zh.js';
import { interpolate } from '../../renderer/src/i18n/format.js';

const FASHION = '/usr/share/datasets/fashion-mnist';
const CLASSES = ['t-shirt', 'trouser', 'pullover', 'dress', 'coat', 'sandal', 'shirt', 'sneaker', 'bag', 'boot'];
/** Images in the zip: enough for a CNN to beat chance after one epoch, few enough for a quick test. */
const IMAGES = 1200;

/** The first `n` Fashion-MNIST training images as `class/NNNN.png` entries of a zip. */
function fashionZip(n: number): { zip: Uint8Array; first: { label: number; pixels: Uint8Array } } {
  const images = gunzipSync(readFileSync(join(FASHION, 'train-images-idx3-ubyte.gz')));
  const labels = gunzipSync(readFileSync(join(FASHION, 'train-labels-idx1-ubyte.gz')));
  const files: Record<string, Uint8Array> = {};
  for (let i = 0; i < n; i++) {
    const png = new PNG({ width: 28, height: 28, colorType: 0 });
    for (let p = 0; p < 784; p++) {
      const v = images[16 + i * 784 + p];
      png.data.set([v, v, v, 255], p * 4);
    }
    files[`fashion/${CLASSES[labels[8 + i]]}/${String(i).padStart(4, '0')}.png`] = PNG.sync.write(png);
  }
  return { zip: zipSync(files), first: { label: labels[8], pixels: images.subarray(16, 16 + 784) } };
}

const made = fashionZip(IMAGES);

for (const [lang, catalogue] of [['en', en], ['zh', zh]] as const) {
  test.describe(`a CNN from a dropped image zip (${lang})`, () => {
    test.use({ locale: lang === 'zh' ? 'zh-CN' : 'en-US' });
    const L = (key: keyof typeof en, params?: Record<string, string | number>) => interpolate(catalogue[key], params);
    const shot = (page: Page, name: string) => page.screenshot({ path: `test-results/screens/cnn-${lang}-${name}.png`, fullPage: true });

    test('design, train, look inside, judge, predict and export', async ({ page, studio }) => {
      test.setTimeout(240_000);
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      await page.goto(studio.url);
      await expect(page.getByRole('tab', { name: L('page.data') })).toBeVisible();

      // Drop the zip (a real DataTransfer drop event, uploaded to the web host).
      const dataTransfer = await page.evaluateHandle((bytes) => {
        const browser = globalThis as unknown as {
          DataTransfer: new () => { items: { add(file: unknown): void } };
          File: new (parts: Uint8Array[], name: string, options: { type: string }) => unknown;
        };
        const dt = new browser.DataTransfer();
        dt.items.add(new browser.File([Uint8Array.from(bytes)], 'fashion.zip', { type: 'application/zip' }));
        return dt;
      }, Array.from(made.zip));
      await page.getByRole('button', { name: L('data.dropArea') }).dispatchEvent('drop', { dataTransfer });
      await expect(page.getByRole('heading', { name: 'fashion.zip', level: 2 })).toBeVisible({ timeout: 60_000 });
      await expect(page.getByTestId('dataset-rows')).toHaveText(IMAGES.toLocaleString('en-US'));
      await expect(page.getByTestId('image-facts')).toContainText('28×28');
      await expect(page.getByTestId('thumbnail-grid').getByRole('img')).toHaveCount(30); // three per class
      await shot(page, 'data');

      // The small-CNN template: every row shows its output shape, the diagram its blocks.
      await page.getByRole('tab', { name: L('page.model') }).click();
      await page.getByRole('button', { name: new RegExp(L('template.small-cnn')) }).click();
      await expect(page.getByTestId('input-shape')).toContainText('1×28×28');
      await expect(page.getByTestId('layer-shape')).toHaveText(['32×26×26', '32×13×13', '64×11×11', '64×5×5', '1600', '128']);
      await expect(page.getByTestId('param-count')).toContainText('225,034');
      await expect(page.getByTestId('cnn-diagram')).toBeVisible();

      // A third pool dragged up after the second, and a 3×3 convolution after it, cannot fit on
      // 64×2×2: that row says so with the engine's message, and Train is disabled until it is fixed.
      await page.getByRole('button', { name: `+ ${L('layer.maxpool2d')}` }).click();
      const row = (n: number) => page.getByRole('listitem', { name: L('model.hiddenLayer', { n }), exact: true });
      await row(7).dragTo(row(5));
      await expect(row(5)).toHaveAttribute('data-type', 'maxpool2d');
      await expect(row(5).getByTestId('layer-shape')).toHaveText('64×2×2');
      await page.getByRole('button', { name: `+ ${L('layer.conv2d')}` }).click();
      await page.getByRole('button', { name: L('model.moveUp', { n: 8 }) }).click();
      await page.getByRole('button', { name: L('model.moveUp', { n: 7 }) }).click();
      await expect(row(6).getByTestId('layer-error')).toHaveText('layer 6 (conv2d 16@3×3): its input 64×2×2 is smaller than the kernel 3×3');
      await expect(page.getByTestId('layer-error')).toHaveCount(1);
      await shot(page, 'model-error');
      await page.getByRole('tab', { name: L('page.train') }).click();
      await expect(page.getByRole('button', { name: L('train.train'), exact: true })).toBeDisabled();
      await page.getByRole('tab', { name: L('page.model') }).click();
      await page.getByRole('button', { name: L('model.remove', { n: 6 }) }).click();
      await page.getByRole('button', { name: L('model.remove', { n: 5 }) }).click();
      await expect(page.getByTestId('layer-error')).toHaveCount(0);
      await expect(page.getByTestId('layer-shape')).toHaveText(['32×26×26', '32×13×13', '64×11×11', '64×5×5', '1600', '128']);
      await shot(page, 'model');

      // One epoch in a real worker.
      await page.getByRole('tab', { name: L('page.train') }).click();
      await page.getByLabel(L('train.epochs'), { exact: true }).fill('1');
      // Batches of 16 give this small set ~50 steps in its one epoch (the template's 128 would give 7).
      await page.getByLabel(L('train.batchSize'), { exact: true }).fill('16');
      await page.getByRole('button', { name: L('train.train'), exact: true }).click();
      await expect(page.getByTestId('run-state')).toHaveAttribute('data-state', 'finished', { timeout: 180_000 });
      await shot(page, 'train');
      // The Model page's figure now shows the trained filters of both convolutions.
      await page.getByRole('tab', { name: L('page.model') }).click();
      await expect(page.getByTestId('diagram-filters').getByTestId('filter-grid')).toHaveCount(2);
      await shot(page, 'model-trained');

      // Inspect: feature maps of a test image, filters, and one convolution written out.
      await page.getByRole('tab', { name: L('page.inspect') }).click();
      const maps = page.getByTestId('feature-maps');
      await expect(maps.locator('[data-layer]')).toHaveCount(6); // conv, pool, conv, pool, dense, output
      await expect(maps.locator('[data-layer="0"] .heat')).toHaveCount(32);
      const testImage = page.getByRole('button', { name: new RegExp(L('cnn.testImage', { label: '.*' })) }).first();
      await testImage.click();
      await expect(page.getByTestId('inspected-image')).toContainText(L('cnn.testImage', { label: '' }).trim());
      await expect(page.getByTestId('filter-grid')).toHaveCount(2);
      await expect(page.getByTestId('filter-grid').first().locator('.heat')).toHaveCount(32);
      await page.getByRole('button', { name: L('cnn.stepFirst') }).click();
      const step = page.getByTestId('conv-step');
      await expect(step).toBeVisible();
      // Σ products + b = z, relu(z) = a: the numbers on the page add up.
      const sumLine = (await page.getByTestId('conv-sum').textContent())!;
      const [sum, bias, z, a] = [...sumLine.matchAll(/-?\d+(?:\.\d+)?(?:e-?\d+)?/g)].map((m) => Number(m[0])).slice(-4);
      expect(sum + bias).toBeCloseTo(z, 4);
      expect(a).toBeCloseTo(Math.max(0, z), 5);
      await expect(step.getByRole('table')).toHaveCount(3); // window ⊙ kernel = products
      // A max pool's window, its winner, and the gradient routed to it alone.
      await maps.locator('[data-layer="1"] button.heat').first().click();
      await expect(page.getByTestId('pool-step')).toBeVisible();
      await page.getByRole('button', { name: L('inspect.runCheck') }).click();
      await expect(page.getByTestId('gradcheck-verdict')).toBeVisible({ timeout: 60_000 });
      await shot(page, 'inspect');

      // Results: a confusion cell's images, a saliency map, the most confident mistakes.
      await page.getByRole('tab', { name: L('page.results') }).click();
      const cell = page.getByRole('button', { name: new RegExp(`^${L('results.cellLabel', { actual: 'trouser', predicted: 'trouser', n: 999 }).replace('999', '\\d+').replace(/[()]/g, '.')}`) });
      await cell.click();
      await expect(page.getByTestId('cell-images').locator('canvas').first()).toBeVisible();
      await page.getByRole('button', { name: L('results.openImage', { n: 1 }), exact: true }).click();
      await expect(page.getByTestId('saliency')).toBeVisible();
      await expect(page.getByTestId('mistakes').locator('canvas').first()).toBeVisible();
      await shot(page, 'results');

      // Predict: draw on the pad, get the top three classes.
      await page.getByRole('tab', { name: L('page.predict') }).click();
      const pad = page.getByLabel(L('predict.drawCanvas'));
      const box = (await pad.boundingBox())!;
      await page.mouse.move(box.x + 100, box.y + 60);
      await page.mouse.down();
      await page.mouse.move(box.x + 180, box.y + 60, { steps: 8 });
      await page.mouse.move(box.x + 180, box.y + 220, { steps: 8 });
      await page.mouse.up();
      await expect(page.getByTestId('prediction')).not.toBeEmpty();
      await expect(page.getByTestId('top3').getByRole('listitem')).toHaveCount(3);
      // An image file of the dataset: resized to the model's input, predicted.
      const png = new PNG({ width: 56, height: 56, colorType: 0 });
      for (let y = 0; y < 56; y++) for (let x = 0; x < 56; x++) {
        const v = made.first.pixels[(y >> 1) * 28 + (x >> 1)];
        png.data.set([v, v, v, 255], (y * 56 + x) * 4);
      }
      await page.getByLabel(L('predict.chooseImages')).setInputFiles({ name: 'boot-56.png', mimeType: 'image/png', buffer: PNG.sync.write(png) });
      const fileTop = page.getByTestId('image-predictions').getByTestId('top3').getByRole('listitem');
      await expect(fileTop).toHaveCount(3);
      const studioTop = (await fileTop.first().locator('strong').textContent())!;
      await shot(page, 'predict');

      // Export ONNX (a browser download in web mode); onnxruntime runs the file on a raw image
      // [1, 1, 28, 28] of 0–255 values.
      const folder = mkdtempSync(join(studio.root, 'export-'));
      const onnxPath = join(folder, 'fashion-cnn.onnx');
      await page.getByRole('button', { name: L('header.export') }).click();
      const dialog = page.getByRole('dialog', { name: L('export.title') });
      await dialog.getByRole('radio', { name: /^ONNX/ }).check();
      await expect(dialog.getByTestId('export-input-shape')).toContainText('[N, 1, 28, 28]');
      const exported = page.waitForEvent('download');
      await dialog.getByRole('button', { name: L('export.download'), exact: true }).click();
      await (await exported).saveAs(onnxPath);
      await expect(dialog.getByRole('status')).toContainText('model.onnx');
      await shot(page, 'export');
      const session = await ort.InferenceSession.create(onnxPath);
      const input = new ort.Tensor('float32', Float32Array.from(made.first.pixels), [1, 1, 28, 28]);
      const out = (await session.run({ [session.inputNames[0]]: input }))[session.outputNames[0]];
      expect(out.dims).toEqual([1, 10]);
      const probabilities = Array.from(out.data as Float32Array);
      expect(probabilities.reduce((s, p) => s + p, 0)).toBeCloseTo(1, 4);
      // The exported network picks the class the studio picked for this image (classes in folder-name order).
      const sorted = [...CLASSES].sort();
      expect(sorted[probabilities.indexOf(Math.max(...probabilities))]).toBe(studioTop);
      expect(errors).toEqual([]);
    });
  });
}
