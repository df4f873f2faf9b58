/**
 * Electron's main process: the app's lifecycle, its windows, menus and native dialogs, and the
 * IPC bridge to the backend. Kept thin: the backend (main/backend.ts) and every decision made here
 * (main/electron/*.ts: menus, unsaved changes, recent files, window bounds, launch files, security)
 * are plain code tested without Electron. docs/security.md walks through the security settings.
 */
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, screen, session, shell, type WebContents } from 'electron';
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { AppInfo } from '../shared/ipc/contract.js';
import { createBackend } from './backend.js';
import { Grants } from './services/grants.js';
import { grantDropped, grantHandedOver, grantOpened, grantSaveTarget } from './electron/grant-points.js';
import { aboutLines, aboutMessage } from './electron/about.js';
import { APP_SCHEME, resolveAppRequest, responseHeaders } from './electron/app-protocol.js';
import { AppWindow, lockDown } from './electron/app-window.js';
import { fileFromArgv, type LaunchFile } from './electron/argv.js';
import { classifyPath } from '../shared/file-types.js';
import { createRouter } from './ipc/router.js';
import { openDialogSpec, savedPath, saveDialogSpec } from './electron/dialogs.js';
import { EVENT_CHANNEL, GRANT_CHANNEL, INVOKE_CHANNEL, LISTEN_CHANNEL } from './electron/ipc-names.js';
import { readJson, serialWriter } from './electron/json-store.js';
import { buildMenuTemplate, MENU_LABELS, menuLanguage, type MenuAction, type MenuLanguage } from './electron/menu.js';
import { isDesktopInvokeChannel, type MenuCommand } from '../shared/ipc/desktop.js';
import { addRecent, pruneRecent, removeRecent } from './electron/recent.js';
import { EXTERNAL_HOSTS, externalUrlAllowed, hostOf, isTrustedSender, permissionAllowed } from './electron/security.js';
import { UNSAVED_LABELS } from './electron/unsaved.js';
import { restoreBounds, WindowState } from './electron/window-state.js';
import { forkUtilityWorker } from './electron/utility-worker.js';
import { appRoot, outDir, rendererDir } from './paths.js';

const APP_ID = 'org.nnstudio.app';
const platform = process.platform;
const isDev = !app.isPackaged;

// Tests and portable set-ups may keep settings elsewhere; must happen before `ready`.
if (process.env.NN_STUDIO_USER_DATA) app.setPath('userData', process.env.NN_STUDIO_USER_DATA);

// The renderer's origin (app://nn-studio): standard and secure, so it behaves like an https page.
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

const manifest = JSON.parse(readFileSync(join(appRoot, 'package.json'), 'utf8')) as { homepage?: string; bugs?: { url?: string } | string };
const docsUrl = manifest.homepage && hostOf(manifest.homepage) ? manifest.homepage : null;
const externalHosts = [...EXTERNAL_HOSTS, hostOf(manifest.homepage), hostOf(typeof manifest.bugs === 'string' ? manifest.bugs : manifest.bugs?.url)]
  .filter((h): h is string => !!h);

