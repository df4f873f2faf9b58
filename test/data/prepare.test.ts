/** Preprocessing and splits: one-hot, normalisation fitted on training rows only, missing values, seeded stratified splits, and the saved state applied to a typed-in row. */
import { describe, expect, it } from 'vitest';
import type { LoadedTable } from '../../shared/data/dataset.js';
import { resolveOptions, type DatasetOptions } from '../../shared/data/options.js';
import { prepareLoaded, type PreparedDataset } from '../../shared/data/prepare.js';
import { applyPreprocessing, parsePreprocessingState, type TableState } from '../../shared/data/preprocess.js';
import { splitCounts, splitRows } from '../../shared/data/split.js';
import { tableFromRows } from '../../shared/data/table.js';

function loaded(names: string[], rows: unknown[][]): LoadedTable {
  return { kind: 'table', source: 'data.csv', name: 'data.csv', format: 'csv', table: tableFromRows('data.csv', names, rows, { firstLine: 2 }) };
}

function prepare(names: string[], rows: unknown[][], options: DatasetOptions = {}): PreparedDataset {
  return prepareLoaded(loaded(names, rows), resolveOptions(options));
}

/** 100 people: age (some missing), colour, a score, and whether they bought. */
function people(): unknown[][] {
  const colours = ['red', 'green', 'blue', 'red'];
  return Array.from({ length: 100 }, (_, i) => [i % 10 === 3 ? 'NA' : String(20 + (i % 40)), colours[i % 4], String((i * 7) % 13), i % 3 === 0 ? 'yes' : 'no']);
}

describe('splits', () => {
  it('default 70/15/15, stratified: each class split in the same proportions', () => {
    const labels = Int32Array.from({ length: 200 }, (_, i) => (i < 160 ? 0 : 1));
    const rows = Int32Array.from({ length: 200 }, (_, i) => i);
    const s = splitRows(rows, { train: 0.7, validation: 0.15, test: 0.15 }, 1, labels);
    expect([s.train.length, s.validation.length, s.test.length]).toEqual([140, 30, 30]);
    const minority = (idx: Int32Array) => Array.from(idx).filter((i) => labels[i] === 1).length;
    expect([minority(s.train), minority(s.validation), minority(s.test)]).toEqual([28, 6, 6]);
    // Every row lands in exactly one split.
    expect(new Set([...s.train, ...s.validation, ...s.test]).size).toBe(200);
  });

  it('is seeded: same seed, same split; another seed, another', () => {
    const rows = Int32Array.from({ length: 50 }, (_, i) => i);
    const f = { train: 0.6, validation: 0.2, test: 0.2 };
    expect(splitRows(rows, f, 7)).toEqual(splitRows(rows, f, 7));
    expect(Array.from(splitRows(rows, f, 7).test)).not.toEqual(Array.from(splitRows(rows, f, 8).test));
  });

  it('keeps at least one row of each class for training', () => {
    expect(splitCounts(1, { train: 0.7, validation: 0.15, test: 0.15 })).toEqual([1, 0, 0]);
    expect(splitCounts(2, { train: 0.1, validation: 0.45, test: 0.45 })).toEqual([1, 0, 1]);
  });
});

