/** `nn-studio inspect` and `nn-studio samples`, run as a person runs them (the real CLI in a child process). */
import { spawn } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { DatasetSummary } from '../../shared/data/summary.js';
import { SAMPLES } from '../../shared/data/samples/index.js';
import { tempFolder } from './helpers.js';

const bin = join(import.meta.dirname, '..', '..', 'main', 'cli', 'bin.cjs');
const files = tempFolder('nn-cli-');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(...args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Runs `inspect … --json`, expecting success and one schema-valid JSON object. */
async function inspectJson(...args: string[]): Promise<DatasetSummary> {
  const run = await cli('inspect', ...args, '--json');
  expect(run.stderr, args.join(' ')).toBe('');
  expect(run.code, args.join(' ')).toBe(0);
  const lines = run.stdout.trim().split('\n');
  expect(lines).toHaveLength(1);
  return DatasetSummary.parse(JSON.parse(lines[0]));
}

function png(w: number, h: number, value: number): Uint8Array {
  const p = new PNG({ width: w, height: h });
  p.data = Buffer.alloc(w * h * 4, value);
  for (let i = 3; i < p.data.length; i += 4) p.data[i] = 255;
  return PNG.sync.write(p);
}

function idx(dims: number[], data: Uint8Array): Uint8Array {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header[2] = 0x08;
  header[3] = dims.length;
  dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([header, data]);
}

describe('nn-studio samples', () => {
  it('lists every sample with its description', async () => {
    const run = await cli('samples');
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines.map((l) => l.split(/\s+/)[0])).toEqual(SAMPLES.map((s) => `sample:${s.name}`));
    expect(lines[0]).toMatch(/^sample:and\s+AND truth table/);
    const json = JSON.parse((await cli('samples', '--json')).stdout) as { name: string }[];
    expect(json.map((s) => s.name)).toEqual(SAMPLES.map((s) => s.name));
  });
});

