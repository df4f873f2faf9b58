/**
 * The desktop shell's modules (main/electron/*), each driven under Node with plain fakes of the
 * few Electron methods it uses (Electron's runtime cannot start here), real files for what they
 * store, and the built preload loaded with a fake `electron` module.
 */
import { EventEmitter } from 'node:events';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { eventChannels, invokeChannels } from '../../shared/ipc/contract.js';
import type { MenuCommand } from '../../shared/ipc/desktop.js';
import { appRequestHandler } from '../../main/electron/app-protocol-handler.js';
import { APP_CSP, APP_INDEX_URL } from '../../main/electron/app-protocol.js';
import { createDesktopRouter } from '../../main/electron/desktop-router.js';
import { createFileDialogs } from '../../main/electron/file-dialogs.js';
import { FORBIDDEN, installIpcBridge } from '../../main/electron/ipc-bridge.js';
import { GRANT_CHANNEL } from '../../main/electron/ipc-names.js';
import { INVOKE_CHANNEL, LISTEN_CHANNEL } from '../../main/electron/ipc-names.js';
import { createLaunchQueue } from '../../main/electron/launch-queue.js';
import { createLifecycle } from '../../main/electron/lifecycle.js';
import { externalOpener, lockDown, type LockableContents } from '../../main/electron/lock-down.js';
import { createMenuActions } from '../../main/electron/menu-actions.js';
import { refusePermissions, type PermissionSession } from '../../main/electron/permissions.js';
import { createRecentFiles } from '../../main/electron/recent-files.js';
import { createWindowBounds } from '../../main/electron/window-bounds.js';
import { createWindowRegistry, type WindowRegistry } from '../../main/electron/window-registry.js';
import { createRouter } from '../../main/ipc/router.js';
import { outDir } from '../../main/paths.js';

const tempDir = () => mkdtempSync(join(tmpdir(), 'nn-shell-'));

/** A studio window as the modules see it: an id, a BrowserWindow-like emitter, and the commands it was sent. */
class FakeWindow {
  readonly sent: MenuCommand[] = [];
  readonly window = Object.assign(new EventEmitter(), { minimized: false, focused: false, isMinimized() { return this.minimized; }, restore() { this.minimized = false; }, focus() { this.focused = true; }, close() {} });
  readonly webContents: { id: number };
  constructor(id: number) {
    this.webContents = { id };
  }
  send(command: MenuCommand) {
    this.sent.push(command);
  }
}

/** A navigation event as Electron passes it (details with the URL, and preventDefault). */
const navigation = (url: string) => ({ url, prevented: false, preventDefault() { this.prevented = true; } });

describe('lockDown', () => {
  function locked() {
    const contents = Object.assign(new EventEmitter(), { openHandler: null as null | ((d: { url: string }) => { action: string }), setWindowOpenHandler(h: (d: { url: string }) => { action: string }) { this.openHandler = h; } });
    const opened: string[] = [];
    lockDown(contents as unknown as LockableContents, (url) => opened.push(url));
    return { contents, opened };
  }

  it('refuses navigation, server redirects and sub-frame navigation, to the app’s own URLs too', () => {
    const { contents } = locked();
    for (const name of ['will-navigate', 'will-redirect', 'will-frame-navigate']) {
      for (const url of ['https://evil.example/', APP_INDEX_URL, 'file:///etc/passwd']) {
        const event = navigation(url);
        contents.emit(name, event);
        expect(event.prevented, `${name} ${url}`).toBe(true);
      }
    }
  });

  it('refuses <webview>s and new windows, handing the link to the opener instead', () => {
    const { contents, opened } = locked();
    const attach = navigation('');
    contents.emit('will-attach-webview', attach);
    expect(attach.prevented).toBe(true);
    expect(contents.openHandler?.({ url: 'https://github.com/x' })).toEqual({ action: 'deny' });
    expect(opened).toEqual(['https://github.com/x']);
  });

  it('opens in the system browser only the URLs the check allows, after the event has returned', async () => {
    const openExternal = vi.fn(async (_url: string) => {});
    const open = externalOpener({ openExternal }, (url) => url.startsWith('https://github.com/'));
    open('https://github.com/a');
    open('file:///etc/passwd');
    expect(openExternal).not.toHaveBeenCalled();
    await new Promise((resolve) => setImmediate(resolve));
    expect(openExternal.mock.calls).toEqual([['https://github.com/a']]);
  });
});

