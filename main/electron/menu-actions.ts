/**
 * What each menu item does (the menu's layout is menu.ts): commands for the target window's page,
 * the Open and Import dialogs, Open Recent (a file that is gone leaves the list, with a message),
 * About, and the documentation link. Takes Electron's `app`, `dialog` and `BrowserWindow` as
 * parameters, so it is tested under Node with fakes.
 */
import type { App, BaseWindow, BrowserWindow, Dialog } from 'electron';
import type { AppInfo } from '../../shared/ipc/contract.js';
import type { MenuCommand } from '../../shared/ipc/desktop.js';
import { aboutLines, aboutMessage } from './about.js';
import type { FileDialogs } from './file-dialogs.js';
import type { MenuAction } from './menu.js';
import type { RecentFiles } from './recent-files.js';

export interface MenuElectron {
  app: Pick<App, 'setAboutPanelOptions' | 'showAboutPanel'>;
  dialog: Pick<Dialog, 'showMessageBox'>;
  BrowserWindow: Pick<typeof BrowserWindow, 'getFocusedWindow'>;
}

export interface MenuOptions<W> {
  platform: string;
  windows: { target(): W };
  dialogs: FileDialogs;
  recent: RecentFiles;
  exists: (path: string) => boolean;
  appInfo: () => Promise<AppInfo | null>;
  docsUrl: string | null;
  openExternal: (url: string) => void;
  /** Records an Open Recent choice as a grant before the page opens it (the grant model). */
  grantRecent?: (path: string) => Promise<void>;
}

/** The function the menu calls with the action of the clicked item. */
export function createMenuActions<W extends { window: BaseWindow; send(command: MenuCommand): void }>(electron: MenuElectron, options: MenuOptions<W>): (action: MenuAction) => Promise<void> {
  const { app, dialog, BrowserWindow } = electron;

  async function showAbout(): Promise<void> {
    const info = await options.appInfo();
    if (!info) return;
    if (options.platform === 'darwin') {
      app.setAboutPanelOptions({ applicationName: info.name, applicationVersion: info.version, credits: aboutLines(info).slice(1).join('\n') });
      app.showAboutPanel();
      return;
    }
    const about = aboutMessage(info);
    const parent = BrowserWindow.getFocusedWindow();
    const box = { type: 'info' as const, title: about.title, message: about.message, detail: about.detail, buttons: ['OK'], noLink: true };
    await (parent ? dialog.showMessageBox(parent, box) : dialog.showMessageBox(box));
  }

  return async (action) => {
    const send = (command: MenuCommand) => options.windows.target().send(command);
    switch (action.type) {
      case 'new':
      case 'save':
      case 'save-as':
      case 'export-model':
        return send({ command: action.type });
      case 'open': {
        const win = options.windows.target();
        const [path] = await options.dialogs.open(win.window, 'project');
        if (path) win.send({ command: 'open', path });
        return;
      }
      case 'open-recent':
        if (options.exists(action.path)) {
          await options.grantRecent?.(action.path);
          return send({ command: 'open', path: action.path });
        }
        options.recent.remove(action.path);
        await dialog.showMessageBox({ type: 'error', message: `“${action.path}” could not be found.`, detail: 'It was moved or deleted, so it has been removed from Open Recent.' });
        return;
      case 'clear-recent':
        return options.recent.clear();
      case 'import-dataset': {
        const win = options.windows.target();
        const paths = await options.dialogs.open(win.window, 'dataset');
        if (paths.length) win.send({ command: 'import-dataset', paths });
        return;
      }
      case 'close':
        BrowserWindow.getFocusedWindow()?.close();
        return;
      case 'about':
        return showAbout();
      case 'docs':
        if (options.docsUrl) options.openExternal(options.docsUrl);
        return;
      default:
        throw new Error(`unknown menu action ${JSON.stringify(action satisfies never)}`);
    }
  };
}
