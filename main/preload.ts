/**
 * The preload (sandboxed): exposes `window.studio`, a transport limited to the IPC contract's
 * channels (desktop ones included), and the resolution of
 * dropped files to their paths (each reported to main as a grant). Channel names are checked here as well as in main, so a
 * compromised page cannot reach any other ipcMain handler through this bridge; listeners get the
 * payload only, never Electron's event object (it would hand the page `ipcRenderer`).
 *
 * The channel names come from the contract at build time (build/scripts/build.mjs defines
 * STUDIO_CHANNELS): the preload carries two lists of strings instead of the contract's schemas
 * (zod and ~21 shared modules); main validates every payload.
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import type { EventChannel, InvokeChannel, Result } from '../shared/ipc/contract.js';
import type { StudioBridge } from './preload-api.js';
import { collectDroppedPaths } from './electron/drop.js';
import { EVENT_CHANNEL, GRANT_CHANNEL, INVOKE_CHANNEL, LISTEN_CHANNEL } from './electron/ipc-names.js';

/** Replaced by the build with the contract's channel names. */
declare const STUDIO_CHANNELS: { invoke: string[]; event: string[] };
const invokeNames = new Set(STUDIO_CHANNELS.invoke);
const eventNames = new Set(STUDIO_CHANNELS.event);
const isInvokeChannel = (name: unknown): name is InvokeChannel => typeof name === 'string' && invokeNames.has(name);
const isEventChannel = (name: unknown): name is EventChannel => typeof name === 'string' && eventNames.has(name);

/**
 * A dropped or picked file's path, which main also records as a grant (the person chose it).
 * Sent before the page can use the path: main handles the grant before any later request.
 */
const pathOf = (file: unknown) => {
  const path = webUtils.getPathForFile(file as File);
  if (path) ipcRenderer.send(GRANT_CHANNEL, [path]);
  return path;
};

const bridge: StudioBridge = {
  invoke(channel, payload) {
    if (!isInvokeChannel(channel)) {
      return Promise.resolve({ ok: false, error: { name: 'UnknownChannel', message: `unknown request channel ${JSON.stringify(channel)}` } });
    }
    return ipcRenderer.invoke(INVOKE_CHANNEL, channel, payload) as Promise<Result<unknown>>;
  },
  on(channel, listener) {
    if (!isEventChannel(channel)) throw new Error(`unknown event channel ${JSON.stringify(channel)}`);
    const handler = (_event: Electron.IpcRendererEvent, name: string, payload: unknown) => {
      if (name === channel) listener(payload);
    };
    ipcRenderer.on(EVENT_CHANNEL, handler);
    // Main holds back commands (a file the app was launched with) until the page listens.
    ipcRenderer.send(LISTEN_CHANNEL, channel);
    return () => void ipcRenderer.removeListener(EVENT_CHANNEL, handler);
  },
  pathForFile: (file) => pathOf(file),
  droppedPaths: (files) => collectDroppedPaths(files, pathOf),
};

contextBridge.exposeInMainWorld('studio', bridge);