describe('the window registry', () => {
  it('targets the focused window, else any, else makes one; a closed window leaves it', () => {
    let focused: FakeWindow | null = null;
    const made: FakeWindow[] = [];
    const closed = vi.fn();
    const create = (): FakeWindow => {
      const win = new FakeWindow(100 + made.length);
      made.push(win);
      return registry.add(win);
    };
    const registry: WindowRegistry<FakeWindow> = createWindowRegistry<FakeWindow>({ BrowserWindow: { getFocusedWindow: () => focused as never } }, { create, onClosed: closed });
    const first = registry.target();
    expect(made).toHaveLength(1);
    const a = registry.add(new FakeWindow(1));
    const b = registry.add(new FakeWindow(2));
    expect(registry.target()).toBe(first); // none focused: the first registered
    focused = b;
    expect(registry.target()).toBe(b);
    expect(registry.get(1)).toBe(a);
    b.window.emit('closed');
    expect(registry.get(2)).toBeUndefined();
    expect(closed).toHaveBeenCalledTimes(1);
    expect(registry.target()).toBe(first); // the focused one is gone
    expect(registry.size).toBe(2);
    a.window.minimized = true;
    registry.bringToFront(a);
    expect([a.window.minimized, a.window.focused]).toEqual([false, true]);
  });
});

describe('recent files and window bounds, stored in real files', () => {
  it('keeps the list in recent.json and the OS list, newest first, dropping files that are gone', async () => {
    const dir = tempDir();
    const file = join(dir, 'recent.json');
    const exists = (p: string) => !p.includes('gone');
    writeFileSync(file, JSON.stringify(['/p/a.nnstudio', '/p/gone.nnstudio', '/p/b.nnstudio']));
    const app = { addRecentDocument: vi.fn(), clearRecentDocuments: vi.fn() };
    const changes: string[][] = [];
    const recent = createRecentFiles({ app }, { file, platform: 'linux', exists, onChange: (l) => changes.push([...l]), log: () => {} });
    expect(await recent.load()).toEqual(['/p/a.nnstudio', '/p/b.nnstudio']);
    recent.add('/p/b.nnstudio');
    expect(recent.list()).toEqual(['/p/b.nnstudio', '/p/a.nnstudio']);
    expect(app.addRecentDocument).toHaveBeenCalledWith('/p/b.nnstudio');
    recent.remove('/p/a.nnstudio');
    await recent.idle();
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(['/p/b.nnstudio']);
    recent.clear();
    await recent.idle();
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual([]);
    expect(app.clearRecentDocuments).toHaveBeenCalledTimes(1);
    expect(changes).toEqual([['/p/b.nnstudio', '/p/a.nnstudio'], ['/p/b.nnstudio'], []]);
  });

  it('reopens where the last window was when it still fits a display, else centred on the primary one', async () => {
    const dir = tempDir();
    const file = join(dir, 'window-state.json');
    let displays = [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }, { workArea: { x: 1920, y: 0, width: 1920, height: 1080 } }];
    const screen = { getPrimaryDisplay: () => displays[0] as never, getAllDisplays: () => displays as never };
    const bounds = createWindowBounds({ screen }, { file });
    await bounds.load();
    expect(bounds.next()).toEqual({ bounds: { x: 320, y: 140, width: 1280, height: 800 }, maximized: false });
    bounds.remember({ x: 2000, y: 100, width: 1000, height: 700, maximized: true, fullScreen: false });
    await bounds.idle();
    const again = createWindowBounds({ screen }, { file });
    await again.load();
    expect(again.next()).toEqual({ bounds: { x: 2000, y: 100, width: 1000, height: 700 }, maximized: true });
    displays = [displays[0]]; // the second monitor was unplugged
    expect(again.next().bounds).toEqual({ x: 460, y: 190, width: 1000, height: 700 });
  });
});

