/**
 * Train / validation / test splits: seeded, and stratified for classification (each class is
 * split in the same proportions, so a rare class is not missing from the test set by chance).
 */
import { Random } from '../nn/random.js';
import type { Fold, SplitFractions } from './options.js';

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

/**
 * Validation rows out of the n training rows of data that brings its own test set (IDX t10k):
 * the person's validation share of train + validation when they gave a split, else a tenth, at
 * most VALIDATION_CAP rows — 5,000 images judge an epoch as well as 10,588 do, and the other
 * 5,588 are better spent training.
 */
export function validationRowsBesideTest(n: number, given?: SplitFractions): number {
  if (given) return Math.round((n * given.validation) / (given.train + given.validation));
  return Math.min(VALIDATION_CAP, Math.round(n * VALIDATION_SHARE));
}

/** The default validation share beside a given test set, and its cap in rows. */
export const VALIDATION_SHARE = 0.1;
export const VALIDATION_CAP = 5000;

/**
 * Fold `fold.index` of a k-fold split as the test rows; the other folds split into train and
 * validation by `fractions`' train : validation ratio (its test share is ignored). With `labels`
 * the folds are stratified: each class, shuffled, is dealt round the folds in turn, so every fold
 * holds each class in proportion (scikit-learn's StratifiedKFold). Same seed, same folds.
 */
export function foldRows(rows: Int32Array, fold: Fold, fractions: SplitFractions, seed: number, labels?: Int32Array | null): SplitIndices {
  const random = new Random(seed);
  const labelOf = new Map<number, number>();
  if (labels) rows.forEach((r, i) => labelOf.set(r, labels[i]));
  const groups = labels ? groupByClass(rows, labels) : [Int32Array.from(rows)];
  const test: number[] = [];
  const rest: number[] = [];
  let dealt = 0;
  for (const group of groups) {
    random.shuffle(group);
    for (const row of group) (dealt++ % fold.count === fold.index ? test : rest).push(row);
  }
  const kept = Int32Array.from(rest);
  const share = fractions.validation / (fractions.train + fractions.validation);
  const inner = splitRows(kept, { train: 1 - share, validation: share, test: 0 }, seed + fold.index + 1, labels ? Int32Array.from(kept, (r) => labelOf.get(r)!) : null);
  return { train: inner.train, validation: inner.validation, test: random.shuffle(Int32Array.from(test)) };
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
