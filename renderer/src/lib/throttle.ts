/**
 * Rate limiting for the live views: progress events arrive up to ~20 a second, charts redraw at
 * most a few times a second. `throttle(fn, ms)` runs fn at once, then at most once per `ms`,
 * always finishing with a trailing call so the last value is never lost.
 */

export interface Throttled {
  (): void;
  /** Runs a pending call now. */
  flush(): void;
  /** Drops a pending call. */
  cancel(): void;
}

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export function throttle(fn: () => void, ms: number, clock: Clock = realClock): Throttled {
  let last = -Infinity;
  let timer: unknown = null;
  const run = () => {
    timer = null;
    last = clock.now();
    fn();
  };
  const throttled = (() => {
    if (timer !== null) return;
    const wait = last + ms - clock.now();
    if (wait <= 0) run();
    else timer = clock.setTimeout(run, wait);
  }) as Throttled;
  throttled.flush = () => {
    if (timer === null) return;
    clock.clearTimeout(timer);
    run();
  };
  throttled.cancel = () => {
    if (timer !== null) clock.clearTimeout(timer);
    timer = null;
  };
  return throttled;
}
