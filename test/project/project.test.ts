/**
 * Projects round-trip through `.nnstudio` files: what was saved opens identical (runs, weights,
 * history, predictions), and the dataset is found again when the project and its data move
 * together, reported when it moved away or changed, and carried inside the file when embedded.
 */
import { appendFileSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { unzipSync } from 'fflate';
import { base64ToBytes } from '../../shared/ipc/binary.js';
import { loadTableSample } from '../../shared/data/samples/index.js';
import { cellAt } from '../../shared/data/table.js';
import type { RawRow } from '../../shared/data/preprocess.js';
import { createProjectFromRun, draftConfig, newProject } from '../../shared/project/create.js';
import { migrateArchive } from '../../shared/project/migrate.js';
import { Project, PROJECT_FORMAT, PROJECT_VERSION } from '../../shared/project/schema.js';
import { predictRows } from '../../shared/runs/predict.js';
import type { RunRecord } from '../../shared/runs/results.js';
import { prepareDataset } from '../../main/data/index.js';
import { openProject, saveProject } from '../../main/projects/files.js';
import { ProjectService } from '../../main/projects/service.js';
import { tempFolder, trainRun, writeImageFolder, writeMixedCsv } from '../export/fixtures.js';

let iris: RunRecord;
let irisRows: RawRow[];

beforeAll(async () => {
  iris = await trainRun({ name: 'iris, 30 epochs', dataset: { source: 'sample:iris' }, training: { epochs: 30 } });
  const { table } = loadTableSample('iris');
  irisRows = Array.from({ length: table.rowCount }, (_, i) => Object.fromEntries(table.columns.slice(0, 4).map((c) => [c.name, cellAt(c, i)])));
}, 60_000);

describe('save → open', () => {
  it('gives back the same project: runs, weights, history and predictions', async () => {
    const failed: RunRecord = {
      ...iris, id: 'failed1', state: 'failed', outcome: undefined, history: iris.history.slice(0, 3),
      error: { name: 'Diverged', message: 'training diverged at epoch 4' },
    };
    const project: Project = { ...createProjectFromRun(iris), runs: [iris, failed], name: 'Iris study' };
    const path = join(tempFolder(), 'iris.nnstudio');
    const saved = await saveProject(path, project);
    expect(saved.savedAt).not.toBeNull();

    const { project: opened, warnings } = await openProject(path);
    expect(warnings).toEqual([]);
    // Everything comes back but the live-preview weights of the last progress report (transient by design).
    const withoutLiveWeights = (p: Project) => ({ ...p, runs: p.runs.map((r) => ({ ...r, progress: r.progress && { ...r.progress, weights: undefined } })) });
    expect(opened).toEqual(withoutLiveWeights(saved));
    expect(opened.runs[0].progress).toMatchObject({ kind: 'epoch', runId: iris.id });
    expect(opened.runs[0].history).toEqual(iris.history);
    expect(opened.runs[0].outcome!.weights).toBe(iris.outcome!.weights);
    expect(predictRows(opened.runs[0].outcome!, irisRows)).toEqual(predictRows(iris.outcome!, irisRows));
    expect(opened.chosenRunId).toBe(iris.id);
    expect(draftConfig(opened)).toMatchObject({ dataset: { source: 'sample:iris' }, training: { epochs: 30 } });
  });

  it('stores weights as binary entries and history as JSON beside project.json', async () => {
    const path = join(tempFolder(), 'p.nnstudio');
    await saveProject(path, createProjectFromRun(iris));
    const entries = unzipSync(readFileSync(path));
    const names = Object.keys(entries);
    expect(names[0]).toBe('project.json');
    expect(names).toContain(`runs/${iris.id}/weights.bin`);
    expect(names).toContain(`runs/${iris.id}/history.json`);
    const json = JSON.parse(new TextDecoder().decode(entries['project.json']));
    expect(json).toMatchObject({ format: PROJECT_FORMAT, version: PROJECT_VERSION });
    expect(JSON.stringify(json)).not.toContain(iris.outcome!.weights.slice(0, 40));
    expect(entries[`runs/${iris.id}/weights.bin`]).toEqual(base64ToBytes(iris.outcome!.weights));
  });

  it('marks a run that was still training as interrupted, keeping its history', async () => {
    const training: RunRecord = { ...iris, id: 'busy', state: 'training', outcome: undefined };
    const path = join(tempFolder(), 'busy.nnstudio');
    await saveProject(path, { ...newProject('Busy'), runs: [training] });
    const { project, warnings } = await openProject(path);
    expect(project.runs[0]).toMatchObject({ state: 'failed', error: { name: 'Interrupted' }, history: iris.history });
    expect(warnings.map((w) => w.code)).toEqual(['run-interrupted']);
  });

  it('starts new projects empty and with default choices', () => {
    const project = newProject();
    expect(project).toMatchObject({ name: 'Untitled', dataset: null, runs: [], chosenRunId: null, savedAt: null });
    expect(draftConfig(project)).toBeNull();
  });
});

describe('the dataset reference', () => {
  it('is stored relative to the project, so a project and its data can move together', async () => {
    const root = tempFolder();
    mkdirSync(join(root, 'work', 'data'), { recursive: true });
    const csv = writeMixedCsv(join(root, 'work', 'data'));
    const run = await trainRun({ dataset: { source: csv }, training: { epochs: 5 } });
    const path = join(root, 'work', 'houses.nnstudio');
    const saved = await saveProject(path, createProjectFromRun(run));
    expect(saved.dataset).toMatchObject({ source: csv, relativePath: 'data/houses.csv' });
    expect(saved.dataset!.sha256).toMatch(/^[0-9a-f]{64}$/);

    renameSync(join(root, 'work'), join(root, 'moved'));
    const { project, warnings } = await openProject(join(root, 'moved', 'houses.nnstudio'));
    expect(warnings).toEqual([]);
    const movedCsv = join(root, 'moved', 'data', 'houses.csv');
    expect(project.dataset!.source).toBe(movedCsv);
    expect(project.runs[0].config.dataset.source).toBe(movedCsv);
    expect(draftConfig(project)!.dataset.source).toBe(movedCsv);
  });

  it('reports a dataset that changed or went missing, and takes the person\'s answer when they locate it', async () => {
    const root = tempFolder();
    const csv = writeMixedCsv(root);
    const run = await trainRun({ dataset: { source: csv }, training: { epochs: 5 } });
    const path = join(root, 'houses.nnstudio');
    await saveProject(path, createProjectFromRun(run));

    appendFileSync(csv, '100.0,red,3,north,321.00\n');
    const changed = await openProject(path);
    expect(changed.warnings).toEqual([expect.objectContaining({ code: 'dataset-changed', path: csv })]);
    expect(changed.warnings[0].message).toContain('has changed since the project was saved');

    const elsewhere = join(tempFolder(), 'renamed.csv');
    renameSync(csv, elsewhere);
    const missing = await openProject(path);
    expect(missing.warnings).toEqual([expect.objectContaining({ code: 'dataset-missing' })]);
    expect(missing.warnings[0].message).toMatch(/the dataset houses\.csv was not found at .*houses\.csv; locate it/);

    const service = new ProjectService({ recoveryDir: join(root, 'recovery') });
    const located = await service.locateDataset(missing.project, elsewhere, path);
    expect(located.project.dataset!.source).toBe(elsewhere);
    expect(located.project.runs[0].config.dataset.source).toBe(elsewhere);
    expect(located.warnings.map((w) => w.code)).toEqual(['dataset-changed']); // it is the appended file
  });

  it('can be embedded: the file carries the data, unpacked again when the original is gone', async () => {
    const root = tempFolder();
    const csv = writeMixedCsv(root);
    const run = await trainRun({ dataset: { source: csv }, training: { epochs: 5 } });
    const project = createProjectFromRun(run);
    const path = join(root, 'embedded.nnstudio');
    await saveProject(path, { ...project, dataset: { ...project.dataset!, embed: true } });
    expect(Object.keys(unzipSync(readFileSync(path)))).toContain('dataset/houses.csv');
    const original = readFileSync(csv);
    rmSync(csv);

    const cache = join(root, 'cache');
    const { project: opened, warnings } = await openProject(path, { datasetCacheDir: cache });
    expect(warnings.map((w) => w.code)).toEqual(['dataset-extracted']);
    expect(opened.dataset!.source.startsWith(cache)).toBe(true);
    expect(readFileSync(opened.dataset!.source)).toEqual(original);
    expect(opened.runs[0].config.dataset.source).toBe(opened.dataset!.source);
    // The unpacked copy trains like the original.
    const prepared = await prepareDataset(opened.dataset!.source, opened.dataset!.options);
    expect(prepared.inputSize).toBe(run.outcome!.preprocessing.inputSize);
  });

  it('embeds a folder dataset (images) file by file', async () => {
    const root = tempFolder();
    const images = writeImageFolder(root);
    const path = join(root, 'bars.nnstudio');
    const project = { ...newProject('Bars'), dataset: { source: images, options: { imageSize: 6 }, embed: true } };
    await saveProject(path, project);
    rmSync(images, { recursive: true });
    const { project: opened } = await openProject(path, { datasetCacheDir: join(root, 'cache') });
    expect(readdirSync(opened.dataset!.source).sort()).toEqual(['diagonal', 'horizontal', 'vertical']);
    expect(readdirSync(join(opened.dataset!.source, 'vertical'))).toHaveLength(12);
  });
});

describe('migration of older versions', () => {
  it('runs each step from the file\'s version to the current one, and says so', () => {
    const steps: number[] = [];
    const archive = { json: { format: PROJECT_FORMAT, version: 1, old: true } as Record<string, unknown>, entries: new Map() };
    const warnings = migrateArchive(archive, 'old.nnstudio', {
      1: (a) => { steps.push(1); a.json.renamed = a.json.old; delete a.json.old; },
      2: (a) => { steps.push(2); a.entries.set('runs/x/history.json', new Uint8Array()); },
    }, 3);
    expect(steps).toEqual([1, 2]);
    expect(archive.json).toEqual({ format: PROJECT_FORMAT, version: 3, renamed: true });
    expect(archive.entries.has('runs/x/history.json')).toBe(true);
    expect(warnings.map((w) => w.code)).toEqual(['migrated']);
    expect(warnings[0].message).toContain('format version 1');
  });

  it('leaves a current file as it is', () => {
    const archive = { json: { format: PROJECT_FORMAT, version: PROJECT_VERSION } as Record<string, unknown>, entries: new Map() };
    expect(migrateArchive(archive, 'p.nnstudio')).toEqual([]);
  });
});
