/**
 * How good a model is, as plain JSON objects (they cross IPC and are saved with a run).
 *
 * Classification: accuracy; precision, recall and F1 per class, their macro average (each class
 * counts the same) and weighted average (each class by its support); the confusion matrix with
 * rows = actual class and columns = predicted class. A class never predicted has precision 0 and
 * a class absent from the data recall 0 (scikit-learn's zero_division=0).
 * Two classes also get their ranking curves from the positive (second) class's probability p:
 * ROC (true-positive rate against false-positive rate as the threshold on p falls) with its area
 * (trapezoids through every distinct threshold, as scikit-learn's roc_auc_score), and
 * precision–recall with its average precision AP = Σₙ (Rₙ − Rₙ₋₁)·Pₙ (scikit-learn's
 * average_precision_score). The curve keeps at most CURVE_POINTS thresholds, the areas use all.
 * Regression: MSE = mean of (y − t)² over every value (no ½: this is the statistic, see losses.ts),
 * RMSE = √MSE, MAE = mean |y − t|, R² = 1 − SS_res/SS_tot per output, averaged over outputs.
 */

export interface ClassScores {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  /** Rows whose actual class this is. */
  support: number;
}

export interface AveragedScores {
  precision: number;
  recall: number;
  f1: number;
}

export interface ClassificationMetrics {
  kind: 'classification';
  rows: number;
  accuracy: number;
  perClass: ClassScores[];
  macro: AveragedScores;
  weighted: AveragedScores;
  /** confusion[actual][predicted] = count. */
  confusion: number[][];
  labels: string[];
  /** Two classes: the ROC and precision–recall curves of the positive class and their areas. */
  binary?: BinaryCurves;
}

/** One threshold of a binary curve: predicting the positive class when p ≥ threshold gives tp and fp. */
export interface CurvePoint {
  threshold: number;
  tp: number;
  fp: number;
}

export interface BinaryCurves {
  /** Rows of the positive (second) class and of the negative one. */
  positives: number;
  negatives: number;
  /** Area under the ROC curve. */
  rocAuc: number;
  /** Average precision: the area under the precision–recall curve as a step function. */
  averagePrecision: number;
  /** Every distinct score as a threshold, highest first (decimated to at most CURVE_POINTS); the curves start at tp = fp = 0 above the first. */
  points: CurvePoint[];
}

export interface RegressionMetrics {
  kind: 'regression';
  rows: number;
  mse: number;
  rmse: number;
  mae: number;
  r2: number;
}

/**
 * Class index per row from network outputs or one-hot targets [rows × cols]: argmax of the row,
 * or for a single column (a sigmoid's probability) 1 when it is ≥ 0.5.
 */
export function classIndices(values: ArrayLike<number>, rows: number, cols: number): Int32Array {
  const out = new Int32Array(rows);
  for (let r = 0; r < rows; r++) out[r] = classOfRow(values, r * cols, cols);
  return out;
}

/** The class of the row starting at `offset` (argmax; threshold 0.5 for one column). */
export function classOfRow(values: ArrayLike<number>, offset: number, cols: number): number {
  if (cols === 1) return values[offset] >= 0.5 ? 1 : 0;
  let best = 0;
  for (let j = 1; j < cols; j++) if (values[offset + j] > values[offset + best]) best = j;
  return best;
}

/** Classification metrics from actual and predicted class indices in [0, classes). */
export function classificationMetrics(actual: ArrayLike<number>, predicted: ArrayLike<number>, classes: number, labels?: readonly string[]): ClassificationMetrics {
  const rows = actual.length;
  const confusion = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  let correct = 0;
  for (let r = 0; r < rows; r++) {
    confusion[actual[r]][predicted[r]]++;
    if (actual[r] === predicted[r]) correct++;
  }
  const names = labels && labels.length === classes ? [...labels] : Array.from({ length: classes }, (_, c) => String(c));
  const perClass = confusion.map((row, c): ClassScores => {
    const tp = row[c];
    const support = row.reduce((s, v) => s + v, 0);
    const predictedCount = confusion.reduce((s, r) => s + r[c], 0);
    const precision = predictedCount > 0 ? tp / predictedCount : 0;
    const recall = support > 0 ? tp / support : 0;
    return { label: names[c], precision, recall, f1: f1(precision, recall), support };
  });
  return {
    kind: 'classification',
    rows,
    accuracy: rows > 0 ? correct / rows : 0,
    perClass,
    macro: average(perClass, () => 1),
    weighted: average(perClass, (c) => c.support),
    confusion,
    labels: names,
  };
}

/** F1 = harmonic mean of precision and recall (0 when both are 0). */
function f1(precision: number, recall: number): number {
  return precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
}

