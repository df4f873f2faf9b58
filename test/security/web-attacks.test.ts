/**
 * Attacks on web mode over real HTTP and WebSocket (issue 13, items 1–3): someone holding the
 * token, or a page on another port, tries to read, replace or crash. Each must be refused cleanly,
 * leak nothing, and leave the host serving.
 */
import { existsSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { saveProject } from '../../main/projects/files.js';
import { createProjectFromRun } from '../../shared/project/create.js';
import { openClient, SECRET, startSite, trainSmallRun, type Client, type Site } from './helpers.js';

/** Every file under `dir`, read as text (to look for leaked secrets). */
function everyFile(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => readFileSync(join(e.parentPath, e.name), 'latin1'));
}

describe('web mode attacks', () => {
  let site: Site;
  let client: Client;
  beforeAll(async () => {
    site = await startSite();
    client = await openClient(site);
  });
  afterAll(async () => {
    client.close();
    await site.host.close();
  });

  describe('one frame cannot kill serve (item 3)', () => {
    it('a text frame of invalid UTF-8 (C3 28) closes that connection alone', async () => {
      const victim = await openClient(site);
      const closed = victim.closed();
      victim.socket.send(Buffer.from([0xc3, 0x28]), { binary: false });
      expect(await closed).toBe(1007);
      expect((await client.call('app:info')).ok).toBe(true);
    });

    it('a 70 MB message closes that connection alone (1009), and others are answered', async () => {
      const victim = await openClient(site);
      const closed = victim.closed();
      victim.socket.send(Buffer.alloc(70 * 1024 * 1024, 0x20), { binary: false });
      expect(await closed).toBe(1009);
      expect((await client.call('app:info')).ok).toBe(true);
    });

    it('binary frames, non-JSON and 100,000 nested brackets are dropped without a reply or a crash', async () => {
      client.socket.send(Buffer.from([1, 2, 3]), { binary: true });
      client.socket.send('not json');
      client.socket.send('['.repeat(100_000));
      expect((await client.call('app:info')).value.mode).toBe('web');
    });
  });

  describe('paths outside the workspace and the uploads (item 1)', () => {
    it('datasets:inspect of a private key is refused, naming the path, and shows none of it', async () => {
      const result = await client.call('datasets:inspect', { source: site.secret });
      expect(result).toMatchObject({ ok: false, error: { name: 'NotGranted' } });
      expect(result.error.message).toContain(site.secret);
      expect(result.error.message).toContain('--root');
      expect(JSON.stringify(result)).not.toContain('OPENSSH');
    });

    it('`..` from the workspace and a symlink inside it are refused as well', async () => {
      const climbing = await client.call('datasets:inspect', { source: join(site.root, '..', 'home', '.ssh', 'id_rsa') });
      expect(climbing.error.name).toBe('NotGranted');
      symlinkSync(site.secret, join(site.root, 'innocent.csv'));
      const linked = await client.call('datasets:inspect', { source: join(site.root, 'innocent.csv') });
      expect(linked.error.name).toBe('NotGranted');
      expect(JSON.stringify(linked)).not.toContain('OPENSSH');
    });

    it('a dataset in the workspace, and a relative path resolved from it, are read', async () => {
      const summary = await client.value('datasets:inspect', { source: join(site.root, 'points.csv') });
      expect(summary.rows).toBe(40);
    });

    it('project:save over a file outside the workspace is refused and the file is unchanged', async () => {
      const project = await client.value('project:new', { name: 'x' });
      const result = await client.call('project:save', { path: site.secret, project });
      expect(result.error.name).toBe('NotGranted');
      expect(readFileSync(site.secret, 'utf8')).toBe(SECRET);
    });

    it('a project naming a private key with embed: true, saved in the workspace, does not copy it', async () => {
      const project = await client.value('project:new', { name: 'thief' });
      project.dataset = { source: site.secret, options: {}, embed: true };
      const target = join(site.root, 'thief.nnstudio');
      const result = await client.call('project:save', { path: target, project });
      expect(result).toMatchObject({ ok: false, error: { name: 'ProjectError' } });
      expect(result.error.message).toContain('was not chosen in this session');
      expect(everyFile(site.root).some((text) => text.includes('OPENSSH'))).toBe(false);
      // Autosave (which references, never embeds) does not fingerprint it either: no hash of the key is stored.
      const autosaved = await client.call('project:autosave', { path: null, project });
      expect(autosaved.ok).toBe(true);
    });

    it('a crafted project file naming a private key is opened without reading it: the dataset is reported missing', async () => {
      const crafted = join(site.root, 'crafted.nnstudio');
      const project = await client.value('project:new', { name: 'crafted' });
      project.dataset = { source: site.secret, options: {}, embed: false };
      await saveProject(crafted, project); // written by the attacker's own tools, not through the studio
      const loaded = await client.value('project:open', { path: crafted });
      expect(loaded.warnings.map((w: { code: string }) => w.code)).toContain('dataset-missing');
      expect((await client.call('datasets:inspect', { source: loaded.project.dataset.source })).error.name).toBe('NotGranted');
    });

    it('project:open, export:run and runs:start outside the workspace are refused', async () => {
      expect((await client.call('project:open', { path: site.secret })).error.name).toBe('NotGranted');
      expect((await client.call('runs:start', { dataset: { source: site.secret } })).error.name).toBe('NotGranted');
      const run = await trainSmallRun(client);
      const outside = join(site.home, 'model.onnx');
      expect((await client.call('export:run', { runId: run.id, format: 'onnx', path: outside })).error.name).toBe('NotGranted');
      expect(existsSync(outside)).toBe(false);
      expect((await client.call('export:run', { runId: run.id, format: 'csv', path: join(site.root, 'p.csv'), data: { source: site.secret } })).error.name).toBe('NotGranted');
      const inside = await client.value('export:run', { runId: run.id, format: 'onnx', path: join(site.root, 'model.onnx') });
      expect(statSync(inside.files[0]).size).toBeGreaterThan(100);
    });

    it('runs:samples of a run adopted from a crafted project does not read the file its config names', async () => {
      const run = await trainSmallRun(client);
      const project = createProjectFromRun(run, 'sample:iris', 'forged');
      project.runs = [{ ...project.runs[0], id: 'f0f0f0f0', config: { ...project.runs[0].config, dataset: { source: site.secret, options: {} } } }];
      const crafted = join(site.root, 'forged-run.nnstudio');
      await saveProject(crafted, project);
      await client.value('project:open', { path: crafted });
      const result = await client.call('runs:samples', { runId: 'f0f0f0f0', actual: 0, predicted: 0 });
      expect(result.ok, JSON.stringify(result).slice(0, 300)).toBe(false);
      expect(result.error.name).toBe('NotGranted');
      expect(JSON.stringify(result)).not.toContain('OPENSSH');
    });
  });

  describe('no ambient credential (item 2)', () => {
    it('sets no cookie, and a cookie carrying the token authenticates nothing', async () => {
      const page = await fetch(site.host.url);
      expect(page.headers.get('set-cookie')).toBeNull();
      const cookie = `nn_studio_token=${site.host.token}`;
      expect((await fetch(`${site.origin}/upload?name=a.csv`, { method: 'POST', body: 'a\n1\n', headers: { cookie, origin: site.origin } })).status).toBe(403);
      const refused = await new Promise<number>((resolve) => {
        const ws = new WebSocket(`ws://127.0.0.1:${site.host.port}/api`, { headers: { Origin: site.origin, Cookie: cookie } });
        ws.once('unexpected-response', (_req, res) => resolve(res.statusCode!));
        ws.once('open', () => resolve(101));
      });
      expect(refused).toBe(403);
    });

    it('an upload with the token from another origin, or with no origin, is refused', async () => {
      const headers = { 'x-nn-studio-token': site.host.token };
      expect((await fetch(`${site.origin}/upload?name=a.csv`, { method: 'POST', body: 'a\n1\n', headers: { ...headers, origin: 'http://evil.example' } })).status).toBe(403);
      expect((await fetch(`${site.origin}/upload?name=a.csv`, { method: 'POST', body: 'a\n1\n', headers })).status).toBe(403);
      expect((await fetch(`${site.origin}/upload?name=a.csv`, { method: 'POST', body: 'a\n1\n', headers: { ...headers, origin: `http://127.0.0.1:${site.host.port + 1}` } })).status).toBe(403);
    });
  });

  it('a 60 MB-weights project is saved through the socket and opens with the same weights', async () => {
    // 4 inputs → 3900 → 3900 → 3 classes: 15.2 M weights, 61 MB of float32, 81 MB as base64.
    const run = await trainSmallRun(client, { hidden: [{ units: 3900, activation: 'relu' }, { units: 3900, activation: 'relu' }] });
    const bytes = Buffer.from(run.outcome.weights, 'base64').length;
    expect(bytes).toBeGreaterThan(60e6);
    const { withoutRunWeights } = await import('../../shared/project/lean.js');
    const project = withoutRunWeights(createProjectFromRun(run, 'sample:iris', 'big'));
    const message = JSON.stringify({ id: 1, channel: 'project:save', payload: { path: join(site.root, 'big.nnstudio'), project } });
    expect(message.length).toBeLessThan(1024 * 1024); // what the page sends is small
    const saved = await client.value('project:save', { path: join(site.root, 'big.nnstudio'), project });
    expect(statSync(saved.path).size).toBeGreaterThan(50e6);
    const reopened = await client.value('project:open', { path: saved.path });
    expect(reopened.project.runs[0].outcome.weights).toBe(run.outcome.weights);
  }, 120_000);
});
