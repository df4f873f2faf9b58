/** Temp folders and small files for the data tests (each test writes what it reads). */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll } from 'vitest';
import { DatasetError } from '../../shared/data/errors.js';

/** A temp folder removed after the file's tests; `write` puts a file in it and returns its path. */
export function tempFolder(prefix = 'nn-data-') {
  const root = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  return {
    root,
    path: (name: string) => join(root, name),
    write(name: string, content: string | Uint8Array): string {
      const path = join(root, name);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, content);
      return path;
    },
  };
}

/** The DatasetError a promise rejects with (fails the test when it resolves or throws something else). */
export async function datasetError(promise: Promise<unknown> | (() => unknown)): Promise<DatasetError> {
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (e) {
    if (e instanceof DatasetError) return e;
    throw new Error(`expected a DatasetError, got ${String(e)}`);
  }
  throw new Error('expected a DatasetError, but it succeeded');
}
