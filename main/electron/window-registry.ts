/**
 * The open studio windows, by the id of their web contents (what an IPC event names as its
 * sender), and the choice of the window a menu command or a file from the OS is for: the focused
 * one, else any, else a new one. Takes Electron's BrowserWindow (for the focused window) as a
 * parameter, so it is tested under Node with a fake.
 */
import type { BrowserWindow } from 'electron';

/** What the registry needs of a studio window (main/electron/app-window.ts's AppWindow has it). */
export interface RegisteredWindow {
  readonly webContents: { readonly id: number };
  readonly window: { on(event: 'closed', listener: () => void): unknown; isMinimized(): boolean; restore(): void; focus(): void };
}

export interface WindowRegistry<W extends RegisteredWindow> {
  /** Registers a window; it leaves the registry when it closes, then `onClosed` runs. */
  add(win: W): W;
  /** The window whose web contents has this id. */
  get(contentsId: number): W | undefined;
  /** The focused studio window, else any, else a new one (made with `create`). */
  target(): W;
  /** Restores a minimised window and focuses it. */
  bringToFront(win: W): void;
  all(): IterableIterator<W>;
  readonly size: number;
}

/** A registry whose `target()` makes a window with `create` when none is open. */
export function createWindowRegistry<W extends RegisteredWindow>(
  electron: { BrowserWindow: Pick<typeof BrowserWindow, 'getFocusedWindow'> },
  options: { create: () => W; onClosed?: () => void },
): WindowRegistry<W> {
  const windows = new Map<number, W>();
  return {
    add(win) {
      const id = win.webContents.id;
      windows.set(id, win);
      win.window.on('closed', () => {
        windows.delete(id);
        options.onClosed?.();
      });
      return win;
    },
    get: (id) => windows.get(id),
    target() {
      const focused = electron.BrowserWindow.getFocusedWindow();
      const win = (focused && windows.get(focused.webContents.id)) ?? windows.values().next().value;
      return win ?? options.create();
    },
    bringToFront(win) {
      if (win.window.isMinimized()) win.window.restore();
      win.window.focus();
    },
    all: () => windows.values(),
    get size() {
      return windows.size;
    },
  };
}
