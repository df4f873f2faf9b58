/** `nn-studio serve`: the studio in a browser, on this machine only. */
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { UsageError, type Command } from '../command.js';
import { appRoot } from '../../paths.js';
import { startWebHost } from '../../web/host.js';
import { DEFAULT_MAX_UPLOAD_BYTES } from '../../web/uploads.js';

/** '500M', '2G', '1048576' → bytes; a UsageError naming --max-upload otherwise. */
export function parseSize(text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?$/i.exec(text.trim());
  const bytes = match ? Number(match[1]) * 1024 ** ' kmgt'.indexOf(match[2].toLowerCase() || ' ') : NaN;
  if (!Number.isFinite(bytes) || bytes < 1) {
    throw new UsageError(`--max-upload expects a size such as 500M or 4G, got '${text}'`);
  }
  return Math.floor(bytes);
}

/** Builds the renderer when a source checkout's build is missing or stale. */
export async function ensureRendererBuilt(): Promise<void> {
  const builder = join(appRoot, 'build', 'scripts', 'build.mjs');
  const { ensureBuilt } = (await import(pathToFileURL(builder).href)) as { ensureBuilt(o: { only: string[]; ifStale: boolean }): Promise<void> };
  await ensureBuilt({ only: ['renderer'], ifStale: true });
}

export const serve: Command = {
  name: 'serve',
  summary: 'serve the studio to a browser on 127.0.0.1 (web mode)',
  usage: [
    'Usage: nn-studio serve [--port N] [--root DIR] [--max-upload SIZE]',
    '',
    'Serves NN Studio on http://127.0.0.1 only, with a random access token in the printed address.',
    'Open that exact address in a browser; stop with Ctrl+C. The studio reads only files uploaded',
    'to it and files in the workspace folder, and saves and exports only into the workspace.',
    '',
    '  --port N            port to listen on (default: 5177; 0 picks a free one)',
    '  --root DIR          the workspace folder (default: the current folder)',
    '  --max-upload SIZE   largest upload accepted, e.g. 500M or 4G (default: 2G)',
  ].join('\n'),
  options: { port: { type: 'string' }, root: { type: 'string' }, 'max-upload': { type: 'string' } },
  async run({ values, out, err }) {
    const port = values.port === undefined ? 5177 : Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      throw new UsageError(`--port expects a whole number from 0 to 65535, got '${String(values.port)}'`);
    }
    const root = resolve(typeof values.root === 'string' ? values.root : process.cwd());
    if (!existsSync(root) || !statSync(root).isDirectory()) throw new UsageError(`--root expects a folder, and ${root} is not one`);
    const maxUploadBytes = values['max-upload'] === undefined ? DEFAULT_MAX_UPLOAD_BYTES : parseSize(String(values['max-upload']));
    try {
      await ensureRendererBuilt();
    } catch (e) {
      // A packaged install has no build tools; what is in out/ is what there is.
      if (!(e as NodeJS.ErrnoException).code?.startsWith('ERR_MODULE_NOT_FOUND')) throw e;
    }
    let host;
    try {
      host = await startWebHost({ port, root, maxUploadBytes, log: err });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE') {
        throw new UsageError(`port ${port} is already in use; pick another with --port (0 picks a free one)`);
      }
      throw e;
    }
    out(`NN Studio is running in web mode at ${host.url}`);
    out(`Workspace: ${root}`);
    out('Open that address in your browser (it carries this session\'s access token). Press Ctrl+C to stop.');
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    await host.close();
    return 0;
  },
};
