/** JSON datasets: an array of objects or of arrays, and the ways a JSON file goes wrong. */
import { describe, expect, it } from 'vitest';
import { resolveOptions } from '../../shared/data/options.js';
import { cellAt, type Table } from '../../shared/data/table.js';
import { inspectDataset, loadDataset } from '../../main/data/index.js';
import { datasetError, tempFolder } from './helpers.js';

const files = tempFolder();

async function table(name: string, content: string): Promise<Table> {
  const loaded = await loadDataset(files.write(name, content), resolveOptions());
  if (loaded.kind !== 'table') throw new Error('expected a table');
  expect(loaded.format).toBe('json');
  return loaded.table;
}

const cells = (t: Table, c: number) => Array.from({ length: t.rowCount }, (_, i) => cellAt(t.columns[c], i));

describe('JSON datasets', () => {
  it('an array of objects: keys are columns (missing keys are missing values), numbers, strings, booleans, null', async () => {
    const t = await table('objects.json', JSON.stringify([
      { x: 1, colour: 'red', ok: true },
      { x: '2.5', colour: 'blue', ok: false, extra: 'late' },
      { x: null, colour: 'red', ok: true },
    ]));
    expect(t.columns.map((c) => c.name)).toEqual(['x', 'colour', 'ok', 'extra']);
    expect(cells(t, 0)).toEqual([1, 2.5, null]);
    expect(cells(t, 2)).toEqual(['true', 'false', 'true']);
    expect(cells(t, 3)).toEqual([null, 'late', null]);
    expect(t.unit).toBe('item');
  });

  it('an array of arrays, with a header row or without (col1…)', async () => {
    const withHeader = await table('arrays.json', '[["a","b","label"],[1,2,"x"],[3,4,"y"]]');
    expect(withHeader.columns.map((c) => c.name)).toEqual(['a', 'b', 'label']);
    expect(cells(withHeader, 1)).toEqual([2, 4]);
    const bare = await table('bare.json', '\uFEFF[[1,2,0],[3,4,1]]');
    expect(bare.columns.map((c) => c.name)).toEqual(['col1', 'col2', 'col3']);
    expect(bare.rowCount).toBe(2);
  });

  it('inspects like any table', async () => {
    const path = files.write('iris-like.json', JSON.stringify(Array.from({ length: 30 }, (_, i) => ({ w: i / 10, h: (i * 7) % 5, kind: ['a', 'b', 'c'][i % 3] }))));
    const s = await inspectDataset(path);
    expect(s).toMatchObject({ format: 'json', rows: 30, target: 'kind', task: 'classification', classes: ['a', 'b', 'c'] });
  });
});

describe('JSON: bad input', () => {
  it('a syntax error names the line', async () => {
    const e = await datasetError(table('broken.json', '[\n  {"a": 1},\n  {"a": 2,}\n]'));
    expect(e.code).toBe('bad-json');
    expect(e.row).toBe(3);
    expect(e.message).toMatch(/broken\.json, line 3: expected valid JSON \(an array of objects or of arrays\), found a syntax error at character \d+: /);
  });

  it('not an array, an empty array, a stray item, a ragged row, a nested value', async () => {
    expect((await datasetError(table('object.json', '{"rows": []}'))).message).toMatch(/object\.json: expected an array of objects or an array of arrays at the top level, found an object$/);
    expect((await datasetError(table('none.json', '[]'))).code).toBe('empty-file');
    expect((await datasetError(table('stray.json', '[{"a":1},[2]]'))).message).toMatch(/stray\.json, item 2: expected an object like item 1, found an array$/);
    expect((await datasetError(table('ragged.json', '[["a","b"],[1,2],[3]]'))).message).toMatch(/ragged\.json, item 3: expected 2 values like item 1, found 1$/);
    expect((await datasetError(table('nested.json', '[{"a":1},{"a":{"b":2}}]'))).message).toMatch(/nested\.json, item 2, column 'a': expected a number, a text or null, found '\{"b":2\}'$/);
  });
});
