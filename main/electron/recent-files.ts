/**
 * The Open Recent list as the app keeps it: loaded from userData/recent.json (files that are gone
 * dropped), changed when a project is opened or saved, saved back after each change and mirrored
 * into the OS's own recent documents. The list logic is recent.ts; this holds the state. Takes
 * Electron's `app` (its recent documents) as a parameter, so it is tested under Node with a fake.
 */
import type { App } from 'electron';
import { z } from 'zod';
import { readJson, serialWriter } from './json-store.js';
import { addRecent, pruneRecent, removeRecent } from './recent.js';

export interface RecentFiles {
  /** Reads the stored list, keeping only files that still exist. */
  load(): Promise<readonly string[]>;
  list(): readonly string[];
  /** A project was opened or saved at `path`: it goes to the front (and into the OS's list). */
  add(path: string): void;
  /** `path` could not be found: it leaves the list. */
  remove(path: string): void;
  /** Open Recent → Clear Menu: empties the list and the OS's. */
  clear(): void;
  /** Resolves once the last change is on disk. */
  idle(): Promise<void>;
}

export function createRecentFiles(
  electron: { app: Pick<App, 'addRecentDocument' | 'clearRecentDocuments'> },
  options: { file: string; platform: string; exists: (path: string) => boolean; onChange: (list: readonly string[]) => void; log: (line: string) => void },
): RecentFiles {
  const writer = serialWriter(options.file);
  let recent: string[] = [];
  const set = (list: string[]) => {
    recent = list;
    void writer.write(recent).catch((e: Error) => options.log(`could not save the recent projects: ${e.message}`));
    options.onChange(recent);
  };
  return {
    async load() {
      recent = pruneRecent(await readJson(options.file, z.array(z.string()), []), options.exists, options.platform);
      return recent;
    },
    list: () => recent,
    add(path) {
      electron.app.addRecentDocument(path);
      set(addRecent(recent, path, options.platform));
    },
    remove: (path) => set(removeRecent(recent, path, options.platform)),
    clear() {
      electron.app.clearRecentDocuments();
      set([]);
    },
    idle: () => writer.idle(),
  };
}
