/**
 * What the backend reports about itself, shown in the About dialog (the app opens on its Data
 * page), and the round trip to a real worker process.
 */
import { expect, test } from './fixtures.js';
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';

const version = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;

async function openAbout(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'About' }).click();
  await expect(page.getByRole('dialog').getByRole('heading', { name: 'NN Studio', level: 2 })).toBeVisible();
}

test('the About dialog shows the version and engine the backend reported', async ({ page, studio }) => {
  await page.goto(studio.url);
  await expect(page.getByRole('tab', { name: 'Data', selected: true })).toBeVisible();
  await openAbout(page);
  await expect(page.getByTestId('version')).toHaveText(version);
  await expect(page.getByTestId('mode')).toContainText('web mode');
  await expect(page.getByTestId('engine')).toContainText(/backend/);
  // This machine has WebAssembly SIMD and two cores: the WebAssembly plan, with background gathering.
  await expect(page.getByTestId('plan')).toHaveText('fused epilogues, whole-network passes for small dense networks, fused SGD, batches gathered in the background');
  await expect(page.getByTestId('cores')).toHaveText(/^[1-9]\d*$/);
  await page.screenshot({ path: 'test-results/screens/about.png' });
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toBeHidden();
});

test('the worker round trip shows the process id of a real worker', async ({ page, studio }) => {
  await page.goto(studio.url);
  await openAbout(page);
  await page.getByRole('button', { name: 'Ping a worker process' }).click();
  await expect(page.getByTestId('ping-result')).toContainText('hello from the renderer');
  const pid = Number(await page.getByTestId('worker-pid').textContent());
  expect(pid).toBeGreaterThan(0);
  // A second ping starts a new worker process.
  await page.getByRole('button', { name: 'Ping a worker process' }).click();
  await expect(page.getByTestId('worker-pid')).not.toHaveText(String(pid));
});

test('the token leaves the address bar, survives a reload, and sets no cookie; a wrong one reaches nothing', async ({ page, studio }) => {
  await page.goto(studio.url);
  await expect(page.getByRole('heading', { name: 'spiral', level: 2 })).toBeVisible();
  expect(page.url()).not.toContain('token');
  expect(await page.context().cookies()).toEqual([]);
  await page.reload();
  await expect(page.getByRole('heading', { name: 'spiral', level: 2 })).toBeVisible();

  const stranger = await page.context().browser()!.newPage();
  const wrong = await stranger.goto(`${studio.origin}/?token=${'f'.repeat(studio.token.length)}`);
  expect(wrong?.status()).toBe(200); // the build's files are public; the backend is not
  await expect(stranger.getByRole('heading', { name: 'spiral', level: 2 })).toBeHidden();
  await stranger.close();
});
