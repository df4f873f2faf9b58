import { describe, expect, it } from 'vitest';
import { Slots } from '../../main/workers/slots.js';

describe('Slots (the runs:ping cap)', () => {
  it('runs at most `size` tasks at once, all of them in the end, and frees slots of failed tasks', async () => {
    const slots = new Slots(3);
    let running = 0;
    let peak = 0;
    const release: (() => void)[] = [];
    const task = (fail: boolean) => slots.run(async () => {
      running++;
      peak = Math.max(peak, running);
      await new Promise<void>((resolve) => release.push(resolve));
      running--;
      if (fail) throw new Error('worker failed');
      return 'pong';
    });
    const all = Array.from({ length: 10 }, (_, i) => task(i % 4 === 0).catch((e: Error) => e.message));
    // Let every task that can start start, then release them one by one.
    for (let done = 0; done < 10; done++) {
      await new Promise((r) => setTimeout(r, 0));
      expect(running).toBeLessThanOrEqual(3);
      release.shift()!();
    }
    const results = await Promise.all(all);
    expect(peak).toBe(3);
    expect(results.filter((r) => r === 'pong').length).toBe(7);
    expect(slots.running).toBe(0);
  });
});
