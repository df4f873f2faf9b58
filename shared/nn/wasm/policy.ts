/**
 * Whether a product is worth sharing with the helper threads, decided from measured times.
 *
 * On a quiet machine two threads run the benchmark's products about 1.7× faster than one. On a
 * busy one (other processes, other training runs) a helper can be preempted in the middle of its
 * share and the caller waits for it: then one thread is faster. So, per product shape, the policy
 * keeps a moving average of the time each way takes, uses the faster way, and now and then tries
 * the other again (the load changes). Products below `minMadds` always run on one thread.
 */

interface ShapeStats {
  /** Moving averages of one call's time (ms), NaN until measured. */
  parallel: number;
  serial: number;
  calls: number;
  /** `calls` when each way was last timed. */
  parallelAt: number;
  serialAt: number;
}

/** Weight of the newest time in the moving averages. */
const ALPHA = 0.25;
/** Shapes remembered; a model trains a handful, evaluation of odd batch sizes adds a few. */
const MAX_SHAPES = 64;

export class ParallelPolicy {
  private readonly shapes = new Map<number, ShapeStats>();

  /**
   * @param minMadds products with fewer multiply-adds always run on the calling thread
   * @param probeEvery every this many calls of a shape, the way that looks slower is timed again
   */
  constructor(readonly minMadds: number, readonly probeEvery = 64) {}

  /** Whether to share the next call of this shape. */
  choose(key: number, madds: number): boolean {
    if (madds < this.minMadds) return false;
    const s = this.stats(key);
    s.calls++;
    if (Number.isNaN(s.parallel)) return true;
    if (Number.isNaN(s.serial)) return false;
    const parallelFaster = s.parallel <= s.serial;
    return s.calls % this.probeEvery === 0 ? !parallelFaster : parallelFaster;
  }

  /**
   * Records how long a call of this shape took (ms) the way it ran. Back-to-back times are
   * averaged; a probe after a pause replaces the old average (the load it measured has passed).
   */
  record(key: number, parallel: boolean, ms: number): void {
    const s = this.stats(key);
    if (parallel) {
      s.parallel = Number.isNaN(s.parallel) || s.calls - s.parallelAt > 1 ? ms : s.parallel + ALPHA * (ms - s.parallel);
      s.parallelAt = s.calls;
    } else {
      s.serial = Number.isNaN(s.serial) || s.calls - s.serialAt > 1 ? ms : s.serial + ALPHA * (ms - s.serial);
      s.serialAt = s.calls;
    }
  }

  /** A product's shape as one number: form (0 A·B, 1 Aᵀ·B, 2 A·Bᵀ) and sizes; collisions only merge statistics. */
  static key(form: number, M: number, K: number, N: number): number {
    return ((form * 1_000_003 + M) * 1_000_003 + K) * 1_000_003 + N;
  }

  private stats(key: number): ShapeStats {
    let s = this.shapes.get(key);
    if (!s) {
      if (this.shapes.size >= MAX_SHAPES) this.shapes.clear();
      s = { parallel: NaN, serial: NaN, calls: 0, parallelAt: 0, serialAt: 0 };
      this.shapes.set(key, s);
    }
    return s;
  }
}
