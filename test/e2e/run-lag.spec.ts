/**
 * How far the Train page trails the worker, measured in Chromium against the real backend: every
 * progress report carries the worker's send time, the page records when it shows each one, and the
 * run's end is timed from the moment its `run:finished` event reaches the page to the moment the
 * page says Finished. Printed for the note (timings are never asserted: the benchmark's rule).
 */
import { expect, test } from './fixtures.js';

test('the Train page follows the worker closely (measured, printed)', async ({ page, studio }) => {
  // The moment the run's end reaches the page, before the app handles it.
  await page.addInitScript(`window.WebSocket = class extends WebSocket {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (e) => {
        if (typeof e.data === 'string' && e.data.includes('"run:finished"')) window.finishedFrameAt = Date.now();
      });
    }
  }`);
  await page.goto(studio.url);
  await page.getByRole('button', { name: process.env.LAG_SAMPLE ?? 'spiral' }).click();
  await expect(page.getByRole('heading', { name: process.env.LAG_SAMPLE ?? 'spiral', level: 2 })).toBeVisible();
  await page.getByRole('tab', { name: 'Model' }).click();
  await page.getByRole('button', { name: /Two-layer net/ }).click();
  await page.getByRole('tab', { name: 'Train' }).click();
  await page.getByLabel('Optimizer').selectOption('adam');
  await page.getByLabel('Mini-batch').check();
  await page.getByLabel('Batch size').fill('8');
  await page.getByLabel('Epochs', { exact: true }).fill(process.env.LAG_EPOCHS ?? '300');
  await page.getByLabel('Early stopping (epochs)').fill('0');
  // In the page (a string: this file is type-checked without the DOM's types).
  await page.evaluate(`(() => {
    window.lags = [];
    window.finishedFrameAt = 0;
    window.finishedAt = 0;
    new MutationObserver(() => {
      const at = Number(document.querySelector('[data-testid=train-progress]')?.getAttribute('data-reported-at'));
      if (at > 0) window.lags.push(Date.now() - at);
      if (!window.finishedAt && document.querySelector('[data-testid=run-state]')?.getAttribute('data-state') === 'finished') window.finishedAt = Date.now();
    }).observe(document.body, { subtree: true, attributes: true, attributeFilter: ['data-reported-at', 'data-state'], childList: true });
  })()`);
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.getByTestId('run-state')).toHaveAttribute('data-state', 'finished', { timeout: 110_000 });
  const { lags, finishedAt, finishedFrameAt } = await page.evaluate<{ lags: number[]; finishedAt: number; finishedFrameAt: number }>('({ lags: window.lags, finishedAt: window.finishedAt, finishedFrameAt: window.finishedFrameAt })');
  expect(lags.length).toBeGreaterThan(0);
  const sorted = [...lags].sort((a, b) => a - b);
  const q = (f: number) => sorted[Math.min(sorted.length - 1, Math.floor(f * sorted.length))];
  console.log(`display lag over ${lags.length} updates: median ${q(0.5)} ms, p95 ${q(0.95)} ms, max ${sorted.at(-1)} ms; finished shown ${finishedAt - finishedFrameAt} ms after its event arrived`);
});
