/**
 * Keeps long series drawable: a chart never gets more than a few hundred points however long
 * training runs. Min–max decimation (per bucket of x, keep the lowest and highest y in their
 * original order) keeps the spikes a person must see in a loss curve, which plain subsampling
 * would drop.
 */

export interface Point {
  x: number;
  y: number;
}

/**
 * At most about `maxPoints` points of `points` (sorted by x): the first, the last, and each
 * bucket's min and max. Series that already fit are returned as they are (the same array).
 */
export function decimateMinMax(points: readonly Point[], maxPoints: number): readonly Point[] {
  const n = points.length;
  if (n <= maxPoints || maxPoints < 4) return points;
  const buckets = Math.floor((maxPoints - 2) / 2);
  const out: Point[] = [points[0]];
  const inner = n - 2;
  for (let b = 0; b < buckets; b++) {
    const start = 1 + Math.floor((b * inner) / buckets);
    const end = 1 + Math.floor(((b + 1) * inner) / buckets);
    if (end <= start) continue;
    let lo = start, hi = start;
    for (let i = start + 1; i < end; i++) {
      if (points[i].y < points[lo].y) lo = i;
      if (points[i].y > points[hi].y) hi = i;
    }
    if (lo === hi) out.push(points[lo]);
    else if (lo < hi) out.push(points[lo], points[hi]);
    else out.push(points[hi], points[lo]);
  }
  out.push(points[n - 1]);
  return out;
}

/** Drops points whose y is not a finite number (a diverged loss, a missing validation value). */
export function finitePoints(points: readonly Point[]): Point[] {
  return points.filter((p) => Number.isFinite(p.y));
}
