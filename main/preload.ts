/**
 * The preload (sandboxed): exposes `window.studio`, a transport limited to the IPC contract's
 * channels. Channel names are checked here as well as in main, so a compromised page cannot reach
 * any other ipcMain handler through this bridge.
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { isEventChannel, isInvokeChannel, type Result } from '../shared/ipc/contract.js';
import type { StudioBridge } from './preload-api.js';
import { EVENT_CHANNEL, INVOKE_CHANNEL } from './electron/ipc-names.js';

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
    return () => void ipcRenderer.removeListener(EVENT_CHANNEL, handler);
  },
  pathForFile: (file) => webUtils.getPathForFile(file),
};

contextBridge.exposeInMainWorld('studio', bridge);
