/**
 * The renderer's own copy of the data must match the worker's exactly: same rows, same split, same
 * fitted preprocessing — or its previews and confusion-matrix rows would show something else than
 * what was trained. Checked against the worker's real loader (main/data).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import Papa from 'papaparse';
import { prepareDataset } from '../../main/data/index.js';
import { localSample, loadedTable, prepareLocal, RowCollector, rowCells, rowText } from '../../renderer/src/lib/localdata.js';
import { effectiveDatasetOptions } from '../../renderer/src/lib/network.js';

describe('the local copy of a sample', () => {
  it('prepares to the very split and preprocessing the worker prepares', async () => {
    for (const name of ['spiral', 'iris', 'sine']) {
      const options = effectiveDatasetOptions({ normalize: 'minmax' }, 7);
      const worker = await prepareDataset(`sample:${name}`, options);
      const local = prepareLocal(localSample(`sample:${name}`)!, options);
      if (local instanceof Error) throw local;
      expect(local.state, name).toEqual(worker.state);
      expect(Array.from(local.test.rows), name).toEqual(Array.from(worker.test.rows));
      expect(Array.from(local.train.x.subarray(0, 40)), name).toEqual(Array.from(worker.train.x.subarray(0, 40)));
    }
  });

  it('is not available for image samples or paths', () => {
    expect(localSample('sample:mnist')).toBeNull();
    expect(localSample('/data/file.csv')).toBeNull();
    expect(localSample('sample:nope')).toBeNull();
  });
});

describe('a CSV read in the renderer', () => {
  const csv = 'size;colour;price\n1,5;red;10\n\n2,5;blue;NA\n3;red;30\n4;blue;40\n5;red;50\n6;blue;60\n7;red;70\n8;blue;80\n9;red;90\n10;blue;100\n';

  /** Parsed as the renderer does it: PapaParse chunks into a RowCollector, with the summary's delimiter and header. */
  function readHere(): ReturnType<RowCollector['finish']> {
    const collector = new RowCollector('prices.csv', true, true);
    collector.add(Papa.parse<string[]>(csv, { delimiter: ';', skipEmptyLines: false }).data);
    return collector.finish();
  }

  it('skips blank lines, reads decimal commas and missing values, and keeps the raw cells', () => {
    const table = readHere();
    expect(table.columns.map((c) => c.name)).toEqual(['size', 'colour', 'price']);
    expect(table.rowCount).toBe(10);
    expect(rowText(table, 0)).toEqual(['1.5', 'red', '10']);
    expect(rowCells(table, 1)).toEqual({ size: 2.5, colour: 'blue', price: null });
  });

  it('prepares like the worker’s own reading of the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nn-studio-local-'));
    const path = join(dir, 'prices.csv');
    writeFileSync(path, csv);
    const options = effectiveDatasetOptions({ target: 'price', task: 'regression', split: { train: 0.6, validation: 0.2, test: 0.2 } }, 3);
    const worker = await prepareDataset(path, options);
    const local = prepareLocal(loadedTable(path, 'prices.csv', readHere()), options);
    if (local instanceof Error) throw local;
    expect(local.state).toEqual(worker.state);
    expect(Array.from(local.test.rows)).toEqual(Array.from(worker.test.rows));
  });

  it('gives back the error that would stop the worker', () => {
    const collector = new RowCollector('one.csv', true);
    collector.add([['x', 'y'], ['1', 'a']]);
    const result = prepareLocal(loadedTable('one.csv', 'one.csv', collector.finish()), {});
    expect(result).toBeInstanceOf(Error);
  });
});
