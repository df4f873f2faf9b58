import { expect, test } from './fixtures.js';
import { readFileSync } from 'node:fs';

const version = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;

test('the welcome screen shows the version and engine the backend reported', async ({ page, studio }) => {
  await page.goto(studio.url);
  await expect(page.getByRole('heading', { name: 'NN Studio', level: 1 })).toBeVisible();
  await expect(page.getByTestId('version')).toHaveText(version);
  await expect(page.getByTestId('mode')).toContainText('web mode');
  await expect(page.getByTestId('engine')).toContainText(/backend/);
  await expect(page.getByTestId('cores')).toHaveText(/^[1-9]\d*$/);
  await page.screenshot({ path: 'test-results/screens/welcome.png' });
});

test('the worker round trip shows the process id of a real worker', async ({ page, studio }) => {
  await page.goto(studio.url);
  await page.getByRole('button', { name: 'Ping a worker process' }).click();
  await expect(page.getByTestId('ping-result')).toContainText('hello from the renderer');
  const pid = Number(await page.getByTestId('worker-pid').textContent());
  expect(pid).toBeGreaterThan(0);
  // A second ping starts a new worker process.
  await page.getByRole('button', { name: 'Ping a worker process' }).click();
  await expect(page.getByTestId('worker-pid')).not.toHaveText(String(pid));
});

test('a wrong or missing token is refused', async ({ page, studio }) => {
  const wrong = await page.goto(`${studio.origin}/?token=${'f'.repeat(studio.token.length)}`);
  expect(wrong?.status()).toBe(403);
  await expect(page.locator('body')).toContainText('NN Studio refused this request');
  const missing = await page.goto(`${studio.origin}/`);
  expect(missing?.status()).toBe(403);
});
