/**
 * Work is not lost when the studio dies: unsaved work is autosaved, and the next start offers it
 * back. The backend process is SIGKILLed as a crash would end it.
 */
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, startStudio, test } from './fixtures.js';

test('unsaved work autosaved before a crash is offered back at the next start', async ({ browser }) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'nn-e2e-recovery-'));
  const env = { NN_STUDIO_USER_DATA: dataDir, NN_STUDIO_AUTOSAVE_SECONDS: '1' };

  const first = await startStudio(env);
  const page = await browser.newPage();
  await page.goto(first.studio.url);
  await page.getByRole('button', { name: 'moons' }).click();
  await expect(page.getByRole('heading', { name: 'moons', level: 2 })).toBeVisible();
  // The change makes the project unsaved; within a second or two it is autosaved.
  const recovery = join(dataDir, 'recovery');
  await expect.poll(() => existsSync(recovery) && readdirSync(recovery).some((f) => f.endsWith('.json')), { timeout: 15_000 }).toBe(true);
  first.child.kill('SIGKILL');
  await page.close();

  const second = await startStudio(env);
  try {
    const next = await browser.newPage();
    await next.goto(second.studio.url);
    const prompt = next.getByRole('dialog', { name: 'Recover unsaved work?' });
    await expect(prompt).toBeVisible();
    await expect(prompt).toContainText('Untitled');
    await next.screenshot({ path: 'test-results/screens/recovery.png' });
    await prompt.getByRole('button', { name: 'Recover' }).click();
    await expect(prompt).toBeHidden();
    await expect(next.getByRole('heading', { name: 'moons', level: 2 })).toBeVisible();
  } finally {
    second.child.kill('SIGTERM');
  }
});
