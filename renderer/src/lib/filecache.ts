/**
 * Web mode: the dataset files this tab uploaded, kept in the browser's IndexedDB by the source
 * the backend gave them, so that after a reload the renderer can read their rows again for the
 * preview table and the plots (the browser forgets a chosen File on reload; the backend still
 * has its copy for training). Small files only; a failure is never an error, just no rows.
 */
const DB = 'nn-studio-files';
const STORE = 'files';
/** Larger files are not kept: their rows cost more memory in the page than a reload is worth. */
export const MAX_CACHED_BYTES = 64 * 1024 ** 2;
/** The newest files kept (older ones are dropped). */
const KEEP = 8;

function database(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
}

/** Keeps `file` under `source` (dropping the oldest beyond the newest few). */
export async function cacheFile(source: string, file: File): Promise<void> {
  if (file.size > MAX_CACHED_BYTES || typeof indexedDB === 'undefined') return;
  try {
    const db = await database();
    const tx = db.transaction(STORE, 'readwrite');
    const store = tx.objectStore(STORE);
    store.put({ file, at: Date.now() }, source);
    const all = store.getAll();
    const keys = store.getAllKeys();
    // Requests complete in order: when the keys arrive, the values have.
    keys.onsuccess = () => {
      const entries = (all.result as { at: number }[]).map((v, i) => ({ at: v.at, key: keys.result[i] }));
      entries.sort((a, b) => b.at - a.at).slice(KEEP).forEach((e) => store.delete(e.key));
    };
    await done(tx);
    db.close();
  } catch {
    // private mode, quota: the rows simply do not come back after a reload
  }
}

/** The file kept under `source`, or null. */
export async function cachedFile(source: string): Promise<File | null> {
  if (typeof indexedDB === 'undefined') return null;
  try {
    const db = await database();
    const request = db.transaction(STORE, 'readonly').objectStore(STORE).get(source);
    const value = await new Promise<{ file: File } | undefined>((resolve, reject) => {
      request.onsuccess = () => resolve(request.result as { file: File } | undefined);
      request.onerror = () => reject(request.error);
    });
    db.close();
    return value?.file ?? null;
  } catch {
    return null;
  }
}