describe('the launch queue', () => {
  function queue(argv: string[], ready: { value: boolean }) {
    const win = new FakeWindow(1);
    const fronted: FakeWindow[] = [];
    const q = createLaunchQueue<FakeWindow>({ app: { isReady: () => ready.value } }, {
      argv, cwd: '/home/me', defaultApp: false, platform: 'linux',
      windows: { target: () => win, bringToFront: (w) => fronted.push(w) },
    });
    return { q, win, fronted };
  }

  it('holds the launch file and early open-file events until the first window, then delivers them in order', () => {
    const ready = { value: false };
    const { q, win } = queue(['/opt/nn-studio', 'work/p.nnstudio'], ready);
    const event = navigation('');
    q.openFile(event, '/data/iris.csv');
    q.openFile(navigation(''), '/tmp/notes.docx'); // not a project or dataset: ignored
    expect(event.prevented).toBe(true);
    expect(win.sent).toEqual([]);
    q.deliverPending(win);
    expect(win.sent).toEqual([{ command: 'open', path: '/home/me/work/p.nnstudio' }, { command: 'import-dataset', paths: ['/data/iris.csv'] }]);
    q.deliverPending(win);
    expect(win.sent).toHaveLength(2); // delivered once
  });

  it('sends a second launch’s file to the front window, or only brings a window forward', () => {
    const { q, win, fronted } = queue(['/opt/nn-studio'], { value: true });
    q.secondInstance(['/opt/nn-studio', '--inspect', 'b.nnstudio'], '/srv');
    expect(win.sent).toEqual([{ command: 'open', path: '/srv/b.nnstudio' }]);
    q.secondInstance(['/opt/nn-studio'], '/srv');
    expect(win.sent).toHaveLength(1);
    expect(fronted).toEqual([win, win]);
  });
});

describe('dialogs, the desktop router and the menu actions', () => {
  const parent = { id: 'parent' };
  const dialog = {
    showOpenDialog: vi.fn(async (_w: unknown, _o: unknown) => ({ canceled: false, filePaths: ['/d/a.csv', '/d/b.csv'] })),
    showSaveDialog: vi.fn(async (_w: unknown, _o: unknown) => ({ canceled: false, filePath: '/out/model' })),
    showMessageBox: vi.fn(async (..._args: unknown[]) => ({ response: 0, checkboxChecked: false })),
  };
  afterEach(() => vi.clearAllMocks());

  it('shows the dialogs on the asking window and answers the desktop channels, validating payloads first', async () => {
    const dialogs = createFileDialogs({ dialog: dialog as never }, 'linux');
    const win = { window: parent as never, askUnsaved: vi.fn(async () => 'discard' as const), setDocument: vi.fn(), settleSave: vi.fn(() => true) };
    const router = createDesktopRouter(dialogs, () => {});
    expect(await router('dialog:open', { kind: 'dataset' }, win)).toEqual({ ok: true, value: { paths: ['/d/a.csv', '/d/b.csv'] } });
    expect(dialog.showOpenDialog.mock.calls[0][0]).toBe(parent);
    const saved = await router('dialog:save', { kind: 'export', format: 'onnx', name: 'm' }, win);
    expect(saved).toEqual({ ok: true, value: { path: '/out/model.onnx' } });
    expect(dialog.showSaveDialog.mock.calls[0][1]).toMatchObject({ properties: ['createDirectory', 'showOverwriteConfirmation'] });
    expect(await router('dialog:unsaved', { name: 'x', reason: 'close' }, win)).toEqual({ ok: true, value: { choice: 'discard' } });
    expect(await router('window:saved', { replyId: 3, saved: true }, win)).toEqual({ ok: true, value: null });
    expect(win.settleSave).toHaveBeenCalledWith(3, true);
    const bad = await router('dialog:open', { kind: '/etc/passwd' }, win);
    expect(bad.ok).toBe(false);
    expect(dialog.showOpenDialog).toHaveBeenCalledTimes(1);
    dialog.showOpenDialog.mockResolvedValueOnce({ canceled: true, filePaths: ['/ignored'] });
    expect(await dialogs.open(parent as never, 'project')).toEqual([]);
  });

  it('runs menu actions: commands to the target window, Open through the dialog, a missing recent file dropped with a message', async () => {
    const win = Object.assign(new FakeWindow(1), { window: parent as never });
    const recent = { remove: vi.fn(), clear: vi.fn() };
    const run = createMenuActions<typeof win>({ app: { setAboutPanelOptions: vi.fn(), showAboutPanel: vi.fn() }, dialog: dialog as never, BrowserWindow: { getFocusedWindow: () => null } }, {
      platform: 'linux', windows: { target: () => win }, dialogs: createFileDialogs({ dialog: dialog as never }, 'linux'), recent: recent as never,
      exists: (p) => p === '/p/here.nnstudio', appInfo: async () => null, docsUrl: null, openExternal: () => {},
    });
    await run({ type: 'save' });
    await run({ type: 'open' });
    await run({ type: 'open-recent', path: '/p/here.nnstudio' });
    await run({ type: 'open-recent', path: '/p/gone.nnstudio' });
    expect(win.sent).toEqual([{ command: 'save' }, { command: 'open', path: '/d/a.csv' }, { command: 'open', path: '/p/here.nnstudio' }]);
    expect(recent.remove).toHaveBeenCalledWith('/p/gone.nnstudio');
    expect(String((dialog.showMessageBox.mock.calls[0][0] as { message: string }).message)).toContain('/p/gone.nnstudio');
  });
});

