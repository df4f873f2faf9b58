/**
 * `nn-studio import` and `export --format pytorch` refuse a person's mistakes with one line and
 * exit code 2: the wrong arguments, a folder that is not a PyTorch result, a damaged result file,
 * a network the PyTorch job cannot reproduce.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { nnStudio } from './run.js';
import { tempFolder } from '../export/fixtures.js';

const folder = tempFolder('nn-studio-import-cli-');
const project = join(folder, 'xor.nnstudio');

function oneLine(stderr: string): string {
  const lines = stderr.trim().split('\n').filter((l) => !l.startsWith('note:'));
  expect(lines).toHaveLength(1);
  expect(stderr).not.toMatch(/\n\s+at /);
  return lines[0];
}

describe('nn-studio import and export --format pytorch: mistakes', () => {
  beforeAll(() => {
    const trained = nnStudio(['train', 'sample:xor', '--layers', '4:tanh', '--epochs', '2', '--out', project]);
    expect(trained.code, trained.stderr).toBe(0);
  }, 120_000);

  it('wants a project and a result folder', () => {
    const r = nnStudio(['import', project]);
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toContain('expected a project file and a result folder');
  });

  it('names the missing file of a folder that is not a result', () => {
    const empty = join(folder, 'empty');
    mkdirSync(empty, { recursive: true });
    const r = nnStudio(['import', project, empty]);
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toContain(`${join(empty, 'job.json')}: no such file`);
  });

  it('names the file and field of a damaged result', () => {
    const bad = join(folder, 'bad');
    mkdirSync(bad, { recursive: true });
    writeFileSync(join(bad, 'job.json'), '{"format": "something else"}');
    const r = nnStudio(['import', project, bad]);
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toMatch(/job\.json: .*format/);
  });

  it('refuses a perceptron, which PyTorch cannot train by its rule', () => {
    const perceptron = join(folder, 'and.nnstudio');
    expect(nnStudio(['train', 'sample:and', '--perceptron', '--epochs', '5', '--out', perceptron]).code).toBe(0);
    const r = nnStudio(['export', perceptron, '--format', 'pytorch', '--out', join(folder, 'job')]);
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toContain('perceptron');
  }, 120_000);

  it('lists pytorch among the formats', () => {
    const r = nnStudio(['export', project, '--format', 'torch', '--out', join(folder, 'x')]);
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toContain('pytorch');
  });
});
