import { describe, expect, it } from 'vitest';
import { throttle, type Clock } from '../../renderer/src/lib/throttle.js';

/** A clock the test moves by hand. */
function manualClock() {
  let now = 0;
  let timers: { at: number; fn: () => void; id: number }[] = [];
  let nextId = 1;
  const clock: Clock = {
    now: () => now,
    setTimeout: (fn, ms) => {
      const id = nextId++;
      timers.push({ at: now + ms, fn, id });
      return id;
    },
    clearTimeout: (id) => (timers = timers.filter((t) => t.id !== id)),
  };
  const advance = (ms: number) => {
    now += ms;
    const due = timers.filter((t) => t.at <= now);
    timers = timers.filter((t) => t.at > now);
    due.forEach((t) => t.fn());
  };
  return { clock, advance };
}

describe('throttle', () => {
  it('runs at once, then at most once per interval, ending with a trailing call', () => {
    const { clock, advance } = manualClock();
    let calls = 0;
    const f = throttle(() => calls++, 250, clock);
    f();
    expect(calls).toBe(1);
    for (let i = 0; i < 20; i++) {
      advance(10);
      f();
    }
    expect(calls).toBe(1); // 200 ms of events: still waiting
    advance(50);
    expect(calls).toBe(2); // the trailing call carries the latest state
    advance(1000);
    expect(calls).toBe(2);
  });

  it('flush runs a pending call now; cancel drops it', () => {
    const { clock, advance } = manualClock();
    let calls = 0;
    const f = throttle(() => calls++, 250, clock);
    f();
    f();
    f.flush();
    expect(calls).toBe(2);
    f();
    f.cancel();
    advance(1000);
    expect(calls).toBe(2);
  });
});