describe('the app:// protocol handler, over real files', () => {
  it('serves the renderer’s files with the CSP, and 404 for anything outside or missing', async () => {
    const root = tempDir();
    mkdirSync(join(root, 'assets'));
    writeFileSync(join(root, 'index.html'), '<!doctype html><p>studio</p>');
    writeFileSync(join(root, '..', 'secret.txt'), 'secret');
    const handle = appRequestHandler(root);
    const page = await handle({ url: APP_INDEX_URL });
    expect(page.status).toBe(200);
    expect(await page.text()).toBe('<!doctype html><p>studio</p>');
    expect(page.headers.get('content-security-policy')).toBe(APP_CSP);
    for (const url of ['app://nn-studio/assets/missing.js', 'app://nn-studio/%2e%2e/secret.txt', 'app://other/index.html']) {
      expect((await handle({ url })).status, url).toBe(404);
    }
  });
});

describe('permissions', () => {
  it('refuses every permission request and check but the app page’s clipboard write, and every device', () => {
    const handlers: Record<string, (...args: never[]) => unknown> = {};
    const session = {
      setPermissionRequestHandler: (h: never) => (handlers.request = h),
      setPermissionCheckHandler: (h: never) => (handlers.check = h),
      setDevicePermissionHandler: (h: never) => (handlers.device = h),
    } as unknown as PermissionSession;
    refusePermissions(session);
    const answers: boolean[] = [];
    const request = handlers.request as unknown as (c: unknown, p: string, cb: (ok: boolean) => void, d: { requestingUrl?: string }) => void;
    request(null, 'media', (ok) => answers.push(ok), { requestingUrl: APP_INDEX_URL });
    request(null, 'clipboard-sanitized-write', (ok) => answers.push(ok), { requestingUrl: APP_INDEX_URL });
    request({ getURL: () => 'https://evil.example/' }, 'clipboard-sanitized-write', (ok) => answers.push(ok), {});
    expect(answers).toEqual([false, true, false]);
    const check = handlers.check as unknown as (c: unknown, p: string, origin: string) => boolean;
    expect(check(null, 'geolocation', 'app://nn-studio')).toBe(false);
    expect((handlers.device as unknown as () => boolean)()).toBe(false);
  });
});

