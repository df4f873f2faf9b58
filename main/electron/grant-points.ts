/**
 * Where a person's choice becomes a grant in the desktop app (the grant model:
 * main/services/grants.ts). Each function takes the app's `Grants` and what Electron handed over,
 * so the rules are tested under Node; main/index.ts calls them from its dialogs, drops, Open
 * Recent and the OS opening a file.
 *
 *   a project file       read and write (Save goes back to the file that was opened)
 *   a dataset, a folder  read
 *   a save/export target read and write (the exporter writes its companion files beside it)
 */
import type { Grants } from '../services/grants.js';
import { classifyPath, type PathKind } from '../../shared/file-types.js';
import type { FileDialogs } from './file-dialogs.js';

/** What the native open dialog was asked for. */
export type OpenKind = 'project' | 'dataset' | 'dataset-folder' | 'result-folder';

/** Paths chosen in the native open dialog. */
export function grantOpened(grants: Grants, kind: OpenKind, paths: readonly string[]): Promise<void> {
  return all(paths.map((path) => grants.grantPath(path, kind === 'project' ? ['read', 'write'] : ['read'])));
}

/** The path chosen in the native save dialog (Save As, Export). */
export function grantSaveTarget(grants: Grants, path: string): Promise<void> {
  return grants.grant(path, 'file', ['read', 'write']);
}

/**
 * A file the OS opened with the app, a drop, or an Open Recent entry: granted by what it is. A
 * project may be saved back; anything else (a dataset file or folder) is only read.
 */
export function grantHandedOver(grants: Grants, path: string, kind: PathKind = classifyPath(path)): Promise<void> {
  return grants.grantPath(path, kind === 'project' ? ['read', 'write'] : ['read']);
}

/**
 * Paths the preload resolved from dropped or picked File objects (webUtils.getPathForFile): the
 * page cannot make such a File for a path the person did not choose. Anything that is not a
 * non-empty string is ignored.
 */
export function grantDropped(grants: Grants, paths: unknown): Promise<void> {
  if (!Array.isArray(paths)) return Promise.resolve();
  const valid = paths.filter((p): p is string => typeof p === 'string' && p.length > 0 && p.length <= 4096);
  return all(valid.map((path) => grantHandedOver(grants, path)));
}

/** The native dialogs, each choice recorded as a grant before the page gets the path. */
export function grantingDialogs(dialogs: FileDialogs, grants: Grants): FileDialogs {
  return {
    async open(win, kind) {
      const paths = await dialogs.open(win, kind);
      await grantOpened(grants, kind, paths);
      return paths;
    },
    async save(win, request) {
      const path = await dialogs.save(win, request);
      if (path) await grantSaveTarget(grants, path);
      return path;
    },
  };
}

async function all(recorded: Promise<void>[]): Promise<void> {
  await Promise.all(recorded);
}
