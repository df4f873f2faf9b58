/**
 * A browser tab's session, kept in sessionStorage so it outlives a reload of the tab (and nothing
 * else): the tab's own id, under which the backend autosaves its untitled work, the key of that
 * autosave, and whether the work was unsaved. The page reads it at start to
 * bring the work back (stores/project.svelte.ts).
 */
export interface TabSession {
  /** 32 hex digits, made once per tab. */
  id: string;
  /** The autosave's recovery key, once one was written. */
  key?: string;
  dirty: boolean;
}

const STORAGE_KEY = 'nn-studio.session';

/** The tab's session (a new one, stored at once, when there is none or it is unreadable). */
export function readSession(storage: Storage = sessionStorage): TabSession {
  try {
    const stored = JSON.parse(storage.getItem(STORAGE_KEY) ?? 'null') as Partial<TabSession> | null;
    if (stored && typeof stored.id === 'string' && /^[0-9a-f]{32}$/.test(stored.id)) {
      return {
        id: stored.id,
        key: typeof stored.key === 'string' && /^[0-9a-f]{24}$/.test(stored.key) ? stored.key : undefined,
        dirty: stored.dirty === true,
      };
    }
  } catch {
    // unreadable: a new session below
  }
  const fresh: TabSession = { id: randomHex(16), dirty: false };
  writeSession(fresh, storage);
  return fresh;
}

export function writeSession(session: TabSession, storage: Storage = sessionStorage): void {
  try {
    storage.setItem(STORAGE_KEY, JSON.stringify(session));
  } catch {
    // storage full or refused: the reload will start afresh, the work itself is still on the backend
  }
}

function randomHex(bytes: number): string {
  return [...crypto.getRandomValues(new Uint8Array(bytes))].map((b) => b.toString(16).padStart(2, '0')).join('');
}
