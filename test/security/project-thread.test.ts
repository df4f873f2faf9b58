/**
 * Issue 13, item 5: a project file is decoded on a worker thread, so the process serving the
 * studio (the web host answers every client from one event loop) keeps running while a large
 * or hostile file is inflated and checked; refusals cross back as the same ProjectError.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeOffThread } from '../../main/projects/decode.js';
import { saveProject } from '../../main/projects/files.js';
import { createProjectFromRun } from '../../shared/project/create.js';
import { decodeProject } from '../../shared/project/codec.js';
import { DEFAULT_ZIP_LIMITS } from '../../shared/project/zip.js';
import { ProjectError } from '../../shared/project/errors.js';
import { tempFolder, trainRun } from '../export/fixtures.js';

let good: Uint8Array;
let path: string;
beforeAll(async () => {
  const run = await trainRun({ dataset: { source: 'sample:iris' }, training: { epochs: 3 } });
  path = join(tempFolder(), 'iris.nnstudio');
  await saveProject(path, createProjectFromRun(run, 'iris'));
  good = readFileSync(path);
}, 60_000);

describe('decoding projects off the main thread', () => {
  it('decodes on another thread exactly what the codec decodes in place', async () => {
    const { decoded, threadId } = await decodeOffThread(good.slice(), path, DEFAULT_ZIP_LIMITS);
    expect(threadId).not.toBe(0);
    expect(decoded).toEqual(decodeProject(good, path));
  });

  it('keeps the caller’s event loop turning while it decodes', async () => {
    let ticks = 0;
    let decoding = true;
    const spin = (async () => {
      while (decoding) {
        await new Promise((r) => setImmediate(r));
        ticks++;
      }
    })();
    await decodeOffThread(good.slice(), path, DEFAULT_ZIP_LIMITS);
    decoding = false;
    await spin;
    expect(ticks).toBeGreaterThan(0);
  });

  it('a refusal crosses back as the same ProjectError, code and message', async () => {
    const bad = zipSync({ 'notes.txt': new TextEncoder().encode('hello') });
    const inPlace = (() => { try { decodeProject(bad, path); } catch (e) { return e as ProjectError; } })()!;
    const error = await decodeOffThread(bad, path, DEFAULT_ZIP_LIMITS).then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(ProjectError);
    expect((error as ProjectError).code).toBe(inPlace.code);
    expect((error as ProjectError).message).toBe(inPlace.message);
    expect((error as ProjectError).message).toBe(`${path}: is a zip file but not an NN Studio project (it has no project.json)`);
  });
});
