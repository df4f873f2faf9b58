import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { readJson, serialWriter, writeJsonAtomic } from '../../main/electron/json-store.js';
import { addRecent, pruneRecent, RECENT_LIMIT, removeRecent, samePath } from '../../main/electron/recent.js';
import { centredIn, restoreBounds, WindowState } from '../../main/electron/window-state.js';

describe('recent projects', () => {
  it('puts the latest first and lists each project once', () => {
    let list: string[] = [];
    for (const p of ['/a.nnstudio', '/b.nnstudio', '/a.nnstudio']) list = addRecent(list, p, 'linux');
    expect(list).toEqual(['/a.nnstudio', '/b.nnstudio']);
  });

  it('keeps only the newest ten', () => {
    let list: string[] = [];
    for (let i = 0; i < 15; i++) list = addRecent(list, `/p${i}.nnstudio`, 'linux');
    expect(list).toHaveLength(RECENT_LIMIT);
    expect(list[0]).toBe('/p14.nnstudio');
    expect(list.at(-1)).toBe('/p5.nnstudio');
  });

  it('treats paths differing only in case as one file on Windows and macOS, two on Linux', () => {
    expect(addRecent(['C:\\Work\\Iris.nnstudio'], 'c:/work/iris.nnstudio', 'win32')).toEqual(['c:/work/iris.nnstudio']);
    expect(samePath('/Users/a/X.nnstudio', '/users/a/x.nnstudio', 'darwin')).toBe(true);
    expect(addRecent(['/home/a/X.nnstudio'], '/home/a/x.nnstudio', 'linux')).toHaveLength(2);
  });

  it('drops a project that failed to open', () => {
    expect(removeRecent(['/a.nnstudio', '/b.nnstudio'], '/a.nnstudio', 'linux')).toEqual(['/b.nnstudio']);
  });

  it('drops files that are gone and junk from a stored list', () => {
    const onDisk = new Set(['/kept.nnstudio', '/also.nnstudio']);
    const stored = ['/kept.nnstudio', '/deleted.nnstudio', '', '/kept.nnstudio', '/also.nnstudio'];
    expect(pruneRecent(stored, (p) => onDisk.has(p), 'linux')).toEqual(['/kept.nnstudio', '/also.nnstudio']);
  });
});

describe('settings files in userData', () => {
  let dir: string;
  beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'nn-studio-store-'))));
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('round-trips through an atomic write and leaves no temporary file behind', async () => {
    const file = join(dir, 'nested', 'recent.json');
    await writeJsonAtomic(file, ['/a.nnstudio']);
    await writeJsonAtomic(file, ['/b.nnstudio', '/a.nnstudio']);
    expect(await readJson(file, z.array(z.string()), [])).toEqual(['/b.nnstudio', '/a.nnstudio']);
    expect(await readdir(join(dir, 'nested'))).toEqual(['recent.json']);
  });

  it('keeps the old file when a write fails half way', async () => {
    const file = join(dir, 'recent.json');
    await writeJsonAtomic(file, ['/safe.nnstudio']);
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    await expect(writeJsonAtomic(file, circular)).rejects.toThrow();
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual(['/safe.nnstudio']);
    expect(await readdir(dir)).toEqual(['recent.json']);
  });

  it('gives the default for a missing, corrupt or wrongly shaped file instead of failing', async () => {
    const schema = z.array(z.string());
    expect(await readJson(join(dir, 'none.json'), schema, [])).toEqual([]);
    await writeFile(join(dir, 'corrupt.json'), '["/a.nnstu');
    expect(await readJson(join(dir, 'corrupt.json'), schema, [])).toEqual([]);
    await writeFile(join(dir, 'shape.json'), '{"recent": 3}');
    expect(await readJson(join(dir, 'shape.json'), WindowState, null)).toBeNull();
  });

  it('applies quick successive saves in order, and says when all are on disk', async () => {
    const file = join(dir, 'window-state.json');
    const writer = serialWriter(file);
    for (const n of [1, 2, 3, 4, 5]) void writer.write({ n });
    await writer.idle();
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ n: 5 });
  });

  it('goes on writing after a failed write, and idle() does not throw for it', async () => {
    const writer = serialWriter(join(dir, 'x.json'));
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    await expect(writer.write(circular)).rejects.toThrow();
    await writer.write({ ok: true });
    await expect(writer.idle()).resolves.toBeUndefined();
    expect(JSON.parse(await readFile(join(dir, 'x.json'), 'utf8'))).toEqual({ ok: true });
  });
});

describe('remembered window bounds', () => {
  const laptop = { x: 0, y: 0, width: 1920, height: 1050 };
  const rightMonitor = { x: 1920, y: 0, width: 2560, height: 1400 };
  const saved = (x: number, y: number, width = 1280, height = 800) => WindowState.parse({ x, y, width, height });

  it('reopens where the window was when that place is on a connected display', () => {
    expect(restoreBounds(saved(2200, 100), [laptop, rightMonitor], laptop)).toEqual({ x: 2200, y: 100, width: 1280, height: 800 });
  });

  it('centres the window on the primary display when its monitor was unplugged', () => {
    const bounds = restoreBounds(saved(2200, 100), [laptop], laptop);
    expect(bounds).toEqual({ x: 320, y: 125, width: 1280, height: 800 });
  });

  it('does not trust a position whose title bar would be off screen (above the top, or a sliver at an edge)', () => {
    expect(restoreBounds(saved(100, -500), [laptop], laptop)).toEqual(centredIn(laptop));
    expect(restoreBounds(saved(1880, 100), [laptop], laptop)).toEqual(centredIn(laptop));
  });

  it('shrinks a window bigger than its display (the resolution went down) but not below the minimum', () => {
    const small = { x: 0, y: 0, width: 1024, height: 700 };
    expect(restoreBounds(saved(0, 0, 2400, 1400), [small], small)).toEqual({ x: 0, y: 0, width: 1024, height: 700 });
    expect(restoreBounds(saved(0, 0, 400, 300), [laptop], laptop)).toEqual({ x: 0, y: 0, width: 900, height: 600 });
  });

  it('opens at the default size, centred, the first time', () => {
    expect(restoreBounds(null, [laptop], laptop)).toEqual({ x: 320, y: 125, width: 1280, height: 800 });
    // A display smaller than the default gets a window that fits.
    const tiny = { x: 0, y: 0, width: 1024, height: 600 };
    expect(restoreBounds(null, [tiny], tiny)).toEqual({ x: 0, y: 0, width: 1024, height: 600 });
  });

  it('reads back what it stores, with maximised and full-screen states', () => {
    expect(WindowState.parse({ x: 1, y: 2, width: 3, height: 4 })).toEqual({ x: 1, y: 2, width: 3, height: 4, maximized: false, fullScreen: false });
    expect(WindowState.safeParse({ x: 1, y: 2, width: -3, height: 4 }).success).toBe(false);
  });
});
