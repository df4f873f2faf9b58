/**
 * Atomic file replacement: a save either leaves the new file complete or the old one untouched,
 * whatever happens in between (a crash, a kill, a full disk, a power cut after the rename).
 *
 *   1. write the bytes to a temp file in the SAME folder (a rename never crosses file systems),
 *      fsync it (the bytes are on disk before the name points at them)
 *   2. keep the previous version as `<name>.bak` (a hard link: instant, no copy)
 *   3. rename the temp file over the target (atomic on POSIX and NTFS), fsync the folder
 *   4. remove the backup: the new version is complete
 *
 * What is at the target is respected: a symbolic link is written through (its real file is
 * replaced and the link stays a link), the replaced file's permission bits (and, where the process
 * may, its owner) carry over to the new one, and anything but a regular file (a device such as
 * /dev/full, a FIFO, a socket, a folder) is refused before a byte is written, since a rename would
 * silently put a plain file in its place.
 */
import { randomBytes } from 'node:crypto';
import { copyFile, link, lstat, open, readdir, readlink, rename, rm, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { ProjectError } from '../../shared/project/errors.js';

export interface AtomicWriteOptions {
  /** Keep `<path>.bak` after a successful write too (default false: it is removed once the new file is complete). */
  keepBackup?: boolean;
}

/** The backup kept while a file is replaced. */
export function backupPath(path: string): string {
  return `${path}.bak`;
}

/** Temp files of `path` are `.<name>.<pid>.<random>.tmp` beside it. */
function tempPath(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

/**
 * Writes `bytes` to `path` atomically (see above). Errors leave `path` as it was; a target that is
 * not a regular file is refused with a ProjectError ('io') naming it.
 */
export async function writeFileAtomic(target: string, bytes: Uint8Array, options: AtomicWriteOptions = {}): Promise<void> {
  const path = await realTarget(target);
  const existing = await statOrNull(path);
  if (existing && !existing.isFile()) {
    throw new ProjectError('io', target, `${describeKind(existing)}, not a regular file; choose a file name to save to`);
  }
  const temp = tempPath(path);
  try {
    // A new file gets the usual 0666 less the umask; a replaced one keeps its own mode.
    const handle = await open(temp, 'wx', existing ? existing.mode & 0o7777 : 0o666);
    try {
      if (existing) {
        await handle.chmod(existing.mode & 0o7777); // open's mode is filtered by the umask
        await handle.chown(existing.uid, existing.gid).catch(() => {}); // only root may give a file away
      }
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    const backup = await keepPrevious(path);
    await rename(temp, path);
    await syncFolder(dirname(path));
    if (backup && !options.keepBackup) await rm(backup, { force: true });
  } catch (e) {
    await rm(temp, { force: true });
    throw e;
  }
  await removeStaleTemps(path);
}

/** Symbolic links followed to the file they name (which may not exist yet); other paths as they are. */
export async function realTarget(path: string): Promise<string> {
  let current = resolve(path);
  for (let hops = 0; hops < 40; hops++) {
    let info: Stats;
    try {
      info = await lstat(current);
    } catch (e) {
      // Nothing there yet (or a file where a folder should be): the write itself will say so.
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return current;
      throw e;
    }
    if (!info.isSymbolicLink()) return current;
    current = resolve(dirname(current), await readlink(current));
  }
  throw new ProjectError('io', path, 'is a chain of more than 40 symbolic links (a loop?); choose a file name to save to');
}

async function statOrNull(path: string): Promise<Stats | null> {
  try {
    return await stat(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

/** "is a folder", "is a FIFO" …: what a non-regular file is, for the refusal. */
export function describeKind(info: Stats): string {
  if (info.isDirectory()) return 'is a folder';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'is a device';
  if (info.isFIFO()) return 'is a FIFO (named pipe)';
  if (info.isSocket()) return 'is a socket';
  return 'is a special file';
}

/** Links (or copies) the current file to `<path>.bak`; returns the backup's path, or null when there was no file. */
async function keepPrevious(path: string): Promise<string | null> {
  const backup = backupPath(path);
  await rm(backup, { force: true });
  try {
    await link(path, backup);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    // File systems without hard links (FAT, some network shares): a copy does the same job.
    try {
      await copyFile(path, backup);
    } catch (copyError) {
      if ((copyError as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw copyError;
    }
  }
  return backup;
}

/** Makes a rename durable (POSIX); Windows cannot open folders for syncing, and NTFS journals renames. */
async function syncFolder(folder: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await open(folder, 'r');
  try {
    await handle.sync();
  } catch {
    // Some file systems refuse fsync on a folder; the rename itself is still atomic.
  } finally {
    await handle.close();
  }
}

/** Removes temp files a killed process left beside `path` (those whose process is gone). */
async function removeStaleTemps(path: string): Promise<void> {
  const prefix = `.${basename(path)}.`;
  let names: string[];
  try {
    names = await readdir(dirname(path));
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith('.tmp')) continue;
    const pid = Number(name.slice(prefix.length).split('.')[0]);
    if (Number.isInteger(pid) && pid !== process.pid && !processAlive(pid)) await rm(join(dirname(path), name), { force: true });
  }
}

/** True while a process with this id runs (on any platform Node supports). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
