import { mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { grantDropped, grantHandedOver, grantingDialogs, grantOpened, grantSaveTarget } from '../../main/electron/grant-points.js';
import { createLaunchQueue } from '../../main/electron/launch-queue.js';
import { Grants } from '../../main/services/grants.js';

describe('desktop grant points', () => {
  let dir: string;
  let grants: Grants;
  beforeEach(() => {
    dir = realpathSync(mkdtempSync(join(tmpdir(), 'nn-grant-points-')));
    mkdirSync(join(dir, 'images', 'cats'), { recursive: true });
    writeFileSync(join(dir, 'images', 'cats', '1.png'), 'png');
    writeFileSync(join(dir, 'a.nnstudio'), 'zip');
    writeFileSync(join(dir, 'points.csv'), 'x\n1\n');
    grants = new Grants();
  });

  it('a project chosen in the open dialog may be read and saved back; a dataset only read', async () => {
    await grantOpened(grants, 'project', [join(dir, 'a.nnstudio')]);
    await grantOpened(grants, 'dataset', [join(dir, 'points.csv')]);
    expect(await grants.allows(join(dir, 'a.nnstudio'), 'write')).toBe(true);
    expect(await grants.allows(join(dir, 'points.csv'), 'read')).toBe(true);
    expect(await grants.allows(join(dir, 'points.csv'), 'write')).toBe(false);
  });

  it('a chosen folder covers its files; nothing beside it', async () => {
    await grantOpened(grants, 'dataset-folder', [join(dir, 'images')]);
    expect(await grants.allows(join(dir, 'images', 'cats', '1.png'), 'read')).toBe(true);
    expect(await grants.allows(join(dir, 'points.csv'), 'read')).toBe(false);
  });

  it('a save target that does not exist yet may be written, its folder not', async () => {
    await grantSaveTarget(grants, join(dir, 'new.nnstudio'));
    expect(await grants.allows(join(dir, 'new.nnstudio'), 'write')).toBe(true);
    expect(await grants.allows(join(dir, 'other.nnstudio'), 'write')).toBe(false);
  });

  it('files from the OS or a drop are granted by kind, and junk from the bridge is ignored', async () => {
    await grantHandedOver(grants, join(dir, 'a.nnstudio'));
    await grantDropped(grants, [join(dir, 'points.csv'), 42, '', null]);
    await grantDropped(grants, 'not an array');
    expect(await grants.allows(join(dir, 'a.nnstudio'), 'write')).toBe(true);
    expect(await grants.allows(join(dir, 'points.csv'), 'read')).toBe(true);
    expect(await grants.allows(join(dir, 'points.csv'), 'write')).toBe(false);
    expect(grants.list().length).toBe(2);
  });

  it('a request right after a drop sees the drop (grants are recorded in order)', async () => {
    void grantDropped(grants, [join(dir, 'points.csv')]); // the preload's message, not awaited by main
    await expect(grants.check(join(dir, 'points.csv'), 'read')).resolves.toBe(join(dir, 'points.csv'));
  });

  it('the dialogs record what the person picked before the page gets it; a cancelled dialog grants nothing', async () => {
    const picks: Record<string, string[]> = { dataset: [join(dir, 'points.csv')], project: [] };
    const dialogs = grantingDialogs({
      open: async (_win, kind) => picks[kind] ?? [],
      save: async () => join(dir, 'new.onnx'),
    }, grants);
    expect(await dialogs.open(null as never, 'project')).toEqual([]);
    expect(await grants.allows(join(dir, 'a.nnstudio'), 'read')).toBe(false);
    expect(await dialogs.open(null as never, 'dataset')).toEqual([join(dir, 'points.csv')]);
    expect(await grants.allows(join(dir, 'points.csv'), 'read')).toBe(true);
    expect(await dialogs.save(null as never, {} as never)).toBe(join(dir, 'new.onnx'));
    expect(await grants.allows(join(dir, 'new.onnx'), 'write')).toBe(true);
  });

  it('a file the OS opens with the app is granted as it is handed to the window', async () => {
    const granted: string[] = [];
    const sent: unknown[] = [];
    const win = { send: (c: unknown) => sent.push(c) };
    const queue = createLaunchQueue({ app: { isReady: () => true } }, {
      argv: ['nn-studio', join(dir, 'a.nnstudio')], cwd: dir, defaultApp: false, platform: 'linux',
      windows: { target: () => win, bringToFront: () => {} }, grant: (file) => granted.push(file.path),
    });
    expect(granted).toEqual([]); // held until a window exists
    queue.deliverPending(win);
    expect(granted).toEqual([join(dir, 'a.nnstudio')]);
    expect(sent).toEqual([{ command: 'open', path: join(dir, 'a.nnstudio') }]);
  });
});
