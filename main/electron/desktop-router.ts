/**
 * The desktop-only request channels (native dialogs, the window's document state), answered with
 * the window that asked. The dialogs are passed in (file-dialogs.ts), so it is tested under Node.
 */
import type { BaseWindow } from 'electron';
import type { DocumentState, UnsavedChoice, UnsavedReason } from '../../shared/ipc/desktop.js';
import { createRouter, type Router } from '../ipc/router.js';
import type { FileDialogs } from './file-dialogs.js';

/** What the desktop channels need of a studio window (AppWindow has it). */
export interface DesktopWindow {
  readonly window: BaseWindow;
  askUnsaved(reason: UnsavedReason): Promise<UnsavedChoice>;
  setDocument(state: DocumentState): void;
  settleSave(replyId: number, saved: boolean): boolean;
}

export function createDesktopRouter<W extends DesktopWindow>(dialogs: FileDialogs, log: (line: string) => void): Router<W> {
  return createRouter<W>({
    'dialog:open': async ({ kind }, win) => ({ paths: await dialogs.open(win.window, kind) }),
    'dialog:save': async (request, win) => ({ path: await dialogs.save(win.window, request) }),
    'dialog:unsaved': async ({ reason }, win) => ({ choice: await win.askUnsaved(reason) }),
    'window:document': (state, win) => {
      win.setDocument(state);
      return null;
    },
    'window:saved': ({ replyId, saved }, win) => {
      win.settleSave(replyId, saved);
      return null;
    },
  }, log);
}
