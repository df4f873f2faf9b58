/** Schema inference: column types, statistics, target and task, and the problems that stop training. */
import { describe, expect, it } from 'vitest';
import { DatasetError, DatasetProblem } from '../../shared/data/errors.js';
import { resolveOptions } from '../../shared/data/options.js';
import { analyzeTable, sortFloat32, type TableAnalysis } from '../../shared/data/schema.js';
import { tableFromRows } from '../../shared/data/table.js';
import { parseNumber, formatFloat32, isMissingToken, naturalCompare } from '../../shared/data/values.js';
import { Random } from '../../shared/nn/random.js';

function analyze(names: string[], rows: unknown[][], options = {}): TableAnalysis {
  return analyzeTable(tableFromRows('data.csv', names, rows, { firstLine: 2 }), resolveOptions(options));
}

const typeOf = (a: TableAnalysis, name: string) => a.columns.find((c) => c.name === name)!.type;

/** n rows: id, a number, a colour, free text, a constant, and a 0/1 label. */
function sampleRows(n: number): unknown[][] {
  const colours = ['red', 'green', 'blue'];
  return Array.from({ length: n }, (_, i) => [String(i + 1), String((i * 37) % 11 + 0.5), colours[i % 3], `comment number ${i}`, '7', String(i % 2)]);
}

describe('reading cells', () => {
  it('parses decimal numbers and refuses what a table would not call a number', () => {
    expect(parseNumber('12')).toBe(12);
    expect(parseNumber(' -3.5 ')).toBe(-3.5);
    expect(parseNumber('.5')).toBe(0.5);
    expect(parseNumber('1e-3')).toBe(0.001);
    for (const text of ['', '  ', '0x1F', '0b101', 'Infinity', '1,5', 'abc', '12abc']) expect(parseNumber(text)).toBeNaN();
    expect(parseNumber('1,5', true)).toBe(1.5);
  });

  it('reads every decimal spelling exactly as Number() does (the fast path included)', () => {
    const random = new Random(11);
    const decimal = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
    for (let k = 0; k < 20_000; k++) {
      const v = random.normal() * 10 ** random.int(12);
      for (const text of [v.toFixed(random.int(8)), String(v), v.toPrecision(1 + random.int(15)), '-0', '+5', '5.', '007', '-.25', '1.2.3', '.', '-']) {
        expect(Object.is(parseNumber(text), decimal.test(text) ? Number(text) : NaN), text).toBe(true);
      }
    }
  });

  it('knows the missing spellings', () => {
    for (const text of ['', ' ', 'NA', 'na', 'N/A', 'NaN', 'null', 'NULL', '?']) expect(isMissingToken(text)).toBe(true);
    for (const text of ['0', 'none', 'n', 'nan!']) expect(isMissingToken(text)).toBe(false);
  });

  it('spells a float32 the short way and sorts labels naturally', () => {
    expect(formatFloat32(Math.fround(5.1))).toBe('5.1');
    expect(formatFloat32(Math.fround(0.1))).toBe('0.1');
    expect(formatFloat32(3)).toBe('3');
    expect(['10', '2', 'b', '1', 'a10', 'a9'].sort(naturalCompare)).toEqual(['1', '2', '10', 'a9', 'a10', 'b']);
  });

  it('sorts float32 columns like Array.prototype.sort does (radix sort, negatives and zeros included)', () => {
    const random = new Random(3);
    const values = Float32Array.from({ length: 5000 }, (_, i) => (i % 50 === 0 ? 0 : i % 77 === 0 ? -0 : random.normal() * 10 ** random.int(6)));
    const expected = Array.from(values).sort((a, b) => a - b);
    expect(Array.from(sortFloat32(values.slice()), (v) => v + 0)).toEqual(expected.map((v) => v + 0));
  });
});

describe('column types', () => {
  it('tells numeric, categorical, text, id-like and constant columns apart', () => {
    const a = analyze(['id', 'x', 'colour', 'comment', 'k', 'label'], sampleRows(60));
    expect(typeOf(a, 'id')).toBe('id');
    expect(typeOf(a, 'x')).toBe('numeric');
    expect(typeOf(a, 'colour')).toBe('categorical');
    expect(typeOf(a, 'comment')).toBe('text');
    expect(typeOf(a, 'k')).toBe('constant');
    expect(a.features).toEqual(['x', 'colour']);
    expect(a.columns.find((c) => c.name === 'comment')!.role).toBe('excluded');
    expect(a.warnings).toEqual(expect.arrayContaining([
      "column 'id' looks like a row identifier (a different value in every row); it is left out of the features",
      "column 'k' is constant (always 7); it is left out of the features",
    ]));
  });

  it('computes per-column statistics', () => {
    const a = analyze(['v', 'c'], [['1', 'a'], ['2', 'b'], ['', 'a'], ['NA', 'a'], ['6', '?']]);
    const v = a.columns[0].stats;
    expect(v).toMatchObject({ count: 3, missing: 2, distinct: 3, min: 1, max: 6, mean: 3, median: 2, integer: true });
    expect(v.std).toBeCloseTo(Math.sqrt(((1 - 3) ** 2 + (2 - 3) ** 2 + (6 - 3) ** 2) / 3), 10);
    expect(a.columns[1].stats).toMatchObject({ count: 4, missing: 1, distinct: 2, top: [{ value: 'a', count: 3 }, { value: 'b', count: 1 }] });
  });
});

