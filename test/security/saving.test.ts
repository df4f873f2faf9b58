/**
 * Issue 13, item 4: a save respects what is at its target. Special files are refused before a byte
 * is written (a rename would put a plain file where a device, FIFO or socket was), symbolic links
 * are written through, and the replaced file's mode carries over. Real files, real CLI.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readlinkSync, lstatSync, statSync, symlinkSync, writeFileSync, chmodSync, mkdirSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../main/projects/atomic.js';

const bin = join(import.meta.dirname, '..', '..', 'main', 'cli', 'bin.cjs');
const bytes = (s: string) => new TextEncoder().encode(s);
const folder = () => mkdtempSync(join(tmpdir(), 'nn-studio-save-'));

/** A character device like /dev/full (1, 7), made in a temp folder so that a regression cannot replace the real one. */
function makeDevice(dir: string): string | null {
  const path = join(dir, 'full');
  try {
    execFileSync('mknod', [path, 'c', '1', '7'], { stdio: 'ignore' });
    return path;
  } catch {
    return null;
  }
}

const canMakeDevices = makeDevice(folder()) !== null;
if (!canMakeDevices) console.warn('mknod is not allowed here (not root?): the device cases are skipped; FIFOs, sockets and folders still run');

describe('saving over what is already there', () => {
  it('refuses a FIFO, a socket, a folder and a device, leaving each as it was', async () => {
    const dir = folder();
    const fifo = join(dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
    const sub = join(dir, 'sub');
    mkdirSync(sub);
    const socket = join(dir, 'sock');
    const server = createServer();
    await new Promise<void>((r) => server.listen(socket, r));
    try {
      const targets: Array<[string, RegExp, (p: string) => boolean]> = [
        [fifo, /is a FIFO \(named pipe\), not a regular file/, (p) => lstatSync(p).isFIFO()],
        [socket, /is a socket, not a regular file/, (p) => lstatSync(p).isSocket()],
        [sub, /is a folder, not a regular file/, (p) => lstatSync(p).isDirectory()],
      ];
      const device = makeDevice(dir);
      if (device) targets.push([device, /is a device, not a regular file/, (p) => lstatSync(p).isCharacterDevice()]);
      for (const [path, message, stillThere] of targets) {
        await expect(writeFileAtomic(path, bytes('zip'))).rejects.toThrow(message);
        expect(stillThere(path), path).toBe(true);
      }
      // Nothing was left behind: no temp files, no backups.
      expect(readdirSync(dir).sort()).toEqual(['pipe', 'sock', 'sub', ...(device ? ['full'] : [])].sort());
    } finally {
      server.close();
    }
  });

  it('writes through a symbolic link: the link stays, its file gets the new bytes', async () => {
    const dir = folder();
    const real = join(dir, 'real.nnstudio');
    writeFileSync(real, 'old');
    const link = join(dir, 'link.nnstudio');
    symlinkSync('real.nnstudio', link);
    await writeFileAtomic(link, bytes('new'));
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe('real.nnstudio');
    expect(readFileSync(real, 'utf8')).toBe('new');
    // A link whose file does not exist yet creates that file.
    const dangling = join(dir, 'later.nnstudio');
    symlinkSync('made-by-save.nnstudio', dangling);
    await writeFileAtomic(dangling, bytes('first'));
    expect(lstatSync(dangling).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(dir, 'made-by-save.nnstudio'), 'utf8')).toBe('first');
  });

  it('keeps the mode of the file it replaces (a private 0600 project stays private)', async () => {
    const dir = folder();
    const path = join(dir, 'private.nnstudio');
    writeFileSync(path, 'old');
    chmodSync(path, 0o600);
    await writeFileAtomic(path, bytes('new'));
    expect(statSync(path).mode & 0o777).toBe(0o600);
    chmodSync(path, 0o640);
    await writeFileAtomic(path, bytes('newer'));
    expect(statSync(path).mode & 0o777).toBe(0o640);
    expect(readFileSync(path, 'utf8')).toBe('newer');
  });
});

describe('opening a special file as a project', () => {
  it('refuses a FIFO at once instead of blocking on it', async () => {
    const fifo = join(folder(), 'waiting.nnstudio');
    execFileSync('mkfifo', [fifo]);
    const { openProject } = await import('../../main/projects/files.js');
    await expect(openProject(fifo)).rejects.toThrow(`${fifo}: is not a regular file (a device, named pipe or socket), so not a project file`);
  });
});

describe('the CLI saving onto a special file', () => {
  let dir: string;
  beforeAll(() => {
    dir = folder();
    const run = spawnSync(process.execPath, [bin, 'train', 'sample:iris', '--epochs', '2', '--out', join(dir, 'iris.nnstudio')], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
  }, 60_000);

  it('export --out FIFO exits 2 with one line naming it, and the FIFO is still a FIFO', () => {
    const fifo = join(dir, 'out.onnx');
    execFileSync('mkfifo', [fifo]);
    const run = spawnSync(process.execPath, [bin, 'export', join(dir, 'iris.nnstudio'), '--format', 'onnx', '--out', fifo], { encoding: 'utf8' });
    expect(run.status).toBe(2);
    expect(run.stderr.trim().split('\n')).toEqual([`nn-studio export: ${fifo}: is a FIFO (named pipe), not a regular file; choose a file name to save to`]);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
  });

  it.skipIf(!canMakeDevices)('export --out onto a device exits 2 and leaves the device in place', () => {
    const device = makeDevice(dir)!;
    const run = spawnSync(process.execPath, [bin, 'export', join(dir, 'iris.nnstudio'), '--format', 'json', '--out', device], { encoding: 'utf8' });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/is a device, not a regular file/);
    expect(lstatSync(device).isCharacterDevice()).toBe(true);
  });
});
