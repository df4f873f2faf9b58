/**
 * Main's end of the preload's bridge: requests from the app's own page in a top frame go to the
 * desktop router (dialogs, window state) or the backend; anything else is refused. The page's
 * "I listen for commands now" releases the commands its window held back. Takes Electron's
 * `ipcMain` as a parameter, so it is tested under Node with a fake.
 */
import type { IpcMain } from 'electron';
import type { Result } from '../../shared/ipc/contract.js';
import { isDesktopInvokeChannel } from '../../shared/ipc/desktop.js';
import type { Router } from '../ipc/router.js';
import { GRANT_CHANNEL, INVOKE_CHANNEL, LISTEN_CHANNEL } from './ipc-names.js';
import { isTrustedSender } from './security.js';

/** What an IPC event tells about who sent it. */
export interface IpcSender {
  sender: { id: number };
  senderFrame: { url: string; parent: unknown } | null;
}

export const FORBIDDEN: Result<never> = { ok: false, error: { name: 'Forbidden', message: 'this page may not call NN Studio' } };

export interface BridgeOptions<W> {
  /** The studio window whose web contents has this id. */
  windowFor(contentsId: number): W | undefined;
  desktopRouter: Router<W>;
  backendRouter: Router;
  /** The page of `win` listens for menu commands now. */
  onListening(win: W): void;
  /** The preload reports the paths of files the person dropped or picked (the grant model). */
  onDropped?(paths: unknown): void;
}

/** The window behind a request, when it comes from the app's page in a top frame (checklist item 17). */
export function trustedWindow<W>(event: IpcSender, windowFor: (contentsId: number) => W | undefined): W | null {
  const frame = event.senderFrame;
  if (!isTrustedSender(frame ? { url: frame.url, isTopFrame: frame.parent === null } : null)) return null;
  return windowFor(event.sender.id) ?? null;
}

export function installIpcBridge<W>(electron: { ipcMain: Pick<IpcMain, 'handle' | 'on'> }, options: BridgeOptions<W>): void {
  electron.ipcMain.handle(INVOKE_CHANNEL, (event, channel: unknown, payload: unknown) => {
    const win = trustedWindow(event as IpcSender, options.windowFor);
    if (!win) return FORBIDDEN;
    return isDesktopInvokeChannel(channel) ? options.desktopRouter(channel, payload, win) : options.backendRouter(channel, payload);
  });
  electron.ipcMain.on(LISTEN_CHANNEL, (event, channel: unknown) => {
    const win = channel === 'menu:command' ? trustedWindow(event as IpcSender, options.windowFor) : null;
    if (win) options.onListening(win);
  });
  electron.ipcMain.on(GRANT_CHANNEL, (event, paths: unknown) => {
    if (trustedWindow(event as IpcSender, options.windowFor)) options.onDropped?.(paths);
  });
}
