/**
 * Web mode's Save and Export by download (issue 15): the backend stages the file, the page fetches
 * it once with its token in a header. No path is named by the page, another page cannot fetch
 * it, and a fetched download is gone.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unzipSync } from 'fflate';
import { decodeProject } from '../../shared/project/codec.js';
import { createProjectFromRun } from '../../shared/project/create.js';
import { withoutRunWeights } from '../../shared/project/lean.js';
import { TOKEN_HEADER } from '../../shared/ipc/websocket.js';
import { openClient, startSite, trainSmallRun, type Client, type Site } from './helpers.js';

describe('web mode downloads', () => {
  let site: Site;
  let client: Client;
  let run: any;
  beforeAll(async () => {
    site = await startSite();
    client = await openClient(site);
    run = await trainSmallRun(client);
  });
  afterAll(async () => {
    client.close();
    await site.host.close();
  });

  const fetchDownload = (id: string, headers: Record<string, string> = { [TOKEN_HEADER]: site.host.token }) =>
    fetch(`${site.origin}/download?id=${id}`, { headers });

  it('Save: the project, its weights filled in by the backend, downloads once under its own name', async () => {
    const project = withoutRunWeights(createProjectFromRun(run, undefined, 'Wine trial'));
    const staged = await client.value('project:download', { project });
    expect(staged).toMatchObject({ name: 'Wine trial.nnstudio' });
    expect(staged.id).toMatch(/^[0-9a-f]{32}$/);
    const response = await fetchDownload(staged.id);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toBe(`attachment; filename="Wine trial.nnstudio"; filename*=UTF-8''Wine%20trial.nnstudio`);
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect(bytes.length).toBe(staged.bytes);
    const { project: opened } = decodeProject(bytes, 'download');
    expect(opened.runs[0].outcome!.weights).toBe(run.outcome.weights);
    // Served once: a second fetch (a replay, another tab) finds nothing.
    const again = await fetchDownload(staged.id);
    expect(again.status).toBe(404);
    expect(await again.text()).toContain('this download is over');
  });

  it('without the token (a link or a script from another page) the download is refused and stays for the page', async () => {
    const staged = await client.value('project:download', { project: withoutRunWeights(createProjectFromRun(run)) });
    const refused = await fetchDownload(staged.id, {});
    expect(refused.status).toBe(403);
    const wrong = await fetchDownload(staged.id, { [TOKEN_HEADER]: '0'.repeat(site.host.token.length) });
    expect(wrong.status).toBe(403);
    expect((await fetchDownload(staged.id)).status).toBe(200);
  });

  it('Export: one file as itself; a TF.js model (two files) as one zip; the reply names no server path', async () => {
    const onnx = await client.value('export:download', { runId: run.id, format: 'onnx' });
    expect(onnx).toMatchObject({ name: 'model.onnx', files: ['model.onnx'] });
    const onnxBytes = Buffer.from(await (await fetchDownload(onnx.id)).arrayBuffer());
    const folder = mkdtempSync(join(tmpdir(), 'nn-download-onnx-'));
    writeFileSync(join(folder, 'model.onnx'), onnxBytes);
    // A real runtime loads what was downloaded (Python's onnx is not here: onnxruntime-node is).
    const ort = await import('onnxruntime-node');
    const session = await ort.InferenceSession.create(join(folder, 'model.onnx'));
    const out = await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', Float32Array.from([5.1, 3.5, 1.4, 0.2]), [1, 4]) });
    expect(out[session.outputNames[0]].dims).toEqual([1, 3]);

    const tfjs = await client.value('export:download', { runId: run.id, format: 'tfjs' });
    expect(tfjs).toMatchObject({ name: 'model.zip' });
    expect([...tfjs.files].sort()).toEqual(['model.json', 'weights.bin']);
    const zip = unzipSync(new Uint8Array(await (await fetchDownload(tfjs.id)).arrayBuffer()));
    expect(Object.keys(zip).sort()).toEqual(['model.json', 'weights.bin']);
    expect(JSON.parse(new TextDecoder().decode(zip['model.json'])).weightsManifest[0].paths).toEqual(['weights.bin']);
    expect(JSON.stringify([onnx, tfjs])).not.toContain(tmpdir());
  });

  it('a save to the workspace replies without the weights (the page has them), and the file holds them', async () => {
    const path = join(site.root, 'lean.nnstudio');
    const request = { path, project: withoutRunWeights(createProjectFromRun(run)) };
    const saved = await client.value('project:save', request);
    expect(saved.project.runs[0].outcome.weights).toBe('');
    expect(JSON.stringify(saved).length).toBeLessThan(JSON.stringify(request).length + 1024);
    const { project } = decodeProject(new Uint8Array(readFileSync(path)), path);
    expect(project.runs[0].outcome!.weights).toBe(run.outcome.weights);
  });

  it('a run that fails on an uploaded file says so by the file name, in the event too', async () => {
    const upload = await fetch(`${site.origin}/upload?name=vanishing.csv`, {
      method: 'POST', body: 'x,y\n1,a\n2,b\n', headers: { origin: site.origin, [TOKEN_HEADER]: site.host.token },
    });
    const { path } = (await upload.json()) as { path: string };
    rmSync(path); // gone before the worker reads it
    const failed = new Promise<any>((resolve) => client.socket.on('message', (data) => {
      const message = JSON.parse(data.toString());
      if (message.kind === 'event' && message.event === 'run:failed') resolve(message.payload);
    }));
    await client.value('runs:start', { dataset: { source: path }, model: { hidden: [] }, training: { epochs: 1 }, seed: 1 });
    const { error } = await failed;
    expect(error.message).toContain('vanishing.csv');
    expect(error.message).not.toContain(site.uploadDir);
  });

  it('an unknown or malformed id is a 404, never a path', async () => {
    expect((await fetchDownload('0'.repeat(32))).status).toBe(404);
    expect((await fetchDownload('..%2F..%2Fetc%2Fpasswd')).status).toBe(404);
  });
});