describe('preparing a table', () => {
  it('one-hot encodes categories, label-encodes the target and z-scores numbers on the training split only', () => {
    const p = prepare(['age', 'colour', 'score', 'bought'], people());
    expect(p.task).toBe('classification');
    expect(p.classes).toEqual(['no', 'yes']);
    expect(p.featureNames).toEqual(['age', 'colour=blue', 'colour=green', 'colour=red', 'score']);
    expect(p.inputSize).toBe(5);
    expect(p.train.count + p.validation.count + p.test.count).toBe(100);
    expect(p.train.x.length).toBe(p.train.count * 5);
    expect(p.train.y).toBeInstanceOf(Int32Array);
    // Training columns have mean 0 and std 1 (missing ages filled with the training mean → 0).
    for (const j of [0, 4]) {
      const col = Array.from({ length: p.train.count }, (_, k) => p.train.x[k * 5 + j]);
      const mean = col.reduce((a, b) => a + b, 0) / col.length;
      const observed = j === 0 ? col.filter((_, k) => (p.train.rows[k] % 10) !== 3) : col;
      const m = observed.reduce((a, b) => a + b, 0) / observed.length;
      const std = Math.sqrt(observed.reduce((a, b) => a + (b - m) ** 2, 0) / observed.length);
      expect(Math.abs(mean)).toBeLessThan(1e-5);
      expect(std).toBeCloseTo(1, 5);
    }
    // One-hot rows have exactly one 1.
    for (let k = 0; k < p.train.count; k++) expect(p.train.x[k * 5 + 1] + p.train.x[k * 5 + 2] + p.train.x[k * 5 + 3]).toBe(1);
    // Labels match the source rows.
    const rows = people();
    p.test.rows.forEach((r, k) => expect(p.classes![p.test.y[k]]).toBe(rows[r][3]));
  });

  it('min-max scales to [0, 1] on the training rows', () => {
    const p = prepare(['age', 'colour', 'score', 'bought'], people(), { normalize: 'minmax' });
    const ages = Array.from({ length: p.train.count }, (_, k) => p.train.x[k * 5]);
    expect(Math.min(...ages)).toBeCloseTo(0, 6);
    expect(Math.max(...ages)).toBeCloseTo(1, 6);
    const state = p.state as TableState;
    expect(state.features[0]).toMatchObject({ kind: 'numeric', column: 'age', offset: 20, scale: 1 / 39 });
  });

  it('missing values: drop the rows, or fill with the mean, median or most frequent value', () => {
    const rows = [['1', 'a'], ['2', 'b'], ['', 'a'], ['2', 'b'], ['10', 'a'], ['?', 'b']];
    const fills = (missing: DatasetOptions['missing']) => {
      const s = prepare(['v', 'y'], rows, { missing, normalize: 'none', split: { train: 1, validation: 0, test: 0 } }).state as TableState;
      return s.features[0].kind === 'numeric' ? s.features[0].fill : NaN;
    };
    expect(fills('mean')).toBe(15 / 4);
    expect(fills('median')).toBe(2);
    expect(fills('most-frequent')).toBe(2);
    const dropped = prepare(['v', 'y'], rows, { missing: 'drop', split: { train: 1, validation: 0, test: 0 } });
    expect(dropped.train.count).toBe(4);
    expect(dropped.notes).toContain('dropped 2 rows with missing feature values');
  });

  it('excluded columns stay out; text in a numeric column is handled by the chosen fix', () => {
    const rows = Array.from({ length: 30 }, (_, i) => [i === 4 ? 'unknown' : String(i), String(i % 5), String(i % 2)]);
    expect(() => prepare(['a', 'b', 'y'], rows)).toThrow(/line 6, column 'a': expected a number, found 'unknown'/);
    const dropped = prepare(['a', 'b', 'y'], rows, { fixes: { a: 'drop-rows' } });
    expect(dropped.train.count + dropped.validation.count + dropped.test.count).toBe(29);
    const categorical = prepare(['a', 'b', 'y'], rows, { fixes: { a: 'categorical' } });
    expect(categorical.state.kind === 'table' && categorical.state.features[0]).toMatchObject({ kind: 'categorical', column: 'a' });
    expect(categorical.featureNames.filter((n) => n.startsWith('a=')).length).toBe(categorical.inputSize - 1);
    const excluded = prepare(['a', 'b', 'y'], rows, { exclude: ['a'] });
    expect(excluded.featureNames).toEqual(['b']);
  });

  it('regression targets stay as numbers', () => {
    const rows = Array.from({ length: 40 }, (_, i) => [String(i), String(i * 0.5 + 0.25)]);
    const p = prepare(['x', 'y'], rows);
    expect(p.task).toBe('regression');
    expect(p.outputSize).toBe(1);
    expect(p.train.y).toBeInstanceOf(Float32Array);
    p.train.rows.forEach((r, k) => expect(p.train.y[k]).toBe(r * 0.5 + 0.25));
  });

  it('drops rows without a target', () => {
    const rows = Array.from({ length: 20 }, (_, i) => [String(i), i === 3 ? '' : String(i % 2)]);
    const p = prepare(['x', 'y'], rows);
    expect(p.train.count + p.validation.count + p.test.count).toBe(19);
  });
});

describe('the saved state at prediction time', () => {
  it('is plain JSON that round-trips, and applied to typed-in rows gives exactly the prepared inputs', () => {
    const p = prepare(['age', 'colour', 'score', 'bought'], people());
    const state = parsePreprocessingState(JSON.parse(JSON.stringify(p.state)));
    expect(state).toEqual(p.state);
    if (state.kind !== 'table') throw new Error('expected a table state');
    const source = people();
    // As a form would send them: objects of strings, one row at a time.
    for (let k = 0; k < p.test.count; k++) {
      const [age, colour, score] = source[p.test.rows[k]] as string[];
      const x = applyPreprocessing(state, [{ age, colour, score }]);
      expect(Array.from(x)).toEqual(Array.from(p.test.x.subarray(k * 5, (k + 1) * 5)));
    }
    // Arrays in column order, numbers as numbers, a missing value, an unseen category.
    const x = applyPreprocessing(state, [[30, 'purple', null]]);
    expect(x[1] + x[2] + x[3]).toBe(0);
    expect(x[4]).toBeCloseTo(0, 5); // missing → training mean → 0 after z-scoring
    expect(() => applyPreprocessing(state, [{ age: 'old', colour: 'red', score: 1 }])).toThrow("input, item 1, column 'age': expected a number, found 'old'");
  });
});
