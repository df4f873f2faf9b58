/** The built-in samples: every one loads as `sample:NAME`; Iris and MNIST are the real data. */
import { describe, expect, it } from 'vitest';
import { resolveOptions } from '../../shared/data/options.js';
import { prepareLoaded } from '../../shared/data/prepare.js';
import { loadTableSample, SAMPLES } from '../../shared/data/samples/index.js';
import { cellAt } from '../../shared/data/table.js';
import { inspectDataset, loadDataset } from '../../main/data/index.js';
import { datasetError } from './helpers.js';

describe('built-in samples', () => {
  it('lists every sample the issue names, each with a description', () => {
    expect(SAMPLES.map((s) => s.name)).toEqual(['and', 'or', 'xor', 'circles', 'moons', 'spiral', 'blobs', 'sine', 'poly', 'iris', 'mnist']);
    for (const s of SAMPLES) expect(s.description.length).toBeGreaterThan(10);
  });

  it('every table sample inspects without problems and prepares, with the task it promises', async () => {
    for (const info of SAMPLES.filter((s) => s.kind === 'table')) {
      const summary = await inspectDataset(`sample:${info.name}`);
      expect(summary.problems, info.name).toEqual([]);
      expect(summary.task, info.name).toBe(info.task);
      const p = prepareLoaded(loadTableSample(info.name), resolveOptions());
      expect(p.train.count, info.name).toBeGreaterThan(0);
    }
  });

  it('the logic gates are their truth tables, all for training', () => {
    const rows = (name: string) => {
      const { table } = loadTableSample(name);
      return Array.from({ length: table.rowCount }, (_, i) => table.columns.map((c) => cellAt(c, i)));
    };
    expect(rows('and')).toEqual([[0, 0, 0], [0, 1, 0], [1, 0, 0], [1, 1, 1]]);
    expect(rows('or')).toEqual([[0, 0, 0], [0, 1, 1], [1, 0, 1], [1, 1, 1]]);
    expect(rows('xor')).toEqual([[0, 0, 0], [0, 1, 1], [1, 0, 1], [1, 1, 0]]);
    const p = prepareLoaded(loadTableSample('xor'), resolveOptions());
    expect([p.train.count, p.validation.count, p.test.count]).toEqual([4, 0, 0]);
  });

  it('generated samples are the same every time and have the promised shape', () => {
    const a = loadTableSample('spiral').table;
    const b = loadTableSample('spiral').table;
    expect(Array.from(a.columns[0].values)).toEqual(Array.from(b.columns[0].values));
    expect(a.rowCount).toBe(300);
    // Circles: class 0 on the unit circle, class 1 on the half-radius one (noise 0.08).
    const c = loadTableSample('circles').table;
    for (let i = 0; i < c.rowCount; i++) {
      const r = Math.hypot(c.columns[0].values[i], c.columns[1].values[i]);
      expect(Math.abs(r - (c.columns[2].values[i] === 0 ? 1 : 0.5))).toBeLessThan(0.4);
    }
  });

  it("Iris: 150 rows, 50 of each species, row 1 is 5.1,3.5,1.4,0.2,setosa, and R's published statistics", () => {
    const { table } = loadTableSample('iris');
    expect(table.rowCount).toBe(150);
    expect(table.columns.map((c) => c.name)).toEqual(['sepal_length', 'sepal_width', 'petal_length', 'petal_width', 'species']);
    const row = (i: number) => table.columns.map((c) => { const v = cellAt(c, i); return typeof v === 'number' ? Number(v.toFixed(1)) : v; });
    expect(row(0)).toEqual([5.1, 3.5, 1.4, 0.2, 'setosa']);
    expect(row(50)).toEqual([7.0, 3.2, 4.7, 1.4, 'versicolor']);
    expect(row(100)).toEqual([6.3, 3.3, 6.0, 2.5, 'virginica']);
    expect(row(149)).toEqual([5.9, 3.0, 5.1, 1.8, 'virginica']);
    const species = table.columns[4];
    expect(species.dictionary).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(species.dictionaryCounts).toEqual([50, 50, 50]);
    // Means and sample standard deviations per species, as R's aggregate(iris) prints them.
    const expected: Record<string, [number[], number[]]> = {
      setosa: [[5.006, 3.428, 1.462, 0.246], [0.3524897, 0.3790644, 0.173664, 0.1053856]],
      versicolor: [[5.936, 2.77, 4.26, 1.326], [0.5161711, 0.3137983, 0.469911, 0.1977527]],
      virginica: [[6.588, 2.974, 5.552, 2.026], [0.6358796, 0.3224966, 0.5518947, 0.2746501]],
    };
    species.dictionary.forEach((name, s) => {
      const rows = Array.from({ length: 150 }, (_, i) => i).filter((i) => species.codes![i] === s);
      for (let c = 0; c < 4; c++) {
        const xs = rows.map((i) => Number(table.columns[c].values[i].toFixed(1)));
        const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
        const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1));
        expect(mean).toBeCloseTo(expected[name][0][c], 6);
        expect(sd).toBeCloseTo(expected[name][1][c], 6);
      }
    });
    // And a cross-column fact: cor(Petal.Length, Petal.Width) = 0.9628654.
    const pl = Array.from(table.columns[2].values, (v) => Number(v.toFixed(1)));
    const pw = Array.from(table.columns[3].values, (v) => Number(v.toFixed(1)));
    const m = (a: number[]) => a.reduce((x, y) => x + y, 0) / a.length;
    const [ml, mw] = [m(pl), m(pw)];
    const cov = pl.reduce((s, v, i) => s + (v - ml) * (pw[i] - mw), 0);
    const r = cov / Math.sqrt(pl.reduce((s, v) => s + (v - ml) ** 2, 0) * pw.reduce((s, v) => s + (v - mw) ** 2, 0));
    expect(r).toBeCloseTo(0.9628654, 6);
  });

  it('MNIST: the 10,000 digits of the mnist package, 28×28, with their per-digit counts', async () => {
    const loaded = await loadDataset('sample:mnist', resolveOptions());
    if (loaded.kind !== 'images') throw new Error('expected images');
    const set = loaded.train;
    expect(set).toMatchObject({ width: 28, height: 28, channels: 1, count: 10_000, classes: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'] });
    const counts = new Array(10).fill(0);
    for (const l of set.labels) counts[l]++;
    expect(counts).toEqual([1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978]);
    // MNIST's mean pixel intensity is about 0.13 (0.1307 on the full training set).
    const mean = set.pixels.reduce((a, b) => a + b, 0) / set.pixels.length / 255;
    expect(mean).toBeGreaterThan(0.12);
    expect(mean).toBeLessThan(0.14);
    const p = prepareLoaded(loaded, resolveOptions());
    expect([p.train.count, p.validation.count, p.test.count]).toEqual([7000, 1500, 1500]);
    expect(p.inputSize).toBe(784);
  });

  it('an unknown sample lists the ones there are', async () => {
    const e = await datasetError(loadDataset('sample:cats', resolveOptions()));
    expect(e.message).toBe('sample:cats: expected one of the samples (and, or, xor, circles, moons, spiral, blobs, sine, poly, iris, mnist), found no such sample');
  });
});
