/**
 * Small JSON files in the app's userData folder (recent projects, window bounds), written
 * atomically so a crash mid-write leaves the previous file intact, and read forgivingly: a file
 * that is missing, corrupt or of another shape gives the default instead of stopping the app.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { z } from 'zod';

/**
 * Writes `data` as JSON to `path` atomically: a temporary file in the same folder (so the rename
 * stays on one file system), flushed to disk, then renamed over the old file.
 */
export async function writeJsonAtomic(path: string, data: unknown): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  const temp = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await open(temp, 'w');
    try {
      await handle.writeFile(`${JSON.stringify(data, null, 2)}\n`, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/** Reads `path` as JSON checked by `schema`; the fallback when it is missing, unreadable or malformed. */
export async function readJson<S extends z.ZodType, F>(path: string, schema: S, fallback: F): Promise<z.output<S> | F> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return fallback;
  }
  try {
    const parsed = schema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : fallback;
  } catch {
    return fallback;
  }
}

/** Writes to one file, one after another. */
export interface SerialWriter {
  /** Queues `data` to be written after the writes already queued. */
  write(data: unknown): Promise<void>;
  /** Resolves once every queued write has finished (failed ones included): call before quitting. */
  idle(): Promise<void>;
}

/**
 * Serialises writes to one file: each save waits for the previous one, so two quick saves cannot
 * race their renames and leave the older data on disk.
 */
export function serialWriter(path: string): SerialWriter {
  let last: Promise<void> = Promise.resolve();
  return {
    write(data) {
      const next = last.catch(() => {}).then(() => writeJsonAtomic(path, data));
      last = next;
      return next;
    },
    idle: () => last.catch(() => {}),
  };
}
