/**
 * A bad project file is refused with a message saying what is wrong with it — corrupt, truncated,
 * foreign, from a newer studio, incomplete, a zip slip, a zip bomb — and nothing else is touched:
 * the file stays as it was, nothing is written beside it or extracted, and the project the person
 * has open stays theirs (opening yields a project only when the whole file checked out).
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { unzipSync, zipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { createProjectFromRun } from '../../shared/project/create.js';
import { ProjectError, type ProjectErrorCode } from '../../shared/project/errors.js';
import { openProject, saveProject } from '../../main/projects/files.js';
import { ProjectService } from '../../main/projects/service.js';
import { tempFolder, trainRun } from '../export/fixtures.js';

let good: Uint8Array;
let runId: string;
let folder: string;

beforeAll(async () => {
  const run = await trainRun({ dataset: { source: 'sample:iris' }, training: { epochs: 5 } });
  runId = run.id;
  folder = tempFolder('nn-studio-bad-');
  const path = join(folder, 'good.nnstudio');
  await saveProject(path, createProjectFromRun(run));
  good = readFileSync(path);
}, 60_000);

const utf8 = new TextEncoder();

/** The good project's entries, to rebuild variants of it. */
function goodEntries(): Record<string, Uint8Array> {
  return unzipSync(good);
}

function goodJson(): Record<string, unknown> {
  return JSON.parse(new TextDecoder().decode(goodEntries()['project.json'])) as Record<string, unknown>;
}

/**
 * Writes `bytes` as a project file, opens it through the service (as the app does), and checks the
 * refusal: a ProjectError with `code` and a message naming the file and matching `message`; the
 * file unchanged; nothing new in its folder or in the dataset cache.
 */
async function expectRefused(name: string, bytes: Uint8Array, code: ProjectErrorCode, message: RegExp): Promise<void> {
  const dir = join(folder, name);
  const path = join(dir, `${name}.nnstudio`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path, bytes);
  const cache = join(dir, 'cache');
  const service = new ProjectService({ recoveryDir: join(dir, 'recovery'), datasetCacheDir: cache });
  const before = readdirSync(dir).sort();

  let error: unknown;
  await service.open(path).then(() => undefined, (e: unknown) => (error = e));
  expect(error, `${name} was not refused`).toBeInstanceOf(ProjectError);
  const refusal = error as ProjectError;
  expect(refusal.code).toBe(code);
  expect(refusal.message.startsWith(`${path}: `)).toBe(true);
  expect(refusal.message).toMatch(message);
  expect(refusal.message).not.toContain('\n');

  expect(readFileSync(path)).toEqual(Buffer.from(bytes));
  expect(readdirSync(dir).sort()).toEqual(before);
  expect(existsSync(cache)).toBe(false);
}

/** Little-endian u32 at `at`. */
function setU32(bytes: Uint8Array, at: number, value: number): void {
  new DataView(bytes.buffer, bytes.byteOffset).setUint32(at, value, true);
}

/** Offsets of every central-directory header (signature PK\1\2). */
function centralHeaders(bytes: Uint8Array): number[] {
  const found: number[] = [];
  for (let i = 0; i + 4 <= bytes.length; i++) {
    if (bytes[i] === 0x50 && bytes[i + 1] === 0x4b && bytes[i + 2] === 1 && bytes[i + 3] === 2) found.push(i);
  }
  return found;
}

