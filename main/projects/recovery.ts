/**
 * Autosave to recovery files, and the offer to get the work back after a crash.
 *
 * Every few minutes while a project has unsaved changes, the app writes it (atomically) to
 * `<recoveryDir>/<key>.nnstudio` beside a small `<key>.json` saying which project it is, when,
 * and which process wrote it. A save, or closing without saving, discards it. What is left at
 * the next start belongs to a process that died: those are the offers.
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { RecoveryOffer, type Project } from '../../shared/project/schema.js';
import { processAlive, writeFileAtomic } from './atomic.js';
import { openProject, saveProject, type OpenedProject, type OpenOptions } from './files.js';
import type { MayRead } from './dataset.js';

export class RecoveryStore {
  constructor(readonly dir: string) {}

  /** The recovery key of a project: from its file's path, or from the session for an untitled one. */
  static keyFor(originalPath: string | null, sessionId: string): string {
    const basis = originalPath ?? `untitled:${sessionId}`;
    return createHash('sha256').update(basis).digest('hex').slice(0, 24);
  }

  private fileOf(key: string): string {
    if (!/^[0-9a-f]{24}$/.test(key)) throw new Error(`not a recovery key: ${JSON.stringify(key)}`);
    return join(this.dir, `${key}.nnstudio`);
  }

  /** Writes the autosave of `project` (datasets are referenced, never embedded, to keep it quick). */
  async write(key: string, project: Project, originalPath: string | null, mayRead?: MayRead): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const quick = project.dataset ? { ...project, dataset: { ...project.dataset, embed: false } } : project;
    const saved = await saveProject(this.fileOf(key), quick, { baseFolder: originalPath ? dirname(originalPath) : undefined, mayRead });
    const offer: RecoveryOffer = { key, originalPath, name: project.name, savedAt: saved.savedAt ?? new Date().toISOString(), pid: process.pid };
    await writeFileAtomic(join(this.dir, `${key}.json`), new TextEncoder().encode(JSON.stringify(offer)));
  }

  /** The autosaves left by processes that are gone (those of running processes are theirs, not offers). */
  async offers(): Promise<RecoveryOffer[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch {
      return [];
    }
    const offers: RecoveryOffer[] = [];
    for (const name of names.filter((n) => /^[0-9a-f]{24}\.json$/.test(n))) {
      const offer = await readOffer(join(this.dir, name));
      if (offer && !processAlive(offer.pid)) offers.push(offer);
    }
    return offers.sort((a, b) => b.savedAt.localeCompare(a.savedAt));
  }

  /** Opens an autosave (relative dataset paths resolved from the original project's folder). */
  async open(key: string, options: OpenOptions = {}): Promise<OpenedProject & { offer: RecoveryOffer | null }> {
    const offer = await this.offer(key);
    const opened = await openProject(this.fileOf(key), { ...options, baseFolder: offer?.originalPath ? dirname(offer.originalPath) : options.baseFolder });
    return { ...opened, offer };
  }

  /** Deletes an autosave (after a save, a clean close, or the person declining the offer). */
  async discard(key: string): Promise<void> {
    await rm(this.fileOf(key), { force: true });
    await rm(join(this.dir, `${key}.json`), { force: true });
  }

  /** The offer a key names (its sidecar), or null. */
  offer(key: string): Promise<RecoveryOffer | null> {
    this.fileOf(key); // checks the key's form: it names a file in this folder only
    return readOffer(join(this.dir, `${key}.json`));
  }
}

/** A recovery sidecar, or null when it is missing or unreadable (a half-written one is simply no offer). */
async function readOffer(path: string): Promise<RecoveryOffer | null> {
  try {
    const parsed = RecoveryOffer.safeParse(JSON.parse(await readFile(path, 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
