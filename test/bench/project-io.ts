/**
 * Times Save, Open and the reply sizes of a project with several trained Fashion-MNIST runs, as
 * the web host answers them (the router, the project service, the real file system). Not a test:
 * timings are printed, never asserted. Run (after training one run with the CLI, see below):
 *
 *   node main/cli/bin.cjs train /usr/share/datasets/fashion-mnist --layers 256:relu,128:relu --epochs 3 --out /tmp/fm.nnstudio
 *   npx esbuild test/bench/project-io.ts --bundle --platform=node --format=esm --packages=external --outfile=out/bench-project-io.mjs
 *   node out/bench-project-io.mjs /tmp/fm.nnstudio 4
 *
 * The runs of the given project are copied (with fresh ids) until there are N of them: the issue's
 * 3.3 MB project held about that many MNIST-sized runs.
 */
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir, loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createBackend } from '../../main/backend.js';
import { Grants } from '../../main/services/grants.js';
import { forkNodeWorker } from '../../main/workers/process.js';
import { withoutRunWeights } from '../../shared/project/lean.js';
import type { Project } from '../../shared/project/schema.js';

const [source = '/tmp/fm.nnstudio', copies = '4', rounds = '5'] = process.argv.slice(2);
const work = mkdtempSync(join(tmpdir(), 'nn-bench-project-'));
const backend = createBackend({ mode: 'web', forkWorker: forkNodeWorker, grants: Grants.unrestricted(), dataDir: work });
const call = async <T>(channel: string, payload: unknown): Promise<T> => {
  const reply = await backend.router(channel, payload);
  if (!reply.ok) throw new Error(`${channel}: ${reply.error.message}`);
  return reply.value as T;
};
const time = async <T>(f: () => Promise<T>): Promise<[T, number]> => {
  const t0 = performance.now();
  const value = await f();
  return [value, performance.now() - t0];
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const first = await call<{ project: Project }>('project:open', { path: source });
const base = first.project;
const runs = Array.from({ length: Number(copies) }, (_, i) => base.runs.map((r) => ({ ...r, id: `${r.id}-${i}` }))).flat();
const project: Project = { ...base, runs };
// The backend must hold the runs (their weights never travel from the renderer): opening a project adopts them.
backend.runs.adopt(runs);
const target = join(work, 'bench.nnstudio');

const saves: number[] = [];
const opens: number[] = [];
let wire = 0;
let reply = 0;
for (let i = 0; i < Number(rounds); i++) {
  const [, save] = await time(async () => {
    // What the page does: the lean project as JSON over the socket, then the router.
    const text = JSON.stringify({ path: target, project: withoutRunWeights(project), previousPath: target });
    wire = text.length;
    return call('project:save', JSON.parse(text));
  });
  saves.push(save);
  const [, open] = await time(async () => {
    const loaded = await call('project:open', { path: target });
    const text = JSON.stringify(loaded);
    reply = text.length;
    return JSON.parse(text);
  });
  opens.push(open);
}
const mb = (n: number) => (n / 1024 ** 2).toFixed(2);
console.log(JSON.stringify({
  runs: runs.length, fileMB: mb(statSync(target).size), saveRequestMB: mb(wire), openReplyMB: mb(reply),
  saveMs: Math.round(median(saves)), openMs: Math.round(median(opens)), saveAllMs: saves.map(Math.round), openAllMs: opens.map(Math.round),
  load: loadavg().map((x) => x.toFixed(2)).join(' '),
}));
await backend.dispose();
