import { describe, expect, it } from 'vitest';
import { shortcutFor, shortcutLabel } from '../../renderer/src/lib/shortcuts.js';

const key = (k: string, mods: Partial<{ ctrlKey: boolean; metaKey: boolean; altKey: boolean; shiftKey: boolean }> = {}) =>
  ({ key: k, ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, ...mods });

describe('keyboard shortcuts', () => {
  it('Ctrl+O / S / Enter open, save, train; Esc stops (Windows, Linux)', () => {
    expect(shortcutFor(key('o', { ctrlKey: true }), false)).toBe('open');
    expect(shortcutFor(key('S', { ctrlKey: true }), false)).toBe('save');
    expect(shortcutFor(key('Enter', { ctrlKey: true }), false)).toBe('train');
    expect(shortcutFor(key('Escape'), false)).toBe('stop');
    expect(shortcutFor(key('o'), false)).toBeNull();
    expect(shortcutFor(key('o', { metaKey: true }), false)).toBeNull();
  });

  it('Cmd on macOS', () => {
    expect(shortcutFor(key('o', { metaKey: true }), true)).toBe('open');
    expect(shortcutFor(key('o', { ctrlKey: true }), true)).toBeNull();
    expect(shortcutLabel('train', true)).toBe('⌘↩');
    expect(shortcutLabel('open', false)).toBe('Ctrl+O');
  });
});
