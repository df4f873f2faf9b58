/**
 * The CLI's answers to a person's mistakes (issue 13, item 6): exit 2 and one line on stderr that
 * names the flag, file or row, never a stack trace, and `train --out` refused BEFORE training.
 * Real `nn-studio` child processes (through the package's bin, as `npx nn-studio` runs it) on
 * real files.
 *
 * The tests run as root, for whom chmod does not make anything unreadable or read-only, so those
 * cases use places the kernel refuses even to root: `/sys` (sysfs accepts no new files: EACCES)
 * for a read-only folder, `/proc/1/mem` (EACCES on open) for an unreadable file, and a path under
 * a regular file (ENOTDIR) for a folder that cannot exist.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { nnStudio } from '../cli/run.js';

let dir: string;
let data: string;
let project: string;

/** A mistake's answer: exit 2, exactly one line on stderr, no stack trace. */
function expectOneLine(result: { code: number | null; stderr: string }, ...parts: (string | RegExp)[]) {
  const lines = result.stderr.trimEnd().split('\n');
  expect(result.code, result.stderr).toBe(2);
  expect(lines, result.stderr).toHaveLength(1);
  expect(result.stderr).not.toMatch(/\n\s+at |internal error|ZodError|RangeError/);
  for (const part of parts) expect(lines[0]).toMatch(part);
  return lines[0];
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'nn-cli-security-'));
  data = join(dir, 'points.csv');
  const rows = ['a,b,label'];
  for (let i = 0; i < 60; i++) rows.push(`${((i * 37) % 100) / 100},${((i * 53) % 100) / 100},${i % 2 ? 'x' : 'y'}`);
  writeFileSync(data, rows.join('\n') + '\n');
  project = join(dir, 'trained.nnstudio');
  const trained = nnStudio(['train', data, '--epochs', '2', '--out', project]);
  expect(trained.code, trained.stderr).toBe(0);
}, 120_000);

describe('train --out is checked before training', () => {
  const cases: Array<[string, () => string, RegExp]> = [
    ['into a missing folder', () => join(dir, 'missing', 'run.nnstudio'), /does not exist/],
    ['onto a folder', () => dir, /is a folder; name a file inside it/],
    ['into a read-only folder (/sys)', () => '/sys/run.nnstudio', /cannot be written \(permission denied\)/],
    ['under a regular file', () => join(data, 'run.nnstudio'), /is a file, not a folder/],
  ];
  for (const [name, target, why] of cases) {
    it(`refuses ${name} with one line and no epoch trained`, () => {
      const result = nnStudio(['train', data, '--epochs', '50', '--out', target()]);
      expectOneLine(result, /^nn-studio train: --out /, why);
      // Progress lines ("epoch 1/50 …") go to stderr: none means nothing trained.
      expect(result.stderr).not.toMatch(/epoch \d/);
    });
  }
});

describe('flag values a schema refuses name the flag and the limit', () => {
  it('--epochs 2000000', () => {
    expectOneLine(nnStudio(['train', data, '--epochs', '2000000']), /--epochs: must be at most \d+/);
  });

  it('--layers "100000000:relu"', () => {
    expectOneLine(nnStudio(['train', data, '--layers', '100000000:relu']), /--layers.*must be at most \d+/);
  });

  it('--lr -1 says the learning rate must be positive (not "argument is ambiguous")', () => {
    const line = expectOneLine(nnStudio(['train', data, '--lr', '-1']), /--lr expects a positive number, got '-1'/);
    expect(line).not.toMatch(/ambiguous/);
  });
});

describe('files that cannot be read', () => {
  it('an unreadable file (EACCES) is one line naming it', () => {
    expectOneLine(nnStudio(['inspect', '/proc/1/mem']), /\/proc\/1\/mem: permission denied/);
  });

  it('100,000 nested JSON brackets are refused with a clear message naming the file', () => {
    const deep = join(dir, 'deep.json');
    writeFileSync(deep, '['.repeat(100_000) + ']'.repeat(100_000));
    expectOneLine(nnStudio(['inspect', deep]), /deep\.json: nested too deeply to read/);
  });
});

describe('export into folders', () => {
  it('--format tfjs and --format json into one folder keep both models', () => {
    const out = join(dir, 'both');
    mkdirSync(out);
    expect(nnStudio(['export', project, '--format', 'tfjs', '--out', out]).code).toBe(0);
    expect(nnStudio(['export', project, '--format', 'json', '--out', out]).code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['model-spec.json', 'model.json', 'model.predict.mjs', 'weights.bin']);
    // model.json is still the TF.js model (its weights manifest), not the JSON export.
    expect(JSON.parse(readFileSync(join(out, 'model.json'), 'utf8')).weightsManifest[0].paths).toEqual(['weights.bin']);
    expect(JSON.parse(readFileSync(join(out, 'model-spec.json'), 'utf8')).weightsManifest).toBeUndefined();
  });

  it('--format tfjs to a missing dir/ creates the folder', () => {
    const out = join(dir, 'tfjsdir');
    const result = nnStudio(['export', project, '--format', 'tfjs', '--out', `${out}/`]);
    expect(result.code, result.stderr).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['model.json', 'model.predict.mjs', 'weights.bin']);
  });
});

describe('evaluate --data', () => {
  it('names a CSV row by its line in the file, not as a JSON item', () => {
    const other = join(dir, 'other.csv');
    writeFileSync(other, 'a,b,label\n0.1,0.2,x\n0.3,0.4,zz\n');
    const line = expectOneLine(nnStudio(['evaluate', project, '--data', other]), /other\.csv, line 3, column 'label'/, /found 'zz'/);
    expect(line).not.toMatch(/item/);
  });
});

it('leaves no write-check probe behind', () => {
  expect(readdirSync(dir).filter((f) => f.startsWith('.nn-studio-write-check'))).toEqual([]);
  expect(existsSync(join(dir, 'missing'))).toBe(false);
});

describe('an RFC-4180 edge-case file with fewer than two rows per class', () => {
  it('is refused with the way to train anyway, and trains when the task is given', () => {
    const tiny = join(dir, 'rfc4180.csv');
    writeFileSync(tiny, 'name,quote,label\n"Smith, J","He said ""hi""",a\n"Doe",plain,b\n"Roe","multi\nline",a\n');
    expectOneLine(nnStudio(['train', tiny, '--epochs', '1']), /column 'label': expected at most 1 classes for 3 rows/,
      /to train on it anyway set the task to classification \(--task classification\)$/);
    const anyway = nnStudio(['train', tiny, '--task', 'classification', '--epochs', '2', '--json']);
    expect(anyway.code, anyway.stderr).toBe(0);
    expect(anyway.stdout).toMatch(/"type":"done"/);
  });
});
