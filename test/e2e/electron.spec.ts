/**
 * The desktop app itself, driven through Playwright's Electron support. It needs Electron's
 * runtime, which cannot be downloaded on every machine: there it skips, saying why.
 */
import { _electron as electron, expect, test } from '@playwright/test';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

function electronBinary(): string | null {
  const pkg = join(process.cwd(), 'node_modules', 'electron');
  const pathFile = join(pkg, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const binary = join(pkg, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : null;
}

const binary = electronBinary();
const reason = 'the Electron runtime is not installed on this machine (node_modules/electron has no dist/ binary; its download is blocked here)';
if (!binary) console.log(`Skipping the Electron smoke test: ${reason}.`);

test('the desktop app opens its window on the welcome screen and round-trips to a worker', async () => {
  test.skip(!binary, reason);
  const app = await electron.launch({ executablePath: binary!, args: [process.cwd()] });
  const window = await app.firstWindow();
  await expect(window.getByRole('heading', { name: 'NN Studio', level: 1 })).toBeVisible();
  await expect(window.getByTestId('mode')).toContainText('desktop app');
  await window.getByRole('button', { name: 'Ping a worker process' }).click();
  await expect(window.getByTestId('worker-pid')).toHaveText(/^\d+$/);
  await app.close();
});
