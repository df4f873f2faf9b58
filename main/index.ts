/**
 * Electron's main process: a wiring file. It hands Electron's modules to the small modules under
 * main/electron/ (each tested under Node with fakes of the Electron methods it uses) and connects
 * them: the window registry, recent files, window bounds, the launch queue, the desktop router,
 * the app:// protocol, permissions, the IPC bridge and the lifecycle. docs/security.md walks
 * through the security settings.
 */
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, screen, session, shell, type WebContents } from 'electron';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AppInfo } from '../shared/ipc/contract.js';
import { createBackend } from './backend.js';
import { Grants } from './services/grants.js';
import { grantDropped, grantHandedOver, grantingDialogs } from './electron/grant-points.js';
import { APP_SCHEME } from './electron/app-protocol.js';
import { serveAppProtocol } from './electron/app-protocol-handler.js';
import { AppWindow } from './electron/app-window.js';
import { createDesktopRouter } from './electron/desktop-router.js';
import { createFileDialogs } from './electron/file-dialogs.js';
import { installIpcBridge } from './electron/ipc-bridge.js';
import { EVENT_CHANNEL } from './electron/ipc-names.js';
import { createLaunchQueue } from './electron/launch-queue.js';
import { createLifecycle } from './electron/lifecycle.js';
import { externalOpener, lockDown } from './electron/lock-down.js';
import { buildMenuTemplate, MENU_LABELS, menuLanguage, type MenuLanguage } from './electron/menu.js';
import { createMenuActions } from './electron/menu-actions.js';
import { refusePermissions } from './electron/permissions.js';
import { createRecentFiles } from './electron/recent-files.js';
import { EXTERNAL_HOSTS, externalUrlAllowed, hostOf } from './electron/security.js';
import { UNSAVED_LABELS } from './electron/unsaved.js';
import { forkUtilityWorker } from './electron/utility-worker.js';
import { createWindowBounds } from './electron/window-bounds.js';
import { createWindowRegistry } from './electron/window-registry.js';
import { appRoot, outDir, rendererDir } from './paths.js';

const APP_ID = 'org.nnstudio.app';
const platform = process.platform;
const isDev = !app.isPackaged;
const log = (line: string) => console.error(line);

// Tests and portable set-ups may keep settings elsewhere; must happen before `ready`.
if (process.env.NN_STUDIO_USER_DATA) app.setPath('userData', process.env.NN_STUDIO_USER_DATA);

// The renderer's origin (app://nn-studio): standard and secure, so it behaves like an https page.
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

const manifest = JSON.parse(readFileSync(join(appRoot, 'package.json'), 'utf8')) as { homepage?: string; bugs?: { url?: string } | string };
const docsUrl = manifest.homepage && hostOf(manifest.homepage) ? manifest.homepage : null;
const externalHosts = [...EXTERNAL_HOSTS, hostOf(manifest.homepage), hostOf(typeof manifest.bugs === 'string' ? manifest.bugs : manifest.bugs?.url)]
  .filter((h): h is string => !!h);

/** Links leave for the system browser only when safe (docs/security.md, item 15). */
const openExternal = externalOpener(shell, (url) => externalUrlAllowed(url, externalHosts));

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  const userData = app.getPath('userData');
  // What the person chose (dialogs, drops, Open Recent, files the OS opened): the only paths the page may name.
  const grants = new Grants();
  const backend = createBackend({ mode: 'electron', forkWorker: forkUtilityWorker, dataDir: userData, log, grants });
  let language: MenuLanguage = 'en'; // read once the app is ready

  const recent = createRecentFiles({ app }, { file: join(userData, 'recent.json'), platform, exists: existsSync, onChange: () => buildMenu(), log });
  const bounds = createWindowBounds({ screen }, { file: join(userData, 'window-state.json') });
  const lifecycle = createLifecycle({ app }, {
    platform,
    flush: () => Promise.allSettled([backend.dispose(), recent.idle(), bounds.idle()]),
  });
  const windows = createWindowRegistry<AppWindow>({ BrowserWindow }, { create: createWindow, onClosed: lifecycle.windowClosed });
  const launches = createLaunchQueue<AppWindow>({ app }, { argv: process.argv, cwd: process.cwd(), defaultApp: !!process.defaultApp, platform, windows,
    grant: (file) => void grantHandedOver(grants, file.path, file.kind),
  });
  const dialogs = grantingDialogs(createFileDialogs({ dialog }, platform), grants);
  const runMenuAction = createMenuActions<AppWindow>({ app, dialog, BrowserWindow }, {
    platform,
    windows,
    dialogs,
    recent,
    exists: existsSync,
    appInfo: async () => {
      const reply = await backend.router('app:info', undefined);
      return reply.ok ? (reply.value as AppInfo) : null;
    },
    docsUrl,
    openExternal,
    grantRecent: (path) => grantHandedOver(grants, path, 'project'),
  });

  function createWindow(): AppWindow {
    const { bounds: rect, maximized } = bounds.next();
    const win = windows.add(new AppWindow({
      preload: join(outDir, 'main', 'preload.cjs'),
      bounds: rect,
      maximized,
      isDev,
      labels: UNSAVED_LABELS[language],
      quitting: lifecycle.quitting,
      onDocumentPath: (path) => recent.add(path),
      onSaveBounds: (state) => bounds.remember(state),
      onCloseCancelled: lifecycle.cancelQuit,
    }));
    launches.deliverPending(win);
    return win;
  }

  function buildMenu(): void {
    const template = buildMenuTemplate(
      { platform, isDev, recent: [...recent.list()], docsAvailable: docsUrl !== null, labels: MENU_LABELS[language] },
      (action) => void runMenuAction(action).catch((e: Error) => log(`menu: ${e.stack ?? e.message}`)),
    );
    Menu.setApplicationMenu(Menu.buildFromTemplate(template));
  }

  app.on('second-instance', (_event, argv, workingDirectory) => launches.secondInstance(argv, workingDirectory));
  // macOS: a project double-clicked in Finder or dropped on the Dock icon (may come before `ready`).
  app.on('open-file', (event, path) => launches.openFile(event, path));
  app.on('web-contents-created', (_event, contents: WebContents) => lockDown(contents, openExternal));

  app.whenReady().then(async () => {
    if (platform === 'win32') app.setAppUserModelId(APP_ID);
    language = menuLanguage(app.getPreferredSystemLanguages());
    await Promise.all([recent.load(), bounds.load()]);

    // The page and its assets, from the built renderer only, each response with the CSP header.
    serveAppProtocol({ protocol }, rendererDir);
    refusePermissions(session.defaultSession);
    installIpcBridge<AppWindow>({ ipcMain }, {
      windowFor: (id) => windows.get(id),
      desktopRouter: createDesktopRouter<AppWindow>(dialogs, log),
      backendRouter: backend.router,
      onListening: (win) => win.markListening(),
      onDropped: (paths) => void grantDropped(grants, paths),
    });
    backend.onEvent((channel, payload) => {
      for (const win of windows.all()) win.webContents.send(EVENT_CHANNEL, channel, payload);
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
}
