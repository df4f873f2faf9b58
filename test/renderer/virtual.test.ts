import { describe, expect, it } from 'vitest';
import { MAX_SCROLL_HEIGHT, virtualWindow } from '../../renderer/src/lib/virtual.js';

describe('the virtualised table window', () => {
  it('renders only the rows in view plus a margin', () => {
    const w = virtualWindow(26 * 100, 260, 26, 1000, 5);
    expect(w).toEqual({ start: 95, end: 116, offset: 95 * 26, totalHeight: 26_000 });
  });

  it('reaches the last of a million rows although the browser cannot make the list that tall', () => {
    const total = 1_000_000;
    const top = virtualWindow(0, 260, 26, total);
    expect(top.start).toBe(0);
    expect(top.totalHeight).toBe(MAX_SCROLL_HEIGHT);
    const bottom = virtualWindow(MAX_SCROLL_HEIGHT - 260, 260, 26, total);
    expect(bottom.end).toBe(total);
    const middle = virtualWindow((MAX_SCROLL_HEIGHT - 260) / 2, 260, 26, total);
    expect(Math.abs(middle.start + 8 - total / 2)).toBeLessThan(20);
    expect(middle.end - middle.start).toBeLessThan(40);
  });
});