describe('the IPC bridge', () => {
  it('answers only the app’s page in a top frame of a known window, routing desktop channels with the window', async () => {
    const handles = new Map<string, (...args: unknown[]) => unknown>();
    const ipcMain = { handle: (c: string, h: never) => void handles.set(c, h), on: (c: string, h: never) => handles.set(c, h) };
    const win = new FakeWindow(7);
    const listening: FakeWindow[] = [];
    const desktopRouter = vi.fn(async (_c: unknown, _p: unknown, w: FakeWindow) => ({ ok: true as const, value: w.webContents.id }));
    const backendRouter = createRouter({ 'app:info': () => ({ name: 'NN Studio' }) as never });
    installIpcBridge<FakeWindow>({ ipcMain: ipcMain as never }, { windowFor: (id) => (id === 7 ? win : undefined), desktopRouter, backendRouter, onListening: (w) => listening.push(w) });
    const invoke = handles.get(INVOKE_CHANNEL)!;
    const from = (url: string, parent: unknown = null, id = 7) => ({ sender: { id }, senderFrame: { url, parent } });
    expect(await invoke(from(APP_INDEX_URL), 'window:document', {})).toEqual({ ok: true, value: 7 });
    expect(await invoke(from(APP_INDEX_URL), 'app:info', undefined)).toEqual({ ok: true, value: { name: 'NN Studio' } });
    expect(await invoke(from('https://evil.example/'), 'app:info', undefined)).toEqual(FORBIDDEN);
    expect(await invoke(from(APP_INDEX_URL, { frame: 'top' }), 'app:info', undefined)).toEqual(FORBIDDEN);
    expect(await invoke(from(APP_INDEX_URL, null, 8), 'app:info', undefined)).toEqual(FORBIDDEN);
    expect(desktopRouter).toHaveBeenCalledTimes(1);
    const listen = handles.get(LISTEN_CHANNEL)!;
    listen(from('https://evil.example/'), 'menu:command');
    listen(from(APP_INDEX_URL), 'run:progress');
    expect(listening).toEqual([]);
    listen(from(APP_INDEX_URL), 'menu:command');
    expect(listening).toEqual([win]);
  });

  it('passes dropped paths on as grants only from the app’s own page', () => {
    const handles = new Map<string, (...args: unknown[]) => unknown>();
    const ipcMain = { handle: (c: string, h: never) => void handles.set(c, h), on: (c: string, h: never) => handles.set(c, h) };
    const dropped: unknown[] = [];
    installIpcBridge<FakeWindow>({ ipcMain: ipcMain as never }, {
      windowFor: (id) => (id === 7 ? new FakeWindow(7) : undefined), desktopRouter: vi.fn() as never, backendRouter: createRouter({}),
      onListening: () => {}, onDropped: (paths) => dropped.push(paths),
    });
    const grant = handles.get(GRANT_CHANNEL)!;
    const from = (url: string, parent: unknown = null) => ({ sender: { id: 7 }, senderFrame: { url, parent } });
    grant(from('https://evil.example/'), ['/home/me/.ssh/id_rsa']);
    grant(from(APP_INDEX_URL, { frame: 'top' }), ['/etc/shadow']);
    expect(dropped).toEqual([]);
    grant(from(APP_INDEX_URL), ['/data/points.csv']);
    expect(dropped).toEqual([['/data/points.csv']]);
  });
});

