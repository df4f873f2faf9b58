import { mkdirSync, mkdtempSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { Grants, realLocation } from '../../main/services/grants.js';

describe('grants', () => {
  let root: string;
  let granted: string;
  let secret: string;
  beforeEach(() => {
    root = realpathSync(mkdtempSync(join(tmpdir(), 'nn-grants-')));
    granted = join(root, 'workspace');
    mkdirSync(join(granted, 'data'), { recursive: true });
    writeFileSync(join(granted, 'data', 'points.csv'), 'x,y\n1,2\n');
    secret = join(root, 'secret.key');
    writeFileSync(secret, 'PRIVATE');
  });

  it('allows what a granted folder holds and refuses what is beside it, naming the path and the remedy', async () => {
    const grants = new Grants();
    await grants.grant(granted, 'folder', ['read']);
    expect(await grants.check(join(granted, 'data', 'points.csv'), 'read')).toBe(join(granted, 'data', 'points.csv'));
    await expect(grants.check(secret, 'read', 'the dataset')).rejects.toMatchObject({
      name: 'NotGranted',
      message: `the dataset ${secret} cannot be read: it was not chosen in this session; open it with File ▸ Open or drop it on the window`,
    });
  });

  it('keeps read and write apart', async () => {
    const grants = new Grants();
    await grants.grant(granted, 'folder', ['read']);
    await expect(grants.check(join(granted, 'out.nnstudio'), 'write')).rejects.toMatchObject({ name: 'NotGranted' });
    await grants.grant(granted, 'folder', ['write']);
    await expect(grants.check(join(granted, 'out.nnstudio'), 'write')).resolves.toBe(join(granted, 'out.nnstudio'));
  });

  it('a file grant covers that file only, not its folder', async () => {
    const grants = new Grants();
    await grants.grant(join(granted, 'data', 'points.csv'), 'file', ['read']);
    expect(await grants.allows(join(granted, 'data', 'points.csv'), 'read')).toBe(true);
    expect(await grants.allows(join(granted, 'data'), 'read')).toBe(false);
    expect(await grants.allows(join(granted, 'data', 'other.csv'), 'read')).toBe(false);
  });

  it('`..` cannot climb out of a granted folder', async () => {
    const grants = new Grants();
    await grants.grant(granted, 'folder', ['read', 'write']);
    expect(await grants.allows(join(granted, '..', 'secret.key'), 'read')).toBe(false);
    expect(await grants.allows(`${granted}/data/../../secret.key`, 'write')).toBe(false);
    // A sibling whose name starts with the folder's is not inside it.
    mkdirSync(`${granted}-evil`);
    expect(await grants.allows(join(`${granted}-evil`, 'x.csv'), 'read')).toBe(false);
  });

  it('a symlink inside a granted folder that points outside is refused, for reads and for new files through it', async () => {
    const grants = new Grants();
    await grants.grant(granted, 'folder', ['read', 'write']);
    symlinkSync(secret, join(granted, 'innocent.csv'));
    symlinkSync(root, join(granted, 'up'));
    symlinkSync(join(root, 'not-yet.txt'), join(granted, 'dangling.nnstudio'));
    expect(await grants.allows(join(granted, 'innocent.csv'), 'read')).toBe(false);
    expect(await grants.allows(join(granted, 'up', 'secret.key'), 'read')).toBe(false);
    expect(await grants.allows(join(granted, 'up', 'new-file'), 'write')).toBe(false);
    expect(await grants.allows(join(granted, 'dangling.nnstudio'), 'write')).toBe(false);
    expect(await realLocation(join(granted, 'dangling.nnstudio'))).toBe(join(root, 'not-yet.txt'));
  });

  it('a grant made through a symlink covers the real file, and a loop of links is refused', async () => {
    const grants = new Grants();
    symlinkSync(join(granted, 'data'), join(root, 'shortcut'));
    await grants.grant(join(root, 'shortcut'), 'folder', ['read']);
    expect(await grants.allows(join(granted, 'data', 'points.csv'), 'read')).toBe(true);
    symlinkSync(join(root, 'loop-b'), join(root, 'loop-a'));
    symlinkSync(join(root, 'loop-a'), join(root, 'loop-b'));
    await expect(grants.check(join(root, 'loop-a'), 'read')).rejects.toMatchObject({ name: 'NotGranted' });
  });

  it('a path that does not exist yet resolves through its existing parent', async () => {
    expect(await realLocation(join(granted, 'new', 'deeper', 'file.onnx'))).toBe(join(granted, 'new', 'deeper', 'file.onnx'));
  });
});
