/**
 * Web mode's uploads: the browser POSTs a file's bytes, they are streamed to a fresh folder under
 * the upload folder, and the reply names the path to use as the dataset source (workers load
 * datasets from paths, never over IPC).
 *
 * Limits: a body larger than `maxBytes` is refused with 413 (before reading it when the browser
 * says its length, else as soon as it passes the limit); a body that ends early (the tab closed,
 * the upload cancelled) leaves nothing behind; folders older than `maxAgeMs` are removed when the
 * host starts and every hour after. Replies never show this machine's upload folder in an error.
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { formatBytes } from '../data/budget.js';

/** Uploads larger than this are refused unless `--max-upload` says otherwise: room for real datasets. */
export const DEFAULT_MAX_UPLOAD_BYTES = 2 * 1024 ** 3;
/** Uploads are kept this long (the session that uploaded them is long over by then). */
export const DEFAULT_UPLOAD_MAX_AGE_MS = 6 * 3600 * 1000;
/** File names longer than this (in UTF-16 units) are shortened, keeping their extension. */
const MAX_NAME_LENGTH = 120;

export interface UploadLimits {
  maxBytes: number;
}

/**
 * A file name from the browser made safe to create here: its last path segment, without control
 * characters or the characters Windows forbids, shortened to a length every file system takes
 * (keeping the extension, which tells the loaders the format). '' when nothing usable is left.
 */
export function sanitizeUploadName(name: string): string {
  const last = name.replace(/\\/g, '/').split('/').pop() ?? '';
  // Control characters and the characters Windows forbids in names.
  // eslint-disable-next-line no-control-regex
  const cleaned = last.replace(/[\u0000-\u001f\u007f<>:"|?*]/g, '_').replace(/^[\s.]+|[\s.]+$/g, '');
  if (cleaned === '') return '';
  if (cleaned.length <= MAX_NAME_LENGTH) return cleaned;
  const ext = extname(cleaned).slice(0, 16);
  return cleaned.slice(0, MAX_NAME_LENGTH - ext.length) + ext;
}

/** Answers one POST /upload (authentication already checked by the host). */
export async function receiveUpload(req: IncomingMessage, res: ServerResponse, name: string | null, uploadDir: string, limits: UploadLimits): Promise<void> {
  const reply = (status: number, body: object) => {
    if (!res.headersSent) res.writeHead(status, { 'Content-Type': 'application/json', Connection: 'close' });
    res.end(JSON.stringify(body));
  };
  const safeName = sanitizeUploadName(name ?? '');
  if (!safeName) return reply(400, { error: 'the upload needs a file name (?name=…)' });
  const tooLarge = () => `${safeName} is larger than this studio accepts (${formatBytes(limits.maxBytes)}); start it with a larger --max-upload`;
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limits.maxBytes) {
    reply(413, { error: tooLarge() });
    req.resume(); // drain what was already sent; the connection closes after the reply
    return;
  }
  const folder = join(uploadDir, randomBytes(8).toString('hex'));
  const path = join(folder, safeName);
  let received = 0;
  let over = false;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      received += chunk.length;
      if (received > limits.maxBytes) {
        over = true;
        done(new Error('too large'));
      } else done(null, chunk);
    },
  });
  try {
    await mkdir(folder, { recursive: true });
    await pipeline(req, counter, createWriteStream(path));
    reply(200, { path });
  } catch (e) {
    await rm(folder, { recursive: true, force: true }).catch(() => {});
    if (over) reply(413, { error: tooLarge() });
    else if (req.destroyed || (e as NodeJS.ErrnoException).code === 'ERR_STREAM_PREMATURE_CLOSE') res.destroy();
    else reply(500, { error: `could not store ${safeName}: ${describeFsError(e)}` });
  }
}

/** Removes upload folders last changed more than `maxAgeMs` ago; returns how many. */
export async function removeOldUploads(uploadDir: string, maxAgeMs: number, now = Date.now()): Promise<number> {
  let names: string[];
  try {
    names = await readdir(uploadDir);
  } catch {
    return 0;
  }
  let removed = 0;
  for (const name of names) {
    const folder = join(uploadDir, name);
    const info = await stat(folder).catch(() => null);
    if (!info || now - info.mtimeMs <= maxAgeMs) continue;
    await rm(folder, { recursive: true, force: true }).catch(() => {});
    removed++;
  }
  return removed;
}

/** A file-system failure in words, without the paths Node puts in its messages. */
function describeFsError(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  const why: Record<string, string> = { ENOSPC: 'the disk is full', EACCES: 'permission denied', EROFS: 'the disk is read-only', ENAMETOOLONG: 'the name is too long' };
  return (code && why[code]) ?? 'the file could not be written';
}
