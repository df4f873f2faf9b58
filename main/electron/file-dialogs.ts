/**
 * The native open and save dialogs, shown as sheets on the window that asked. The options are
 * built by dialogs.ts (pure); this shows them. Takes Electron's `dialog` as a parameter, so it is
 * tested under Node with a fake.
 */
import type { BaseWindow, Dialog } from 'electron';
import type { ParsedRequestOf } from '../../shared/ipc/contract.js';
import { openDialogSpec, savedPath, saveDialogSpec } from './dialogs.js';

type OpenKind = ParsedRequestOf<'dialog:open'>['kind'];

export interface FileDialogs {
  /** The paths the person picked (none if cancelled). */
  open(win: BaseWindow, kind: OpenKind): Promise<string[]>;
  /** The path the person chose to save to, with the format's extension; null if cancelled. */
  save(win: BaseWindow, request: ParsedRequestOf<'dialog:save'>): Promise<string | null>;
}

export function createFileDialogs(electron: { dialog: Pick<Dialog, 'showOpenDialog' | 'showSaveDialog'> }, platform: string): FileDialogs {
  const { dialog } = electron;
  return {
    async open(win, kind) {
      const result = await dialog.showOpenDialog(win, openDialogSpec(kind, platform));
      return result.canceled ? [] : result.filePaths;
    },
    async save(win, request) {
      const result = await dialog.showSaveDialog(win, { ...saveDialogSpec(request), properties: ['createDirectory', 'showOverwriteConfirmation'] });
      return result.canceled || !result.filePath ? null : savedPath(request, result.filePath);
    },
  };
}
