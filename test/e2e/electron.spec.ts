/**
 * The desktop app itself, driven through Playwright's Electron support: the window and its
 * security as seen from the page, the unsaved-changes question on close, and a person's round trip
 * (open → train a sample → save → reopen by double-click). It needs Electron's runtime, which
 * cannot be downloaded on every machine: there it skips, saying why.
 *
 * Native dialogs cannot be clicked by Playwright, so the tests replace `dialog.showSaveDialog` and
 * `dialog.showMessageBox` inside the main process with answers of their own; everything else
 * (menus, IPC, the app:// protocol, the worker processes, the files) is the real app.
 */
import { _electron as electron, expect, test, type ElectronApplication, type Page } from '@playwright/test';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StudioBridge } from '../../main/preload-api.js';

function electronBinary(): string | null {
  const pkg = join(process.cwd(), 'node_modules', 'electron');
  const pathFile = join(pkg, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const binary = join(pkg, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : null;
}

const binary = electronBinary();
const reason = 'the Electron runtime is not installed on this machine (node_modules/electron has no dist/ binary; its download is blocked here)';
if (!binary) console.log(`Skipping the Electron tests: ${reason}.`);
test.skip(!binary, reason);

/** A fresh settings folder per test, so recent files and window bounds start empty. */
let userData = '';
test.beforeEach(() => {
  userData = mkdtempSync(join(tmpdir(), 'nn-studio-electron-'));
});
test.afterEach(() => rmSync(userData, { recursive: true, force: true }));

/** Starts the app as `npm start` does (the repo folder as the app), optionally with a file to open. */
async function launch(...files: string[]): Promise<{ app: ElectronApplication; window: Page }> {
  const app = await electron.launch({ executablePath: binary!, args: [process.cwd(), ...files], env: { ...process.env, NN_STUDIO_USER_DATA: userData } });
  const window = await app.firstWindow();
  return { app, window };
}

const title = (app: ElectronApplication) => app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.getTitle() ?? '');

/** Clicks a menu item as a person would (by its id in main/electron/menu.ts). */
const clickMenu = (app: ElectronApplication, id: string) =>
  app.evaluate(({ Menu }, itemId) => (Menu.getApplicationMenu()?.getMenuItemById(itemId)?.click as (() => void) | undefined)?.(), id);

test('the window serves the studio from app:// with its security in place', async () => {
  const { app, window } = await launch();
  expect(window.url()).toBe('app://nn-studio/index.html');
  const page = await window.evaluate(async () => {
    const g = globalThis as unknown as { studio: StudioBridge; require?: unknown; process?: unknown };
    const info = await g.studio.invoke('app:info', undefined);
    const unknown = await g.studio.invoke('fs:readAnything', { path: '/etc/passwd' });
    const index = await fetch('app://nn-studio/index.html');
    const escape = await fetch('app://nn-studio/%2e%2e/%2e%2e/package.json');
    return {
      info, unknown, csp: index.headers.get('content-security-policy'), escape: escape.status,
      node: typeof g.require + typeof g.process, bridge: Object.keys(g.studio).sort(),
    };
  });
  expect(page.info).toMatchObject({ ok: true, value: { mode: 'electron', versions: { electron: expect.any(String) } } });
  expect(page.unknown).toMatchObject({ ok: false, error: { name: 'UnknownChannel' } });
  expect(page.csp).toContain("default-src 'self'");
  expect(page.escape).toBe(404);
  expect(page.node).toBe('undefinedundefined');
  expect(page.bridge).toEqual(['droppedPaths', 'invoke', 'on', 'pathForFile']);
  // Development build: the View menu offers the developer tools.
  expect(await app.evaluate(({ Menu }) => !!Menu.getApplicationMenu()?.getMenuItemById('dev-tools'))).toBe(true);
  await app.close();
});

test('closing with unsaved changes asks first: Cancel keeps the window, Don’t Save closes it', async () => {
  const { app, window } = await launch();
  await window.evaluate(() => (globalThis as unknown as { studio: StudioBridge }).studio.invoke('window:document', { name: 'draft', path: null, dirty: true }));
  await expect.poll(() => title(app)).toBe(process.platform === 'darwin' ? 'draft — NN Studio' : '*draft — NN Studio');

  // The person answers Cancel, then Don't Save.
  await app.evaluate(({ dialog }) => {
    const g = globalThis as unknown as { asked: string[]; answer: string };
    g.asked = [];
    g.answer = 'Cancel';
    dialog.showMessageBox = (async (...args: unknown[]) => {
      const options = args.at(-1) as { message: string; buttons: string[] };
      g.asked.push(options.message);
      return { response: options.buttons.indexOf(g.answer), checkboxChecked: false };
    }) as typeof dialog.showMessageBox;
  });
  await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0].close());
  await expect.poll(() => app.evaluate(() => (globalThis as unknown as { asked: string[] }).asked)).toEqual(['Do you want to save the changes you made to “draft”?']);
  expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1);

  const closed = app.waitForEvent('close');
  await app.evaluate(({ BrowserWindow }) => {
    (globalThis as unknown as { answer: string }).answer = 'Don’t Save';
    BrowserWindow.getAllWindows()[0].close();
  });
  await closed; // the last window closed, so the app quit (Windows/Linux) — or the window is gone (macOS)
});

test('open → train a sample → save → reopen by double-click', async () => {
  const project = join(userData, 'spiral-test.nnstudio');

  // Open: the studio starts on a built-in sample dataset.
  const first = await launch();
  const { window } = first;
  await window.getByRole('tab', { name: 'Data' }).click();
  await window.getByRole('tab', { name: 'Model' }).click();

  // Train it and wait for the results.
  await window.getByRole('tab', { name: 'Train' }).click();
  await window.getByRole('button', { name: 'Train' }).click();
  await window.getByRole('tab', { name: 'Results' }).click();
  await expect(window.getByText(/accuracy/i).first()).toBeVisible({ timeout: 120_000 });
  await expect.poll(() => title(first.app)).toMatch(process.platform === 'darwin' ? / — NN Studio$/ : /^\*.+ — NN Studio$/);

  // Save through File → Save; the untitled project asks where, and the test answers.
  await first.app.evaluate(({ dialog }, path) => {
    dialog.showSaveDialog = (async () => ({ canceled: false, filePath: path })) as typeof dialog.showSaveDialog;
  }, project);
  await clickMenu(first.app, 'save');
  await expect.poll(() => existsSync(project), { timeout: 30_000 }).toBe(true);
  await expect.poll(() => title(first.app)).toMatch(/^[^*].* — NN Studio$/);
  // The saved project is now a recent one, remembered in userData.
  await expect.poll(() => existsSync(join(userData, 'recent.json')) && JSON.parse(readFileSync(join(userData, 'recent.json'), 'utf8'))).toEqual([project]);
  await first.app.close(); // clean document: closes without a question

  // Reopen it the way the OS does when the file is double-clicked: its path on the command line.
  const second = await launch(project);
  await expect.poll(() => title(second.app), { timeout: 30_000 }).toMatch(/^[^*].* — NN Studio$/);
  await second.window.getByRole('tab', { name: 'Results' }).click();
  await expect(second.window.getByText(/accuracy/i).first()).toBeVisible();
  const recentMenu = await second.app.evaluate(({ Menu }) => Menu.getApplicationMenu()?.getMenuItemById('recent-0')?.label);
  expect(recentMenu).toBe('spiral-test.nnstudio');
  await second.app.close();
});
