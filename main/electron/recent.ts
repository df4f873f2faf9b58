/**
 * The recent-projects list: newest first, each project once, a fixed length, and files that no
 * longer exist dropped. Pure; persisted by main/electron/json-store.ts.
 */

/** How many projects Open Recent lists. */
export const RECENT_LIMIT = 10;

/** Two paths name the same file: Windows and macOS file systems ignore case by default; Linux does not. */
export function samePath(a: string, b: string, platform: string): boolean {
  const norm = (p: string) => {
    const slashes = platform === 'win32' ? p.replace(/\//g, '\\') : p;
    return platform === 'win32' || platform === 'darwin' ? slashes.toLowerCase() : slashes;
  };
  return norm(a) === norm(b);
}

/** The list after opening or saving `path`: it moves to the front, duplicates go, the oldest fall off. */
export function addRecent(list: readonly string[], path: string, platform: string, limit = RECENT_LIMIT): string[] {
  return [path, ...list.filter((p) => !samePath(p, path, platform))].slice(0, limit);
}

/** The list without `path` (a project that failed to open). */
export function removeRecent(list: readonly string[], path: string, platform: string): string[] {
  return list.filter((p) => !samePath(p, path, platform));
}

/** The list without files that are gone, deduplicated and capped (a stored list may be stale or hand-edited). */
export function pruneRecent(list: readonly string[], exists: (path: string) => boolean, platform: string, limit = RECENT_LIMIT): string[] {
  const kept: string[] = [];
  for (const path of list) {
    if (kept.length >= limit) break;
    if (typeof path !== 'string' || path === '' || kept.some((p) => samePath(p, path, platform))) continue;
    if (exists(path)) kept.push(path);
  }
  return kept;
}