describe('nn-studio inspect', () => {
  it('works on every sample: one JSON object with rows, columns, target, task and classes', async () => {
    const summaries = await Promise.all(SAMPLES.map((s) => inspectJson(`sample:${s.name}`)));
    summaries.forEach((summary, i) => {
      const s = SAMPLES[i];
      expect(summary.task, s.name).toBe(s.task);
      expect(summary.rows).toBeGreaterThan(0);
      for (const c of summary.columns) expect(Object.keys(c)).toEqual(expect.arrayContaining(['name', 'type', 'stats']));
      if (s.task === 'classification') expect(summary.classes!.length).toBeGreaterThanOrEqual(2);
    });
    const iris = summaries[SAMPLES.findIndex((s) => s.name === 'iris')];
    expect(iris).toMatchObject({ rows: 150, target: 'species', task: 'classification', classes: ['setosa', 'versicolor', 'virginica'] });
    expect(iris.columns[0]).toMatchObject({ name: 'sepal_length', type: 'numeric', stats: { min: 4.3, max: 7.9 } });
  });

  it('works on a file of each format: CSV, TSV, JSON, IDX, an image folder and a zip', async () => {
    const csv = files.write('t.csv', 'a,b,kind\n1,2,x\n3,4,y\n5,6,x\n7,8,y\n');
    const tsv = files.write('t.tsv', 'a\tb\tkind\n1\t2\tx\n3\t4\ty\n5\t6\tx\n7\t8\ty\n');
    const json = files.write('t.json', JSON.stringify([{ a: 1, y: 0.5 }, { a: 2, y: 1.5 }, { a: 3, y: 2.25 }]));
    const labels = Uint8Array.from({ length: 6 }, (_, i) => i % 2);
    files.write('idx/train-images-idx3-ubyte.gz', gzipSync(idx([6, 2, 2], new Uint8Array(24).fill(9))));
    files.write('idx/train-labels-idx1-ubyte.gz', gzipSync(idx([6], labels)));
    for (const c of ['a', 'b']) for (let i = 0; i < 2; i++) files.write(`imgs/${c}/${i}.png`, png(6, 6, c === 'a' ? 0 : 255));
    const zip = files.write('imgs.zip', zipSync({ 'x/a/1.png': png(3, 3, 0), 'x/a/2.png': png(3, 3, 10), 'x/b/1.png': png(3, 3, 250), 'x/b/2.png': png(3, 3, 240) }));
    const [c, t, j, i, f, z] = await Promise.all([
      inspectJson(csv), inspectJson(tsv), inspectJson(json), inspectJson(files.path('idx')), inspectJson(files.path('imgs'), '--image-size', '4'), inspectJson(zip),
    ]);
    expect(c).toMatchObject({ format: 'csv', delimiter: ',', rows: 4, target: 'kind', classes: ['x', 'y'] });
    expect(t).toMatchObject({ format: 'csv', delimiter: '\t', rows: 4 });
    expect(j).toMatchObject({ format: 'json', rows: 3, target: 'y', task: 'regression' });
    expect(i).toMatchObject({ format: 'idx', rows: 6, classes: ['0', '1'] });
    expect(f).toMatchObject({ format: 'image-folder', rows: 4, inputSize: 16, classes: ['a', 'b'] });
    expect(z).toMatchObject({ format: 'image-zip', rows: 4, classes: ['a', 'b'] });
    // The two IDX files given as paths work too.
    const pair = await inspectJson(files.path('idx/train-images-idx3-ubyte.gz'), files.path('idx/train-labels-idx1-ubyte.gz'));
    expect(pair.rows).toBe(6);
  });

  it('prints a readable summary without --json, and obeys --target', async () => {
    const run = await cli('inspect', 'sample:iris', '--target', 'petal_width');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/150 rows × 5 columns · target 'petal_width' · regression/);
    expect(run.stdout).toMatch(/sepal_length\s+numeric\s+feature/);
  });

  it('bad input: exit 2 and one line naming the file, row, column and what was expected', async () => {
    const empty = await cli('inspect', files.write('empty.csv', ''));
    expect(empty.code).toBe(2);
    expect(empty.stderr).toBe(`nn-studio inspect: ${files.path('empty.csv')}: expected a header row and rows of data, found an empty file\n`);
    const junk = await cli('inspect', files.write('junk.csv', Uint8Array.from({ length: 512 }, (_, i) => (i * 31) % 256)));
    expect(junk.code).toBe(2);
    expect(junk.stderr.trim().split('\n')).toHaveLength(1);
    expect(junk.stderr).toMatch(/junk\.csv: expected a dataset: .*found binary data/);
    const unknown = await cli('inspect', 'sample:iris', '--target', 'colour');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^nn-studio inspect: sample:iris, column 'colour': expected one of the columns \('sepal_length', /);
  });

  it('a numeric column holding text: the summary still prints, the problem exits 2, and --fix resolves it', async () => {
    const rows = Array.from({ length: 20 }, (_, i) => `${i === 5 ? 'n/k' : i === 7 ? 'old' : 20 + i},${i % 2 ? 'yes' : 'no'}`);
    const path = files.write('ages.csv', ['age,bought', ...rows].join('\n'));
    const run = await cli('inspect', path, '--json');
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`nn-studio inspect: ${path}, line 7, column 'age': expected a number, found 'n/k' (also lines 9); the column holds numbers in other rows: treat it as categorical, drop those 2 rows or exclude the column\n`);
    const summary = DatasetSummary.parse(JSON.parse(run.stdout));
    expect(summary.problems[0]).toMatchObject({ code: 'mixed-column', column: 'age', rows: [7, 9] });
    expect(summary.problems[0].remedies.map((r) => r.kind)).toEqual(['treat-as-categorical', 'drop-rows', 'exclude-column']);
    const fixed = await inspectJson(path, '--fix', 'age=drop-rows');
    expect(fixed.columns[0].type).toBe('numeric');
    const bad = await cli('inspect', path, '--fix', 'age=maybe');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe("nn-studio inspect: --fix expects COL=categorical or COL=drop-rows, got 'age=maybe'\n");
  });
});