describe('the lifecycle', () => {
  afterEach(() => vi.useRealTimers());

  function lifecycleWith(platform: string, flush: () => Promise<unknown>) {
    const app = Object.assign(new EventEmitter(), { quit: vi.fn() });
    const life = createLifecycle({ app: app as never }, { platform, flush, flushTimeoutMs: 5000 });
    return { app, life };
  }
  const willQuit = () => navigation('');

  it('quits when the last window closes, except on macOS unless quitting', () => {
    const linux = lifecycleWith('linux', async () => {});
    linux.app.emit('window-all-closed');
    expect(linux.app.quit).toHaveBeenCalledTimes(1);
    const mac = lifecycleWith('darwin', async () => {});
    mac.app.emit('window-all-closed');
    expect(mac.app.quit).not.toHaveBeenCalled();
    mac.app.emit('before-quit');
    expect(mac.life.quitting()).toBe(true);
    mac.life.windowClosed(); // a quit paused by an unsaved-changes question goes on
    expect(mac.app.quit).toHaveBeenCalledTimes(1);
    mac.life.cancelQuit();
    mac.life.windowClosed();
    expect(mac.app.quit).toHaveBeenCalledTimes(1);
  });

  it('holds the quit until the flush settles, then quits for real (once)', async () => {
    let finish!: () => void;
    const { app } = lifecycleWith('linux', () => new Promise<void>((resolve) => (finish = resolve)));
    const first = willQuit();
    app.emit('will-quit', first);
    expect(first.prevented).toBe(true);
    await Promise.resolve();
    expect(app.quit).not.toHaveBeenCalled();
    finish();
    await vi.waitFor(() => expect(app.quit).toHaveBeenCalledTimes(1));
    const second = willQuit();
    app.emit('will-quit', second);
    expect(second.prevented).toBe(false);
  });

  it('does not let a stuck worker keep the app from quitting', async () => {
    vi.useFakeTimers();
    const { app } = lifecycleWith('linux', () => new Promise(() => {}));
    app.emit('will-quit', willQuit());
    await vi.advanceTimersByTimeAsync(4999);
    expect(app.quit).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(app.quit).toHaveBeenCalledTimes(1);
  });
});

describe('the built preload', () => {
  /** Loads out/main/preload.cjs with a fake `electron` and returns the bridge it exposes. */
  function loadPreload() {
    const file = join(outDir, 'main', 'preload.cjs');
    const calls: unknown[][] = [];
    let exposed: Record<string, (...a: unknown[]) => unknown> | null = null;
    const electron = {
      contextBridge: { exposeInMainWorld: (_name: string, api: never) => (exposed = api) },
      ipcRenderer: { invoke: async (...args: unknown[]) => (calls.push(args), { ok: true, value: null }), on: () => {}, send: (...args: unknown[]) => calls.push(args), removeListener: () => {} },
      webUtils: { getPathForFile: () => '/x' },
    };
    const source = readFileSync(file, 'utf8');
    const fn = new Function('require', 'module', 'exports', source);
    const require = createRequire(file);
    fn((id: string) => (id === 'electron' ? electron : require(id)), { exports: {} }, {});
    return { bridge: exposed!, calls, size: source.length, source };
  }

  it('is small and carries no schema library, only the contract’s channel names', () => {
    const { size, source } = loadPreload();
    expect(size).toBeLessThan(20_000); // 472 KB when it bundled zod and the contract
    expect(source).not.toMatch(/ZodError|zod/i);
  });

  it('passes every contract channel through and refuses any other name', async () => {
    const { bridge, calls } = loadPreload();
    for (const channel of Object.keys(invokeChannels)) await bridge.invoke(channel, { x: 1 });
    expect(calls.map((c) => c[1])).toEqual(Object.keys(invokeChannels));
    expect(calls.every((c) => c[0] === INVOKE_CHANNEL)).toBe(true);
    for (const name of ['studio:listen', 'constructor', '__proto__', 'toString', 'fs:read', '']) {
      expect(await bridge.invoke(name, {}), name).toMatchObject({ ok: false, error: { name: 'UnknownChannel' } });
    }
    expect(calls).toHaveLength(Object.keys(invokeChannels).length);
    for (const channel of Object.keys(eventChannels)) expect(typeof bridge.on(channel, () => {})).toBe('function');
    expect(() => bridge.on('constructor', () => {})).toThrow(/unknown event channel/);
    expect(calls.filter((c) => c[0] === LISTEN_CHANNEL).map((c) => c[1])).toEqual(Object.keys(eventChannels));
  });
});
