/** Delimited text: every dialect the issue lists, header detection, line numbers, progress, cancel, and each bad input. */
import { describe, expect, it } from 'vitest';
import { CommentStripper, looksLikeHeader } from '../../shared/data/delimited.js';
import type { LoadProgress } from '../../shared/data/dataset.js';
import { resolveOptions } from '../../shared/data/options.js';
import { cellAt, type Table } from '../../shared/data/table.js';
import { inspectDataset, loadDataset } from '../../main/data/index.js';
import { datasetError, tempFolder } from './helpers.js';

const files = tempFolder();

async function loadTable(name: string, content: string | Uint8Array, options = {}): Promise<{ table: Table; delimiter?: string; header?: boolean }> {
  const loaded = await loadDataset(files.write(name, content), resolveOptions(options));
  if (loaded.kind !== 'table') throw new Error('expected a table');
  return loaded;
}

function column(table: Table, name: string): (number | string | null)[] {
  const col = table.columns.find((c) => c.name === name)!;
  return Array.from({ length: table.rowCount }, (_, i) => cellAt(col, i));
}

describe('delimited text dialects', () => {
  it('reads comma-separated text with a header', async () => {
    const { table, delimiter, header } = await loadTable('plain.csv', 'a,b,label\n1,2.5,x\n3,-4e-1,y\n');
    expect(delimiter).toBe(',');
    expect(header).toBe(true);
    expect(table.columns.map((c) => c.name)).toEqual(['a', 'b', 'label']);
    expect(column(table, 'a')).toEqual([1, 3]);
    expect(column(table, 'b')).toEqual([2.5, Math.fround(-0.4)]);
    expect(column(table, 'label')).toEqual(['x', 'y']);
  });

  it('sniffs semicolons (reading 3,14 as a decimal comma), tabs and pipes', async () => {
    const semi = await loadTable('semi.csv', 'w;h;kind\n3,5;1;a\n2,25;4;b\n');
    expect(semi.delimiter).toBe(';');
    expect(column(semi.table, 'w')).toEqual([3.5, 2.25]);
    const tab = await loadTable('t.tsv', 'w\th\tkind\n1\t2\ta\n3\t4\tb\n');
    expect(tab.delimiter).toBe('\t');
    expect(column(tab.table, 'h')).toEqual([2, 4]);
    const pipe = await loadTable('p.txt', 'w|h|kind\n1|2|a\n3|4|b\n');
    expect(pipe.delimiter).toBe('|');
    expect(column(pipe.table, 'kind')).toEqual(['a', 'b']);
  });

  it('reads quoted fields holding delimiters, doubled quotes and line breaks, with CRLF and a BOM', async () => {
    const text = '\uFEFFname,note,value\r\n"Smith, J.","said ""hi""",1\r\n"Lee","two\r\nlines",2\r\nBo,plain,3\r\n';
    const { table } = await loadTable('quoted.csv', text);
    expect(table.columns.map((c) => c.name)).toEqual(['name', 'note', 'value']);
    expect(column(table, 'name')).toEqual(['Smith, J.', 'Lee', 'Bo']);
    expect(column(table, 'note')).toEqual(['said "hi"', 'two\r\nlines', 'plain']);
    expect(column(table, 'value')).toEqual([1, 2, 3]);
    // Lines as an editor numbers them: the quoted line break makes "Bo" line 5.
    expect(Array.from(table.lines)).toEqual([2, 3, 5]);
  });

  it('names columns col1… when there is no header row, and obeys an explicit choice', async () => {
    const { table, header } = await loadTable('nohead.csv', '1,2,0\n3,4,1\n5,6,0\n');
    expect(header).toBe(false);
    expect(table.columns.map((c) => c.name)).toEqual(['col1', 'col2', 'col3']);
    expect(table.rowCount).toBe(3);
    const forced = await loadTable('forced.csv', 'x,y\nx,y\na,b\n', { header: false });
    expect(forced.table.rowCount).toBe(3);
  });

  it('skips comment lines and blank lines but keeps counting lines', async () => {
    const text = '# exported by a tool\n# units: cm\na,b\n1,2\n\n# a note\n3,4\n#ff0000,5\n';
    const { table } = await loadTable('comments.csv', text);
    expect(column(table, 'a')).toEqual([1, 3, '#ff0000']);
    expect(Array.from(table.lines)).toEqual([4, 7, 8]);
  });

  it('treats the missing spellings as missing: empty, NA, NaN, null, ?', async () => {
    const { table } = await loadTable('missing.csv', 'a,b\n1,x\n,y\nNA,z\nNaN,x\nnull,y\n?,z\n7,x\n');
    const a = table.columns[0];
    expect(a.missing).toBe(5);
    expect(a.textCells).toBe(0);
    expect(column(table, 'a')).toEqual([1, null, null, null, null, null, 7]);
  });

  it('reports progress while reading and can be cancelled', async () => {
    const rows = Array.from({ length: 60_000 }, (_, i) => `${i},${i % 7},${i % 3 ? 'a' : 'b'}`).join('\n');
    const path = files.write('progress.csv', `id,v,k\n${rows}\n`);
    const seen: LoadProgress[] = [];
    await loadDataset(path, resolveOptions(), { onProgress: (p) => seen.push(p) });
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((p) => p.stage === 'reading' && p.done <= p.total)).toBe(true);
    expect(seen.at(-1)!.done).toBe(seen.at(-1)!.total);

    const controller = new AbortController();
    const cancelled = loadDataset(path, resolveOptions(), {
      signal: controller.signal,
      onProgress: () => controller.abort(),
    });
    await expect(cancelled).rejects.toMatchObject({ name: 'AbortError' });
  });
});