/** Links leave for the system browser only when safe (docs/security.md, item 15). */
function openExternal(url: string): void {
  if (externalUrlAllowed(url, externalHosts)) setImmediate(() => void shell.openExternal(url));
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  const grants = new Grants();
  const backend = createBackend({ mode: 'electron', forkWorker: forkUtilityWorker, dataDir: app.getPath('userData'), log: (line) => console.error(line), grants });
  let language: MenuLanguage = 'en'; // read once the app is ready
  const recentFile = join(app.getPath('userData'), 'recent.json');
  const boundsFile = join(app.getPath('userData'), 'window-state.json');
  const recentWriter = serialWriter(recentFile);
  const boundsWriter = serialWriter(boundsFile);
  const windows = new Map<number, AppWindow>(); // by webContents id
  let recent: string[] = [];
  let savedBounds: WindowState | null = null;
  let quitting = false;
  // Files handed over before the first window exists (macOS sends open-file before `ready`).
  const launchFiles: LaunchFile[] = [];
  const initial = fileFromArgv(process.argv, { defaultApp: !!process.defaultApp, cwd: process.cwd(), platform });
  if (initial) launchFiles.push(initial);

  const setRecent = (list: string[]) => {
    recent = list;
    void recentWriter.write(recent).catch((e: Error) => console.error(`could not save the recent projects: ${e.message}`));
    buildMenu();
  };

  function createWindow(): AppWindow {
    const display = screen.getPrimaryDisplay();
    const bounds = restoreBounds(savedBounds, screen.getAllDisplays().map((d) => d.workArea), display.workArea);
    const win = new AppWindow({
      preload: join(outDir, 'main', 'preload.cjs'),
      bounds,
      maximized: savedBounds?.maximized ?? false,
      isDev,
      labels: UNSAVED_LABELS[language],
      quitting: () => quitting,
      onDocumentPath: (path) => {
        app.addRecentDocument(path);
        setRecent(addRecent(recent, path, platform));
      },
      onSaveBounds: (state) => {
        savedBounds = state;
        void boundsWriter.write(state).catch(() => {});
      },
      onCloseCancelled: () => (quitting = false),
    });
    const id = win.webContents.id;
    windows.set(id, win);
    win.window.on('closed', () => {
      windows.delete(id);
      // A quit paused by the unsaved-changes question goes on once its window has closed.
      if (quitting) app.quit();
    });
    for (const file of launchFiles.splice(0)) deliver(win, file);
    return win;
  }

  /** The window a menu command is for: the focused one, else any, else a new one. */
  function targetWindow(): AppWindow {
    const focused = BrowserWindow.getFocusedWindow();
    const win = (focused && windows.get(focused.webContents.id)) ?? windows.values().next().value;
    return win ?? createWindow();
  }

  function deliver(win: AppWindow, file: LaunchFile): void {
    void grantHandedOver(grants, file.path, file.kind);
    win.send(file.kind === 'project' ? { command: 'open', path: file.path } : { command: 'import-dataset', paths: [file.path] });
  }

  /** A file from the OS (double-click, second launch): into the existing window, brought to the front. */
  function openFromOs(file: LaunchFile): void {
    if (!app.isReady()) {
      launchFiles.push(file);
      return;
    }
    const win = targetWindow();
    if (win.window.isMinimized()) win.window.restore();
    win.window.focus();
    deliver(win, file);
  }

  async function showOpen(win: AppWindow, kind: 'project' | 'dataset' | 'dataset-folder'): Promise<string[]> {
    const spec = openDialogSpec(kind, platform);
    const result = await dialog.showOpenDialog(win.window, spec);
    if (result.canceled) return [];
    await grantOpened(grants, kind, result.filePaths);
    return result.filePaths;
  }

  async function showAbout(): Promise<void> {
    const reply = await backend.router('app:info', undefined);
    if (!reply.ok) return;
    const info = reply.value as AppInfo;
    if (platform === 'darwin') {
      app.setAboutPanelOptions({ applicationName: info.name, applicationVersion: info.version, credits: aboutLines(info).slice(1).join('\n') });
      app.showAboutPanel();
      return;
    }
    const about = aboutMessage(info);
    const parent = BrowserWindow.getFocusedWindow();
    const options = { type: 'info' as const, title: about.title, message: about.message, detail: about.detail, buttons: ['OK'], noLink: true };
    await (parent ? dialog.showMessageBox(parent, options) : dialog.showMessageBox(options));
  }

  async function runMenuAction(action: MenuAction): Promise<void> {
    const send = (command: MenuCommand) => targetWindow().send(command);
    switch (action.type) {
      case 'new':
      case 'save':
      case 'save-as':
      case 'export-model':
        return send({ command: action.type });
      case 'open': {
        const win = targetWindow();
        const [path] = await showOpen(win, 'project');
        if (path) win.send({ command: 'open', path });
        return;
      }
      case 'open-recent':
        if (existsSync(action.path)) {
          await grantHandedOver(grants, action.path, 'project');
          return send({ command: 'open', path: action.path });
        }
        setRecent(removeRecent(recent, action.path, platform));
        await dialog.showMessageBox({ type: 'error', message: `“${action.path}” could not be found.`, detail: 'It was moved or deleted, so it has been removed from Open Recent.' });
        return;
      case 'clear-recent':
        app.clearRecentDocuments();
        return setRecent([]);
      case 'import-dataset': {
        const win = targetWindow();
        const paths = await showOpen(win, 'dataset');
        if (paths.length) win.send({ command: 'import-dataset', paths });
        return;
      }
      case 'close':
        BrowserWindow.getFocusedWindow()?.close();
        return;
      case 'about':
        return showAbout();
      case 'docs':
        if (docsUrl) openExternal(docsUrl);
        return;
      default:
        throw new Error(`unknown menu action ${JSON.stringify(action satisfies never)}`);
    }
  }

  function buildMenu(): void {
    const template = buildMenuTemplate(
      { platform, isDev, recent, docsAvailable: docsUrl !== null, labels: MENU_LABELS[language] },
      (action) => void runMenuAction(action).catch((e: Error) => console.error(`menu: ${e.stack ?? e.message}`)),
    );
    Menu.setApplicationMenu(Menu.buildFromTemplate(template));
  }

  // The desktop channels, answered with the window that asked.
  const desktopRouter = createRouter<AppWindow>({
    'dialog:open': async ({ kind }, win) => ({ paths: await showOpen(win, kind) }),
    'dialog:save': async (request, win) => {
      const result = await dialog.showSaveDialog(win.window, { ...saveDialogSpec(request), properties: ['createDirectory', 'showOverwriteConfirmation'] });
      if (result.canceled || !result.filePath) return { path: null };
      const path = savedPath(request, result.filePath);
      await grantSaveTarget(grants, path);
      return { path };
    },
    'dialog:unsaved': async ({ reason }, win) => ({ choice: await win.askUnsaved(reason) }),
    'window:document': (state, win) => {
      win.setDocument(state);
      return null;
    },
    'window:saved': ({ replyId, saved }, win) => {
      win.settleSave(replyId, saved);
      return null;
    },
  }, (line) => console.error(line));

  /** The window behind a request, when it comes from the app's page in a top frame (checklist item 17). */
  function trustedWindow(event: Electron.IpcMainInvokeEvent | Electron.IpcMainEvent): AppWindow | null {
    const frame = event.senderFrame;
    if (!isTrustedSender(frame ? { url: frame.url, isTopFrame: frame.parent === null } : null)) return null;
    return windows.get(event.sender.id) ?? null;
  }

  app.on('second-instance', (_event, argv, workingDirectory) => {
    const file = fileFromArgv(argv, { defaultApp: !!process.defaultApp, cwd: workingDirectory, platform });
    if (file) return openFromOs(file);
    const win = targetWindow();
    if (win.window.isMinimized()) win.window.restore();
    win.window.focus();
  });

  // macOS: a project double-clicked in Finder or dropped on the Dock icon (may come before `ready`).
  app.on('open-file', (event, path) => {
    event.preventDefault();
    const kind = classifyPath(path);
    if (kind !== 'other') openFromOs({ path, kind });
  });

  app.on('web-contents-created', (_event, contents: WebContents) => lockDown(contents, openExternal));

  app.whenReady().then(async () => {
    if (platform === 'win32') app.setAppUserModelId(APP_ID);
    language = menuLanguage(app.getPreferredSystemLanguages());
    const stored = await readJson(recentFile, z.array(z.string()), []);
    recent = pruneRecent(stored, existsSync, platform);
    savedBounds = await readJson(boundsFile, WindowState, null);

    // The page and its assets, from the built renderer only, each response with the CSP header.
    protocol.handle(APP_SCHEME, async (request) => {
      const file = resolveAppRequest(rendererDir, request.url);
      if (!file) return new Response('Not found', { status: 404 });
      try {
        return new Response(await readFile(file), { headers: responseHeaders(file) });
      } catch {
        return new Response('Not found', { status: 404 });
      }
    });
    // Camera, microphone, notifications, geolocation, USB, …: refused (checklist item 5).
    const ses = session.defaultSession;
    ses.setPermissionRequestHandler((contents, permission, callback, details) => callback(permissionAllowed(permission, details.requestingUrl ?? contents?.getURL())));
    ses.setPermissionCheckHandler((_contents, permission, requestingOrigin) => permissionAllowed(permission, requestingOrigin));
    ses.setDevicePermissionHandler(() => false);

    ipcMain.handle(INVOKE_CHANNEL, (event, channel: unknown, payload: unknown) => {
      const win = trustedWindow(event);
      if (!win) return { ok: false, error: { name: 'Forbidden', message: 'this page may not call NN Studio' } };
      return isDesktopInvokeChannel(channel) ? desktopRouter(channel, payload, win) : backend.router(channel, payload);
    });
    ipcMain.on(GRANT_CHANNEL, (event, paths: unknown) => {
      if (trustedWindow(event)) void grantDropped(grants, paths);
    });
    ipcMain.on(LISTEN_CHANNEL, (event, channel: unknown) => {
      if (channel === 'menu:command') trustedWindow(event)?.markListening();
    });
    backend.onEvent((channel, payload) => {
      for (const win of windows.values()) win.webContents.send(EVENT_CHANNEL, channel, payload);
    });

    buildMenu();
    createWindow();
    app.on('activate', () => {
      if (windows.size === 0) createWindow();
    });
  }).catch((e: Error) => {
    dialog.showErrorBox('NN Studio could not start', e.stack ?? e.message);
    app.exit(1);
  });

  app.on('before-quit', () => (quitting = true));
  app.on('window-all-closed', () => {
    if (platform !== 'darwin' || quitting) app.quit();
  });
  // Only once every window has agreed to close (a cancelled quit keeps its workers): stop the
  // workers and let the last settings writes reach the disk, then quit for real.
  let flushed = false;
  app.on('will-quit', (event) => {
    if (flushed) return;
    event.preventDefault();
    const settled = Promise.allSettled([backend.dispose(), recentWriter.idle(), boundsWriter.idle()]);
    // A stuck worker must not keep the app from quitting.
    void Promise.race([settled, new Promise((resolve) => setTimeout(resolve, 5000))]).then(() => {
      flushed = true;
      app.quit();
    });
  });
}