describe('opening a bad project file', () => {
  it('opens the good one (the control)', async () => {
    const { project } = await openProject(join(folder, 'good.nnstudio'));
    expect(project.runs).toHaveLength(1);
  });

  it('refuses a corrupt file: damaged weights fail their checksum', async () => {
    const bytes = good.slice();
    const weights = goodEntries()[`runs/${runId}/weights.bin`];
    // Weights are stored uncompressed: find them and flip one byte.
    const at = Buffer.from(bytes).indexOf(Buffer.from(weights.subarray(0, 16)));
    bytes[at + 5] ^= 0xff;
    await expectRefused('corrupt-weights', bytes, 'corrupt', /is damaged: the data of 'runs\/.*\/weights\.bin' fails its checksum/);
  });

  it('refuses a corrupt file: project.json is not JSON, or not a project', async () => {
    await expectRefused('corrupt-json', zipSync({ ...goodEntries(), 'project.json': utf8.encode('{"format": "nn-studio-project", "version": 1, ') }),
      'corrupt', /is damaged: project\.json is not valid JSON/);
    const json = { ...goodJson(), runs: 'three' };
    await expectRefused('corrupt-schema', zipSync({ ...goodEntries(), 'project.json': utf8.encode(JSON.stringify(json)) }),
      'corrupt', /is damaged: project\.json does not match the project format \(runs: /);
  });

  it('refuses a truncated file', async () => {
    await expectRefused('truncated', good.slice(0, Math.floor(good.length * 0.6)), 'truncated', /is truncated or damaged: the end of the zip .* is missing/);
  });

  it('refuses foreign files: not a zip, a zip without a project, another program\'s project.json', async () => {
    await expectRefused('png', Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]), 'foreign', /is not an NN Studio project \(it is not a zip file\)/);
    await expectRefused('other-zip', zipSync({ 'data/iris.csv': utf8.encode('a,b\n1,2\n') }), 'foreign', /is a zip file but not an NN Studio project \(it has no project\.json\)/);
    await expectRefused('other-json', zipSync({ 'project.json': utf8.encode(JSON.stringify({ format: 'sketchbook', version: 3 })) }),
      'foreign', /is not an NN Studio project \(its project\.json has format 'sketchbook', expected 'nn-studio-project'\)/);
  });

  it('refuses a file from a newer NN Studio, saying to update', async () => {
    const json = { ...goodJson(), version: 7 };
    await expectRefused('newer', zipSync({ ...goodEntries(), 'project.json': utf8.encode(JSON.stringify(json)) }),
      'newer-version', /was saved by a newer NN Studio \(project format version 7; this one reads versions up to 2\); update NN Studio to open it/);
  });

  it('refuses an incomplete file: a run\'s weights are missing', async () => {
    const entries = goodEntries();
    delete entries[`runs/${runId}/weights.bin`];
    await expectRefused('missing', zipSync(entries), 'missing-entry', /is incomplete: the weights of run .* \(runs\/.*\/weights\.bin\) is missing/);
  });

  it('refuses zip slips: entries named to escape their folder are never extracted', async () => {
    for (const [name, evil] of [['slip-dots', '../../evil.txt'], ['slip-absolute', '/tmp/evil.txt'], ['slip-drive', 'C:\\evil.txt'], ['slip-dataset', 'dataset/../../evil.txt']] as const) {
      await expectRefused(name, zipSync({ ...goodEntries(), [evil]: utf8.encode('owned') }), 'unsafe-entry',
        /holds an entry named '.*evil\.txt', which would be written outside its folder \(a "zip slip"\)/);
    }
    expect(existsSync(join(dirname(folder), 'evil.txt'))).toBe(false);
  });

  it('refuses a zip bomb by its declared sizes, before inflating anything', async () => {
    const bytes = zipSync({ ...goodEntries(), 'a.bin': new Uint8Array(10), 'b.bin': new Uint8Array(10), 'c.bin': new Uint8Array(10) });
    // Each of the three extra entries claims 1 GiB uncompressed: 3 GiB in all.
    for (const at of centralHeaders(bytes).slice(-3)) setU32(bytes, at + 24, 1024 ** 3);
    await expectRefused('bomb-declared', bytes, 'too-large', /would inflate to more than 2 GiB \(a zip bomb, or not a project\); refusing it unopened/);
  });

  it('refuses a zip bomb that lies about its size, stopping as soon as it inflates past it', async () => {
    // 16 MiB of zeros deflate to about 16 kB; the directory claims 1,000 bytes.
    const bytes = zipSync({ ...goodEntries(), 'bomb.bin': [new Uint8Array(16 * 1024 ** 2), { level: 9 }] });
    expect(bytes.length).toBeLessThan(good.length + 50_000);
    const bombHeader = centralHeaders(bytes).at(-1)!;
    setU32(bytes, bombHeader + 24, 1000);
    const local = new DataView(bytes.buffer).getUint32(bombHeader + 42, true);
    setU32(bytes, local + 22, 1000);
    await expectRefused('bomb-lying', bytes, 'too-large', /'bomb\.bin' inflates to more than the 1000 bytes it declares \(a zip bomb\)/);
  });

  it('refuses a file with more entries than a project may hold', async () => {
    const bytes = good.slice();
    // The end record's entry count (offset 10 from its signature PK\5\6).
    const end = Buffer.from(bytes).lastIndexOf(Buffer.from([0x50, 0x4b, 5, 6]));
    bytes[end + 10] = 0x50;
    bytes[end + 11] = 0xc3; // 50,000
    await expectRefused('too-many', bytes, 'too-large', /holds 50000 entries, more than a project may \(20000\)/);
  });

  it('refuses a missing file or a folder with a plain message', async () => {
    await expect(openProject(join(folder, 'nope.nnstudio'))).rejects.toThrow(/nope\.nnstudio: cannot be opened: there is no such file/);
    await expect(openProject(folder)).rejects.toThrow(/: is a folder, not a project file/);
  });
});
