/** Types for build.mjs, so TypeScript callers (tests, serve) get them checked. */
export function ensureBuilt(options?: { only?: Array<'node' | 'renderer'>; ifStale?: boolean }): Promise<void>;
