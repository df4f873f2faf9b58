/**
 * Web mode's Save and Export: the backend writes the file into a folder of its own, and the page
 * downloads it through the browser (GET /download?id=…, with the tab's access token in its header),
 * so nobody types a path on the server and the person's browser puts the file where they like.
 *
 * A staged download is served once and then removed; one not fetched within `maxAgeMs` is removed
 * too (the host's folder goes when it closes). Its id is 128 random bits and names nothing on disk: the page never names a server path.
 * Several files (a TF.js model and its weights, a Python module and its .npz) travel as one zip.
 */
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { basename, join } from 'node:path';
import { writeZip } from '../../shared/project/zip.js';
import { sanitizeUploadName } from './uploads.js';

/** What the page needs to fetch a staged file: its id, the name to save it as and its size. */
export interface StagedDownload {
  id: string;
  name: string;
  bytes: number;
}

/** Writes files for the browser to download; the backend's `project:download` and `export:download` use it. */
export interface DownloadStager {
  /**
   * Runs `write` with a fresh empty folder; `write` returns the paths it wrote there. One file is
   * offered as `name`; several are zipped into `<name stem>.zip`.
   */
  stage(name: string, write: (folder: string) => Promise<string[]>): Promise<StagedDownload>;
}

/** How long a staged download waits for the page to fetch it. */
export const DEFAULT_DOWNLOAD_MAX_AGE_MS = 10 * 60 * 1000;

interface Staged {
  folder: string;
  path: string;
  name: string;
  createdAt: number;
}

export class Downloads implements DownloadStager {
  private readonly staged = new Map<string, Staged>();

  constructor(private readonly dir: string, private readonly maxAgeMs = DEFAULT_DOWNLOAD_MAX_AGE_MS) {}

  async stage(name: string, write: (folder: string) => Promise<string[]>): Promise<StagedDownload> {
    await this.removeExpired();
    const id = randomBytes(16).toString('hex');
    const folder = join(this.dir, id);
    await mkdir(folder, { recursive: true });
    try {
      const written = await write(folder);
      const safe = sanitizeUploadName(name) || 'download';
      let path: string;
      let offered: string;
      if (written.length === 1) {
        path = written[0];
        offered = safe;
      } else {
        const entries = Object.fromEntries(await Promise.all(written.map(async (p) => [basename(p), { data: new Uint8Array(await readFile(p)), compress: true }] as const)));
        offered = `${safe.replace(/\.[^.]*$/, '')}.zip`;
        path = join(folder, `.bundle-${id}.zip`);
        await writeFile(path, writeZip(entries));
      }
      this.staged.set(id, { folder, path, name: offered, createdAt: Date.now() });
      return { id, name: offered, bytes: (await stat(path)).size };
    } catch (e) {
      await rm(folder, { recursive: true, force: true });
      throw e;
    }
  }

  /** Answers GET /download?id=… (the host has checked the token): the file once, then it is gone. */
  serve(id: string | null, res: ServerResponse): void {
    const staged = id ? this.staged.get(id) : undefined;
    if (!id || !staged) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('this download is over or never existed; save or export again\n');
      return;
    }
    this.staged.delete(id);
    const ascii = staged.name.replace(/[^\x20-\x7e]|["\\]/g, '_');
    res.writeHead(200, {
      'Content-Type': 'application/octet-stream',
      'Content-Disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(staged.name)}`,
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'no-store',
    });
    const stream = createReadStream(staged.path);
    const cleanUp = () => void rm(staged.folder, { recursive: true, force: true });
    stream.on('error', () => {
      res.destroy();
      cleanUp();
    });
    res.on('close', cleanUp);
    stream.pipe(res);
  }

  /** Removes what was staged longer ago than `maxAgeMs` and never fetched. */
  async removeExpired(now = Date.now()): Promise<void> {
    for (const [id, staged] of this.staged) {
      if (now - staged.createdAt <= this.maxAgeMs) continue;
      this.staged.delete(id);
      await rm(staged.folder, { recursive: true, force: true });
    }
  }
}
