/**
 * The desktop bridge's channels through the real router (issue 13, item 1): a page script that
 * calls `window.studio.invoke` directly names paths the person never chose. The backend is the
 * desktop app's (`new Grants()`, granted only by dialogs, drops and the OS).
 */
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackend, type Backend } from '../../main/backend.js';
import { grantOpened, grantSaveTarget } from '../../main/electron/grant-points.js';
import { Grants } from '../../main/services/grants.js';
import { forkNodeWorker } from '../../main/workers/process.js';
import { SECRET } from './helpers.js';

describe('bridge channels in the desktop app', () => {
  let backend: Backend;
  let grants: Grants;
  let dir: string;
  let secret: string;
  beforeAll(() => {
    dir = realpathSync(mkdtempSync(join(tmpdir(), 'nn-bridge-')));
    mkdirSync(join(dir, '.ssh'));
    secret = join(dir, '.ssh', 'id_rsa');
    writeFileSync(secret, SECRET, { mode: 0o600 });
    writeFileSync(join(dir, 'points.csv'), 'x,y\n' + Array.from({ length: 30 }, (_, i) => `${i},${i % 2 ? 'a' : 'b'}`).join('\n') + '\n');
    grants = new Grants();
    backend = createBackend({ mode: 'electron', forkWorker: forkNodeWorker, grants, dataDir: join(dir, 'userData') });
  });
  afterAll(() => backend.dispose());

  const refused = async (channel: string, payload: unknown) => {
    const result = await backend.router(channel, payload);
    expect(result, channel).toMatchObject({ ok: false, error: { name: 'NotGranted' } });
    const error = (result as { error: { message: string } }).error;
    expect(error.message).toContain('was not chosen in this session; open it with File ▸ Open or drop it on the window');
    expect(JSON.stringify(result)).not.toContain('OPENSSH');
  };

  it('every path-taking channel refuses a path nobody chose', async () => {
    const project = (await backend.router('project:new', {}) as { value: unknown }).value;
    await refused('datasets:inspect', { source: secret });
    await refused('project:open', { path: secret });
    await refused('project:save', { path: secret, project });
    await refused('project:autosave', { path: secret, project });
    await refused('project:locateDataset', { project: { ...(project as object), dataset: { source: 'x.csv', options: {}, embed: false } }, datasetPath: secret, projectPath: null });
    await refused('runs:start', { dataset: { source: secret } });
    expect(readFileSync(secret, 'utf8')).toBe(SECRET);
  });

  it('after the open dialog chose a dataset, it is read; a save target from the save dialog is written', async () => {
    await grantOpened(grants, 'dataset', [join(dir, 'points.csv')]);
    const summary = await backend.router('datasets:inspect', { source: join(dir, 'points.csv') });
    expect(summary).toMatchObject({ ok: true, value: { rows: 30 } });
    const project = (await backend.router('project:new', { name: 'p' }) as { value: Record<string, unknown> }).value;
    const target = join(dir, 'p.nnstudio');
    await refused('project:save', { path: target, project });
    await grantSaveTarget(grants, target);
    expect(await backend.router('project:save', { path: target, project: { ...project, dataset: { source: join(dir, 'points.csv'), options: {}, embed: true } } })).toMatchObject({ ok: true });
    // The dataset was chosen, so it may be embedded; the key beside it was not, and is not.
    expect(readFileSync(target).includes(Buffer.from('OPENSSH'))).toBe(false);
  });

  it('a project beside its dataset finds it; a hidden file beside it named by a crafted project is not looked at', async () => {
    const { saveProject } = await import('../../main/projects/files.js');
    const fresh = (await backend.router('project:new', { name: 'beside' }) as { value: Record<string, unknown> }).value;
    const honest = join(dir, 'honest.nnstudio');
    await saveProject(honest, { ...fresh, dataset: { source: '/moved/away/points.csv', relativePath: 'points.csv', options: {}, embed: false } });
    const crafted = join(dir, 'crafted.nnstudio');
    await saveProject(crafted, { ...fresh, dataset: { source: '/moved/away/id_rsa', relativePath: '.ssh/id_rsa', options: {}, embed: false } });
    const fresh2 = new Grants();
    const desktop = createBackend({ mode: 'electron', forkWorker: forkNodeWorker, grants: fresh2, dataDir: join(dir, 'userData2') });
    try {
      await grantOpened(fresh2, 'project', [honest, crafted]);
      const found = await desktop.router('project:open', { path: honest }) as { ok: true; value: { project: { dataset: { source: string } }; warnings: unknown[] } };
      expect(found.value.project.dataset.source).toBe(join(dir, 'points.csv'));
      expect(await desktop.router('datasets:inspect', { source: join(dir, 'points.csv') })).toMatchObject({ ok: true });
      const opened = await desktop.router('project:open', { path: crafted }) as { ok: true; value: { warnings: { code: string }[] } };
      expect(opened.value.warnings.map((w) => w.code)).toContain('dataset-missing');
      expect((await desktop.router('datasets:inspect', { source: secret }) as { ok: boolean }).ok).toBe(false);
    } finally {
      await desktop.dispose();
    }
  });
});
