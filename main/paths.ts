/**
 * Where the studio's own files are, found from this module's location so it works the same from
 * the TypeScript sources (tests), the built bundles in `out/` and a packaged app.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findAppRoot(start: string): string {
  let dir = start;
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'nn-studio') return dir;
      } catch { /* not ours; keep walking */ }
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find NN Studio's package.json above ${start}`);
    dir = parent;
  }
}

/** The folder holding NN Studio's package.json. */
export const appRoot = findAppRoot(dirname(fileURLToPath(import.meta.url)));

/** Built output (`npm run build`). */
export const outDir = join(appRoot, 'out');

/** The training worker's entry, as built. */
export const workerEntry = join(outDir, 'worker.mjs');

/** The built renderer (index.html and assets). */
export const rendererDir = join(outDir, 'renderer');

let version: string | undefined;
/** NN Studio's version from package.json. */
export function appVersion(): string {
  version ??= (JSON.parse(readFileSync(join(appRoot, 'package.json'), 'utf8')) as { version: string }).version;
  return version;
}
