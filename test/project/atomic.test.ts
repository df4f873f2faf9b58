/**
 * Saves are atomic: a process killed in the middle of saving leaves the previous file complete and
 * openable; the next save cleans up after it. And autosaves left by a crashed process are offered back.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { base64ToFloat32 } from '../../shared/ipc/binary.js';
import { createProjectFromRun } from '../../shared/project/create.js';
import { appRoot } from '../../main/paths.js';
import { backupPath, writeFileAtomic } from '../../main/projects/atomic.js';
import { openProject, saveProject } from '../../main/projects/files.js';
import { ProjectService } from '../../main/projects/service.js';
import { tempFolder, trainRun } from '../export/fixtures.js';

let child: string;
let template: string;

beforeAll(async () => {
  const outDir = join(appRoot, 'out', 'test');
  mkdirSync(outDir, { recursive: true });
  child = join(outDir, 'save-child.mjs');
  const run = await trainRun({ dataset: { source: 'sample:iris' }, training: { epochs: 5 } });
  template = join(tempFolder(), 'template.nnstudio');
  await Promise.all([
    saveProject(template, createProjectFromRun(run)),
    // Bundled next to the app (packages stay external, resolved from its node_modules).
    build({ entryPoints: [join(import.meta.dirname, 'fixtures', 'save-child.ts')], outfile: child, bundle: true, platform: 'node', format: 'esm', packages: 'external', logLevel: 'warning' }),
  ]);
}, 60_000);

/** Temp files a save leaves beside `target` while it writes. */
function tempsOf(target: string): string[] {
  const name = basename(target);
  return readdirSync(dirname(target)).filter((f) => f.startsWith(`.${name}.`) && f.endsWith('.tmp'));
}

describe('atomic save', () => {
  it('survives the saving process being killed mid-write: the old file stays intact and openable', async () => {
    const folder = tempFolder();
    const target = join(folder, 'work.nnstudio');
    writeFileSync(target, readFileSync(template));

    // ~4 MB of weights per save: long enough to be caught in the act.
    const proc = spawn(process.execPath, [child, 'loop', template, target, '125000'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (d: Buffer) => (stdout += d));
    proc.stderr.on('data', (d: Buffer) => (stderr += d));
    const exited = new Promise<NodeJS.Signals | null>((resolve) => proc.on('exit', (_code, signal) => resolve(signal)));

    // Wait for one complete save, then for the next one to be under way, and kill it right there.
    const deadline = Date.now() + 60_000;
    while (!stdout.includes('saved 1') && Date.now() < deadline && proc.exitCode === null) await new Promise((r) => setTimeout(r, 5));
    expect(stderr).toBe('');
    let caught = false;
    while (!caught && Date.now() < deadline) {
      if (tempsOf(target).length > 0) {
        proc.kill('SIGKILL');
        caught = true;
      } else await new Promise((r) => setTimeout(r, 1));
    }
    expect(caught).toBe(true);
    expect(await exited).toBe('SIGKILL');
    expect(tempsOf(target)).toHaveLength(1); // the interrupted save's temp file, left as the kill found it

    // The project file is a complete earlier version: it opens, and every weight is that version's.
    const { project } = await openProject(target);
    const weights = base64ToFloat32(project.runs[0].outcome!.weights);
    expect(weights.length).toBe(8 * 125_000 + 3);
    expect([1, 2]).toContain(weights[0]);
    expect(weights.every((w) => w === weights[0])).toBe(true);

    // The next save completes, removes the dead process's temp file and leaves no backup behind.
    await saveProject(target, project);
    expect(tempsOf(target)).toEqual([]);
    expect(existsSync(backupPath(target))).toBe(false);
    expect((await openProject(target)).project.runs[0].id).toBe(project.runs[0].id);
  }, 120_000);

  it('keeps the previous version as .bak only when asked, and never half-writes on failure', async () => {
    const folder = tempFolder();
    const target = join(folder, 'a.txt');
    await writeFileAtomic(target, new TextEncoder().encode('one'));
    await writeFileAtomic(target, new TextEncoder().encode('two'), { keepBackup: true });
    expect(readFileSync(target, 'utf8')).toBe('two');
    expect(readFileSync(backupPath(target), 'utf8')).toBe('one');
    await writeFileAtomic(target, new TextEncoder().encode('three'));
    expect(existsSync(backupPath(target))).toBe(false);

    // Saving into a folder that does not exist fails cleanly: a ProjectError, nothing written.
    await expect(saveProject(join(folder, 'missing', 'p.nnstudio'), (await openProject(template)).project))
      .rejects.toThrow(/p\.nnstudio: cannot be saved: there is no such file \(or its folder does not exist\)/);
    expect(readdirSync(folder).sort()).toEqual(['a.txt']);
  });
});

describe('autosave and recovery', () => {
  it('offers back the work of a process that crashed, and forgets it once saved', async () => {
    const folder = tempFolder();
    const recoveryDir = join(folder, 'recovery');
    const original = join(folder, 'project.nnstudio');
    // A process autosaves and dies without discarding its autosave.
    execFileSync(process.execPath, [child, 'autosave', template, recoveryDir, original]);

    const service = new ProjectService({ recoveryDir });
    const offers = await service.recoveryOffers();
    expect(offers).toHaveLength(1);
    expect(offers[0]).toMatchObject({ originalPath: original, name: 'Unsaved work' });

    const recovered = await service.recover(offers[0].key);
    expect(recovered.path).toBe(original);
    expect(recovered.project.name).toBe('Unsaved work');
    expect(recovered.project.runs).toEqual((await openProject(template)).project.runs);

    // Saving it where it belongs drops the autosave: no offer next time.
    await service.save(original, recovered.project, recovered.path);
    expect(await service.recoveryOffers()).toEqual([]);
    expect(statSync(original).size).toBeGreaterThan(0);
  });

  it('does not offer this process\'s own autosaves (they are not crashed work)', async () => {
    const service = new ProjectService({ recoveryDir: join(tempFolder(), 'recovery') });
    const { project } = await openProject(template);
    await service.autosave(project, null);
    expect(await service.recoveryOffers()).toEqual([]);
    await service.discardAutosave(null);
    expect(readdirSync(service.recovery.dir)).toEqual([]);
  });
});