function average(scores: ClassScores[], weight: (c: ClassScores) => number): AveragedScores {
  let total = 0, p = 0, r = 0, f = 0;
  for (const c of scores) {
    const w = weight(c);
    total += w;
    p += w * c.precision;
    r += w * c.recall;
    f += w * c.f1;
  }
  return total > 0 ? { precision: p / total, recall: r / total, f1: f / total } : { precision: 0, recall: 0, f1: 0 };
}

/** Points a binary curve keeps (the areas are computed over every threshold). */
export const CURVE_POINTS = 200;

/**
 * ROC and precision–recall of scores p (the positive class's probability) against actual classes
 * (1 = positive, 0 = negative); see the module comment.
 */
export function binaryCurves(scores: ArrayLike<number>, actual: ArrayLike<number>): BinaryCurves {
  const n = scores.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[b] - scores[a]);
  let positives = 0;
  for (let i = 0; i < n; i++) if (actual[i] === 1) positives++;
  const negatives = n - positives;
  const all: CurvePoint[] = [{ threshold: Infinity, tp: 0, fp: 0 }];
  let tp = 0, fp = 0;
  for (let k = 0; k < n; k++) {
    if (actual[order[k]] === 1) tp++;
    else fp++;
    // One point per distinct score: rows tied on a score cross the threshold together.
    if (k === n - 1 || scores[order[k + 1]] !== scores[order[k]]) all.push({ threshold: scores[order[k]], tp, fp });
  }
  let rocAuc = 0, averagePrecision = 0;
  for (let k = 1; k < all.length; k++) {
    const a = all[k - 1], b = all[k];
    if (positives > 0 && negatives > 0) rocAuc += ((b.fp - a.fp) / negatives) * ((b.tp + a.tp) / 2 / positives);
    if (positives > 0) averagePrecision += ((b.tp - a.tp) / positives) * (b.tp / (b.tp + b.fp));
  }
  return { positives, negatives, rocAuc: positives > 0 && negatives > 0 ? rocAuc : NaN, averagePrecision: positives > 0 ? averagePrecision : NaN, points: decimateCurve(all.slice(1)) };
}

/** At most CURVE_POINTS of the points, evenly spaced along the list, the first and last kept. */
function decimateCurve(points: CurvePoint[]): CurvePoint[] {
  if (points.length <= CURVE_POINTS) return points;
  const step = (points.length - 1) / (CURVE_POINTS - 1);
  return Array.from({ length: CURVE_POINTS }, (_, k) => points[Math.round(k * step)]);
}

/** Precision and recall of the positive class when predicting it for p ≥ threshold, from a curve's points (the nearest point at or above). */
export function scoresAtThreshold(curves: BinaryCurves, threshold: number): { tp: number; fp: number; fn: number; tn: number; precision: number; recall: number } {
  let tp = 0, fp = 0;
  for (const p of curves.points) if (p.threshold >= threshold) ({ tp, fp } = p);
  return {
    tp, fp, fn: curves.positives - tp, tn: curves.negatives - fp,
    precision: tp + fp > 0 ? tp / (tp + fp) : 0,
    recall: curves.positives > 0 ? tp / curves.positives : 0,
  };
}

/** Regression metrics for predictions y and targets t, both [rows × cols]. */
export function regressionMetrics(y: ArrayLike<number>, t: ArrayLike<number>, rows: number, cols: number): RegressionMetrics {
  let se = 0, ae = 0;
  for (let i = 0, n = rows * cols; i < n; i++) {
    const e = y[i] - t[i];
    se += e * e;
    ae += Math.abs(e);
  }
  const n = rows * cols;
  const mse = n > 0 ? se / n : 0;
  return { kind: 'regression', rows, mse, rmse: Math.sqrt(mse), mae: n > 0 ? ae / n : 0, r2: rSquared(y, t, rows, cols) };
}

/** R² = 1 − SS_res/SS_tot for each output column, averaged; a constant target scores 1 if fitted exactly, else 0. */
function rSquared(y: ArrayLike<number>, t: ArrayLike<number>, rows: number, cols: number): number {
  let sum = 0;
  for (let c = 0; c < cols; c++) {
    let mean = 0;
    for (let r = 0; r < rows; r++) mean += t[r * cols + c];
    mean /= rows;
    let res = 0, tot = 0;
    for (let r = 0; r < rows; r++) {
      const tv = t[r * cols + c];
      res += (y[r * cols + c] - tv) ** 2;
      tot += (tv - mean) ** 2;
    }
    sum += tot > 0 ? 1 - res / tot : res === 0 ? 1 : 0;
  }
  return cols > 0 ? sum / cols : 0;
}
