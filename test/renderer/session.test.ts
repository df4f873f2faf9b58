/** A browser tab's session (renderer/src/lib/session.ts): made once, kept across reloads, never trusted blindly. */
import { describe, expect, it } from 'vitest';
import { readSession, writeSession } from '../../renderer/src/lib/session.js';

/** The Web Storage interface over a Map, as sessionStorage behaves within one tab. */
class TabStorage implements Storage {
  private items = new Map<string, string>();
  get length() { return this.items.size; }
  clear() { this.items.clear(); }
  getItem(key: string) { return this.items.get(key) ?? null; }
  key(i: number) { return [...this.items.keys()][i] ?? null; }
  removeItem(key: string) { this.items.delete(key); }
  setItem(key: string, value: string) { this.items.set(key, String(value)); }
}

describe('tab session', () => {
  it('is made once per tab and is the same after a reload, with the autosave it names', () => {
    const storage = new TabStorage();
    const first = readSession(storage);
    expect(first.id).toMatch(/^[0-9a-f]{32}$/);
    expect(first.dirty).toBe(false);
    expect(first.key).toBeUndefined();
    writeSession({ ...first, key: 'ab'.repeat(12), dirty: true }, storage);
    expect(readSession(storage)).toEqual({ id: first.id, key: 'ab'.repeat(12), dirty: true });
    expect(readSession(new TabStorage()).id).not.toBe(first.id); // another tab, another session
  });

  it('a tampered or unreadable entry gives a fresh session, and a key that names no autosave is dropped', () => {
    const storage = new TabStorage();
    storage.setItem('nn-studio.session', '{not json');
    expect(readSession(storage).key).toBeUndefined();
    storage.setItem('nn-studio.session', JSON.stringify({ id: 'f'.repeat(32), key: '../../etc/passwd', dirty: 'yes' }));
    expect(readSession(storage)).toEqual({ id: 'f'.repeat(32), key: undefined, dirty: false });
  });
});
