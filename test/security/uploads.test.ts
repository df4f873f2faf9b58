/** Upload limits over real HTTP (issue 13, item 6): size, aborted uploads, old folders, odd names. */
import { mkdirSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sanitizeUploadName } from '../../main/web/uploads.js';
import { startSite, type Site } from './helpers.js';

describe('uploads', () => {
  let site: Site;
  const headers = () => ({ origin: site.origin, 'x-nn-studio-token': site.host.token });
  beforeAll(async () => {
    site = await startSite({ maxUploadBytes: 1024 * 1024 });
  });
  afterAll(() => site.host.close());

  /** Upload folders that hold a file now. */
  const stored = () => readdirSync(site.uploadDir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());

  it('refuses a body larger than --max-upload with 413 and a clear message, before storing anything', async () => {
    const before = stored().length;
    const res = await fetch(`${site.origin}/upload?name=big.csv`, { method: 'POST', body: Buffer.alloc(2 * 1024 * 1024, 0x61), headers: headers() });
    expect(res.status).toBe(413);
    const { error } = (await res.json()) as { error: string };
    expect(error).toBe('big.csv is larger than this studio accepts (1.0 MB); start it with a larger --max-upload');
    expect(stored().length).toBe(before);
  });

  it('refuses a chunked body (no length given) once it passes the limit, and removes what it had written', async () => {
    const before = stored().length;
    const status = await new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: site.host.port, method: 'POST', path: '/upload?name=stream.csv', headers: { ...headers(), host: `127.0.0.1:${site.host.port}`, 'transfer-encoding': 'chunked' } }, (res) => resolve(res.statusCode!));
      req.on('error', reject);
      const chunk = Buffer.alloc(256 * 1024, 0x62);
      for (let i = 0; i < 8; i++) req.write(chunk);
      req.end();
    });
    expect(status).toBe(413);
    expect(stored().length).toBe(before);
  });

  it('an upload that stops half way (the tab closed) leaves no partial file', async () => {
    const before = stored().length;
    await new Promise<void>((resolve) => {
      const req = request({ host: '127.0.0.1', port: site.host.port, method: 'POST', path: '/upload?name=half.csv', headers: { ...headers(), host: `127.0.0.1:${site.host.port}`, 'content-length': '500000' } });
      req.on('error', () => resolve());
      req.write(Buffer.alloc(100_000, 0x63), () => setTimeout(() => { req.destroy(); resolve(); }, 100));
    });
    // The server notices the closed connection, then removes the folder.
    for (let i = 0; i < 50 && stored().length !== before; i++) await new Promise((r) => setTimeout(r, 20));
    expect(stored().length).toBe(before);
  });

  it('a 300-character name is shortened, keeping its extension, instead of failing', async () => {
    const name = 'd'.repeat(296) + '.csv';
    const res = await fetch(`${site.origin}/upload?name=${name}`, { method: 'POST', body: 'a,b\n1,2\n', headers: headers() });
    expect(res.status).toBe(200);
    const { path } = (await res.json()) as { path: string };
    expect(path.endsWith('.csv')).toBe(true);
    expect(path.split('/').pop()!.length).toBe(120);
  });

  it('sanitises odd names: folders, control and reserved characters, dots', () => {
    expect(sanitizeUploadName('..\\..\\win.ini')).toBe('win.ini');
    expect(sanitizeUploadName('a\u0000b<c>:d|e?.csv')).toBe('a_b_c__d_e_.csv');
    expect(sanitizeUploadName('...')).toBe('');
    expect(sanitizeUploadName(' .hidden ')).toBe('hidden');
  });

  it('removes uploads older than their age at start-up and keeps recent ones', async () => {
    const { removeOldUploads } = await import('../../main/web/uploads.js');
    const old = join(site.uploadDir, 'old0000000000000');
    const recent = join(site.uploadDir, 'new0000000000000');
    mkdirSync(old);
    mkdirSync(recent);
    writeFileSync(join(old, 'a.csv'), 'x\n');
    writeFileSync(join(recent, 'b.csv'), 'x\n');
    const daysAgo = (Date.now() - 2 * 86400_000) / 1000;
    utimesSync(old, daysAgo, daysAgo);
    expect(await removeOldUploads(site.uploadDir, 6 * 3600_000)).toBe(1);
    const left = readdirSync(site.uploadDir);
    expect(left).toContain('new0000000000000');
    expect(left).not.toContain('old0000000000000');
  });

  it('an uploaded dataset can be inspected (the upload folder is granted for reading, not writing)', async () => {
    const res = await fetch(`${site.origin}/upload?name=pts.csv`, { method: 'POST', body: 'x,y\n1,a\n2,b\n3,a\n4,b\n', headers: headers() });
    const { path } = (await res.json()) as { path: string };
    const { openClient } = await import('./helpers.js');
    const client = await openClient(site);
    expect((await client.value('datasets:inspect', { source: path })).rows).toBe(4);
    const project = await client.value('project:new', {});
    expect((await client.call('project:save', { path: join(path, '..', 'x.nnstudio'), project })).error.name).toBe('NotGranted');
    client.close();
  });

  it('an error about an uploaded file names the file, never the folder it is stored in on this machine', async () => {
    const res = await fetch(`${site.origin}/upload?name=empty.csv`, { method: 'POST', body: '', headers: headers() });
    const { path } = (await res.json()) as { path: string };
    const { openClient } = await import('./helpers.js');
    const client = await openClient(site);
    const result = await client.call('datasets:inspect', { source: path });
    expect(result.ok).toBe(false);
    expect(JSON.stringify(result)).toContain('empty.csv');
    expect(JSON.stringify(result)).not.toContain(site.uploadDir);
    client.close();
  });
});