describe('delimited text: bad input gets one clear message', () => {
  it('an empty file', async () => {
    const e = await datasetError(loadTable('empty.csv', ''));
    expect(e.code).toBe('empty-file');
    expect(e.message).toMatch(/empty\.csv: expected a header row and rows of data, found an empty file/);
    const blank = await datasetError(loadTable('blank.csv', '\n\n# only a comment\n'));
    expect(blank.code).toBe('empty-file');
  });

  it('a header only', async () => {
    const e = await datasetError(loadTable('header.csv', 'age,height,label\n'));
    expect(e.code).toBe('header-only');
    expect(e.message).toBe(`${files.path('header.csv')}, line 1: expected rows of data after the header, found the header only`);
  });

  it('a ragged row names its line and the field count expected', async () => {
    const e = await datasetError(loadTable('ragged.csv', 'a,b,c\n1,2,3\n# note\n4,5\n6,7,8\n'));
    expect(e.code).toBe('ragged-row');
    expect(e.row).toBe(4);
    expect(e.message).toBe(`${files.path('ragged.csv')}, line 4: expected 3 fields like the header on line 1, found 2`);
  });

  it('an unterminated quote names the line it opens on', async () => {
    const e = await datasetError(loadTable('quote.csv', 'a,b\n1,2\n3,"oops\n5,6\n'));
    expect(e.code).toBe('unterminated-quote');
    expect(e.row).toBe(3);
  });

  it('binary junk renamed .csv', async () => {
    const junk = new Uint8Array(4096);
    for (let i = 0; i < junk.length; i++) junk[i] = (i * 7919 + 13) % 256;
    const e = await datasetError(loadTable('junk.csv', junk));
    expect(e.code).toBe('not-text');
    expect(e.message).toMatch(/junk\.csv: expected a dataset: delimited text \(CSV\/TSV\), JSON, IDX, or a zip of images, found binary data \(byte 0x[0-9a-f]{2} at offset \d+ is not text\)/);
  });

  it('a file larger than the memory budget is refused before reading', async () => {
    const path = files.write('big.csv', 'a,b\n' + '1,2\n'.repeat(5000));
    const e = await datasetError(loadDataset(path, resolveOptions(), { memoryBudgetBytes: 16 * 1024 }));
    expect(e.code).toBe('too-large');
    expect(e.message).toMatch(/big\.csv: expected a dataset that fits the memory budget of 16 KB, found a 20 KB file that needs about 78 KB to load; use a smaller sample/);
  });

  it('a missing file', async () => {
    const e = await datasetError(inspectDataset(files.path('nope.csv')));
    expect(e.code).toBe('not-found');
    expect(e.message).toBe(`${files.path('nope.csv')}: expected a dataset file or folder, found no such file or folder`);
  });
});

describe('pure helpers', () => {
  it('header detection: labels over numbers, all-text tables, numeric first rows', () => {
    expect(looksLikeHeader(['a', 'b'], [['1', '2'], ['3', '4']])).toBe(true);
    expect(looksLikeHeader(['1', '2'], [['3', '4']])).toBe(false);
    expect(looksLikeHeader(['name', 'colour'], [['ann', 'red'], ['bob', 'blue']])).toBe(true);
    expect(looksLikeHeader(['red', 'x'], [['red', 'y'], ['blue', 'x']])).toBe(false);
  });

  it('comment stripping across chunk boundaries keeps the line breaks', () => {
    const s = new CommentStripper();
    const out = s.push('a,b\n1,2\n#') + s.push(' note\n3,4\n#') + s.push('ab,5\n') + s.end();
    expect(out).toBe('a,b\n1,2\n\n3,4\n#ab,5\n');
  });
});
