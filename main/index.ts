/**
 * Electron's main process: the window, its security settings, and the IPC bridge to the backend.
 * Kept thin: everything it serves lives in main/backend.ts and is tested without Electron.
 */
import { app, BrowserWindow, ipcMain, session, shell, type WebContents } from 'electron';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createBackend } from './backend.js';
import { forkUtilityWorker } from './electron/utility-worker.js';
import { EVENT_CHANNEL, INVOKE_CHANNEL } from './electron/ipc-names.js';
import { outDir, rendererDir } from './paths.js';

const CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');

const indexUrl = pathToFileURL(join(rendererDir, 'index.html')).href;

/** Only our own page may use the bridge: a frame from anywhere else is ignored. */
function isTrustedSender(frameUrl: string | undefined): boolean {
  return frameUrl !== undefined && frameUrl.split(/[?#]/)[0] === indexUrl;
}

function createWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 800,
    minWidth: 900,
    minHeight: 600,
    title: 'NN Studio',
    show: false,
    webPreferences: {
      preload: join(outDir, 'main', 'preload.cjs'),
      contextIsolation: true,
      nodeIntegration: false,
      sandbox: true,
      webSecurity: true,
      spellcheck: false,
    },
  });
  lockDown(window.webContents);
  window.once('ready-to-show', () => window.show());
  void window.loadFile(join(rendererDir, 'index.html'));
  return window;
}

/** No navigation away from the app and no new windows; web links open in the system browser. */
function lockDown(contents: WebContents): void {
  contents.on('will-navigate', (event, url) => {
    if (url !== contents.getURL()) event.preventDefault();
  });
  contents.setWindowOpenHandler(({ url }) => {
    if (/^https:\/\//.test(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  const backend = createBackend({ mode: 'electron', forkWorker: forkUtilityWorker, log: (line) => console.error(line) });
  let mainWindow: BrowserWindow | null = null;

  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });

  app.whenReady().then(() => {
    session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
      callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } });
    });
    // Nothing the renderer asks for (camera, notifications, …) is granted.
    session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));

    ipcMain.handle(INVOKE_CHANNEL, (event, channel: unknown, payload: unknown) => {
      if (!isTrustedSender(event.senderFrame?.url)) {
        return { ok: false, error: { name: 'Forbidden', message: 'this page may not call NN Studio' } };
      }
      return backend.router(channel, payload);
    });
    backend.onEvent((channel, payload) => {
      for (const window of BrowserWindow.getAllWindows()) window.webContents.send(EVENT_CHANNEL, channel, payload);
    });

    mainWindow = createWindow();
    mainWindow.on('closed', () => (mainWindow = null));
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) mainWindow = createWindow();
    });
  });

  app.on('web-contents-created', (_event, contents) => lockDown(contents));
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('before-quit', () => void backend.dispose());
}
