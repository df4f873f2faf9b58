/**
 * Train / validation / test splits: seeded, and stratified for classification (each class is
 * split in the same proportions, so a rare class is not missing from the test set by chance).
 */
import { Random } from '../nn/random.js';
import type { SplitFractions } from './options.js';

export interface SplitIndices {
  train: Int32Array;
  validation: Int32Array;
  test: Int32Array;
}

/**
 * Splits `rows` (indices into the dataset) by `fractions`. With `labels` (class index per entry
 * of `rows`) the split is stratified: every class is split in the same proportions, the totals
 * are exactly round(n·test) and round(n·validation) (largest-remainder apportionment across the
 * classes), and every class keeps at least one row for training. Each split comes out shuffled.
 * Same seed, same split.
 */
export function splitRows(rows: Int32Array, fractions: SplitFractions, seed: number, labels?: Int32Array | null): SplitIndices {
  const random = new Random(seed);
  const groups = labels ? groupByClass(rows, labels) : [Int32Array.from(rows)];
  const counts = stratifiedCounts(groups.map((g) => g.length), fractions);
  const train: number[] = [];
  const validation: number[] = [];
  const test: number[] = [];
  groups.forEach((group, c) => {
    random.shuffle(group);
    const [nTrain, nValidation] = counts[c];
    for (let i = 0; i < group.length; i++) {
      (i < nTrain ? train : i < nTrain + nValidation ? validation : test).push(group[i]);
    }
  });
  return {
    train: random.shuffle(Int32Array.from(train)),
    validation: random.shuffle(Int32Array.from(validation)),
    test: random.shuffle(Int32Array.from(test)),
  };
}

/** [train, validation, test] counts for n rows (one group): rounded, at least one left to train. */
export function splitCounts(n: number, f: SplitFractions): [number, number, number] {
  return stratifiedCounts([n], f)[0];
}

/**
 * Per group of sizes[c]: [train, validation, test]. Test and validation totals are the rounded
 * shares of all rows, given out to the groups by their floor share plus, for the rest, the
 * largest fractional parts; then each group gives back rows (validation first) until it keeps one
 * for training.
 */
export function stratifiedCounts(sizes: readonly number[], f: SplitFractions): [number, number, number][] {
  const total = sizes.reduce((a, b) => a + b, 0);
  const apportion = (fraction: number): number[] => {
    const exact = sizes.map((n) => n * fraction);
    const out = exact.map(Math.floor);
    let left = Math.round(total * fraction) - out.reduce((a, b) => a + b, 0);
    const order = exact.map((x, c) => [x - Math.floor(x), c] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
    for (const [, c] of order) {
      if (left <= 0) break;
      out[c]++;
      left--;
    }
    return out;
  };
  const test = apportion(f.test);
  const validation = apportion(f.validation);
  return sizes.map((n, c) => {
    let [v, t] = [validation[c], test[c]];
    while (n > 0 && n - t - v < 1) {
      if (v >= t && v > 0) v--;
      else t--;
    }
    return [n - v - t, v, t];
  });
}

/** The entries of `rows` grouped by label, classes in index order, rows in their given order. */
function groupByClass(rows: Int32Array, labels: Int32Array): Int32Array[] {
  let classes = 0;
  for (let i = 0; i < labels.length; i++) classes = Math.max(classes, labels[i] + 1);
  const sizes = new Int32Array(classes);
  for (let i = 0; i < rows.length; i++) sizes[labels[i]]++;
  const groups = Array.from(sizes, (n) => new Int32Array(n));
  const fill = new Int32Array(classes);
  for (let i = 0; i < rows.length; i++) groups[labels[i]][fill[labels[i]]++] = rows[i];
  return groups.filter((g) => g.length > 0);
}