describe('target and task', () => {
  it('takes the last column as the target, or the chosen one', () => {
    expect(analyze(['a', 'b'], [['1', 'x'], ['2', 'y'], ['3', 'x'], ['4', 'y']]).target).toBe('b');
    expect(analyze(['a', 'b', 'c'], [['1', '2', 'x'], ['2', '3', 'y'], ['3', '4', 'x'], ['4', '5', 'y']], { target: 'a' }).target).toBe('a');
  });

  it('infers classification for labels and ≤ 20 distinct integers, regression otherwise, and obeys an override', () => {
    const rows = (f: (i: number) => string) => Array.from({ length: 100 }, (_, i) => [String(i % 9), f(i)]);
    expect(analyze(['x', 'y'], rows((i) => (i % 3 ? 'cat' : 'dog'))).task).toBe('classification');
    expect(analyze(['x', 'y'], rows((i) => String(i % 5))).task).toBe('classification');
    expect(analyze(['x', 'y'], rows((i) => String(i % 30))).task).toBe('regression');
    expect(analyze(['x', 'y'], rows((i) => String(i / 7))).task).toBe('regression');
    expect(analyze(['x', 'y'], rows((i) => String(i % 5)), { task: 'regression' }).task).toBe('regression');
    const classes = analyze(['x', 'y'], rows((i) => String((i % 11) * 1)));
    expect(classes.classes).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10']);
  });
});

describe('problems that stop training, each with a clear message and remedies', () => {
  it('a numeric column holding text in some rows: lists the rows and offers categorical / drop rows / exclude', () => {
    const rows = Array.from({ length: 40 }, (_, i) => [i === 6 ? 'unknown' : i === 30 ? 'n.a.' : String(20 + (i % 17)), String(i % 2)]);
    const a = analyze(['age', 'label'], rows);
    expect(typeOf(a, 'age')).toBe('mixed');
    expect(a.problems).toHaveLength(1);
    const p = a.problems[0];
    expect(p.code).toBe('mixed-column');
    expect(p.rows).toEqual([8, 32]); // lines: the header is line 1
    expect(p.message).toBe("data.csv, line 8, column 'age': expected a number, found 'unknown' (also lines 32); the column holds numbers in other rows: treat it as categorical, drop those 2 rows or exclude the column");
    expect(p.remedies).toEqual([
      { kind: 'treat-as-categorical', column: 'age' },
      { kind: 'drop-rows', column: 'age', count: 2 },
      { kind: 'exclude-column', column: 'age' },
    ]);
    // The plain form crosses IPC and comes back the same.
    const plain = JSON.parse(JSON.stringify(p));
    expect(DatasetProblem.parse(plain)).toEqual(p.toJSON());
    expect(DatasetError.fromProblem(plain).message).toBe(p.message);
    // Each remedy, chosen, clears the problem.
    expect(analyze(['age', 'label'], rows, { fixes: { age: 'categorical' } }).problems).toEqual([]);
    expect(typeOf(analyze(['age', 'label'], rows, { fixes: { age: 'categorical' } }), 'age')).toBe('categorical');
    expect(typeOf(analyze(['age', 'label'], rows, { fixes: { age: 'drop-rows' } }), 'age')).toBe('numeric');
    expect(analyze(['age', 'label'], rows, { exclude: ['age'] }).problems.map((x) => x.code)).toEqual(['no-features']);
  });

  it('a target with one class', () => {
    const a = analyze(['x', 'y'], [['1', 'yes'], ['2', 'yes'], ['3', 'yes']]);
    expect(a.problems[0].code).toBe('one-class');
    expect(a.problems[0].message).toBe("data.csv, column 'y': expected a target with at least two classes, found only 'yes' in all 3 rows; choose another target column");
    expect(a.problems[0].remedies).toEqual([{ kind: 'choose-target', columns: ['x'] }]);
  });

  it('a target with more classes than the rows allow', () => {
    const a = analyze(['x', 'name'], Array.from({ length: 10 }, (_, i) => [String(i), i < 8 ? `p${i}` : 'p0']));
    expect(a.problems[0].code).toBe('too-many-classes');
    expect(a.problems[0].message).toBe("data.csv, column 'name': expected at most 5 classes for 10 rows (two rows per class on average, to learn each from), found 8 classes; choose another target column, or to train on it anyway set the task to classification (--task classification)");
    const numeric = analyze(['x', 'y'], Array.from({ length: 12 }, (_, i) => [String(i), String(i % 8)]), { task: 'classification' });
    expect(numeric.problems[0].remedies[0]).toEqual({ kind: 'set-task', task: 'regression' });
  });

  it('all-missing columns: as a feature (exclude it) and as the target (choose another)', () => {
    const rows = [['1', '', 'a'], ['2', 'NA', 'b'], ['3', '?', 'a'], ['4', '', 'b']];
    const a = analyze(['x', 'blank', 'y'], rows);
    expect(typeOf(a, 'blank')).toBe('empty');
    expect(a.problems[0].message).toBe("data.csv, column 'blank': expected a value in at least some rows, found every one of the 4 rows missing; exclude the column");
    expect(a.problems[0].remedies).toEqual([{ kind: 'exclude-column', column: 'blank' }]);
    expect(analyze(['x', 'blank', 'y'], rows, { exclude: ['blank'] }).problems).toEqual([]);
    const t = analyze(['x', 'y', 'blank'], rows.map(([x, b, y]) => [x, y, b]));
    expect(t.problems[0].message).toMatch(/column 'blank': expected a target value in at least some rows, found every one of the 4 rows missing; choose another target column/);
  });

  it('an unknown column in the options is an error naming the columns there are', () => {
    expect(() => analyze(['a', 'b'], [['1', 'x']], { target: 'c' })).toThrow("data.csv, column 'c': expected one of the columns ('a', 'b'), found no such column; check the 'target' option");
    expect(() => resolveOptions({ split: { train: 0.5, validation: 0.1, test: 0.1 } })).toThrow(/dataset option 'split': train \+ validation \+ test must add up to 1/);
  });
});
