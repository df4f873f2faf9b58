/**
 * Getting a person's files to the backend, which loads datasets from paths (workers never receive
 * datasets over IPC). In the desktop app the preload tells a dropped file's path; in web mode the
 * file's bytes are POSTed to the host's /upload (with the tab's access token in a header) and
 * the reply names where it was stored. A dropped folder is zipped here first (stored, not
 * deflated: images are compressed already) and uploaded as one .zip, which the loaders read as an
 * image folder.
 */
import { zipSync } from 'fflate';
import Papa from 'papaparse';
import type { Table } from '../../../shared/data/table.js';
import { RowCollector } from './localdata.js';
import { accessToken } from './token.js';
import { TOKEN_HEADER } from '../../../shared/ipc/websocket.js';

/** A file picked or dropped, with its path inside a dropped folder ('' for a single file). */
export interface PickedFile {
  file: File;
  relativePath: string;
}

/** True in the desktop app (the preload provides paths); false in a browser. */
export function hasLocalPaths(): boolean {
  return typeof window.studio?.pathForFile === 'function';
}

/** Desktop app: the paths of dropped files and folders, each judged a project, a dataset or neither. */
export function droppedPaths(files: readonly File[]): { path: string; kind: 'project' | 'dataset' | 'other' }[] {
  return window.studio?.droppedPaths?.(files) ?? [];
}

/** The on-disk path of a dropped or picked file in the desktop app. */
export function localPath(file: File): string {
  return window.studio!.pathForFile(file);
}

/**
 * Uploads a file (web mode) with progress; resolves to the path the backend stored it at.
 * `signal` cancels the upload.
 */
export function uploadFile(file: Blob, name: string, onProgress: (fraction: number) => void, signal: AbortSignal): Promise<string> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/upload?name=${encodeURIComponent(name)}`);
    xhr.setRequestHeader(TOKEN_HEADER, accessToken());
    xhr.responseType = 'json';
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      const body = xhr.response as { path?: string; error?: string } | null;
      if (xhr.status === 200 && body?.path) resolve(body.path);
      else reject(new Error(body?.error ?? `the upload of ${name} failed (HTTP ${xhr.status})`));
    };
    xhr.onerror = () => reject(new Error(`the upload of ${name} failed: the studio's host did not answer`));
    xhr.onabort = () => reject(new DOMException('the upload was cancelled', 'AbortError'));
    signal.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(file);
  });
}

/**
 * Uploads what a person chose as one dataset: a single file as itself, several (a folder's, or
 * files chosen together) as one stored zip named `<name>.zip`. Resolves to the stored path.
 */
export async function uploadFiles(files: readonly PickedFile[], name: string, onProgress: (fraction: number) => void, signal: AbortSignal): Promise<string> {
  if (files.length === 1) return uploadFile(files[0].file, files[0].file.name, onProgress, signal);
  return uploadFile(await zipFolder(files), `${name}.zip`, onProgress, signal);
}

/** The files of a dropped folder, walking FileSystemDirectoryEntry trees. */
export async function filesOfEntry(entry: FileSystemEntry, prefix = ''): Promise<PickedFile[]> {
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
    return [{ file, relativePath: prefix + entry.name }];
  }
  const reader = (entry as FileSystemDirectoryEntry).createReader();
  const children: FileSystemEntry[] = [];
  // readEntries returns at most ~100 entries per call: read until it returns none.
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) break;
    children.push(...batch);
  }
  const nested = await Promise.all(children.map((c) => filesOfEntry(c, `${prefix}${entry.name}/`)));
  return nested.flat();
}

/** A folder's files as one stored zip (paths kept, hidden files skipped). */
export async function zipFolder(files: readonly PickedFile[]): Promise<Blob> {
  const entries: Record<string, Uint8Array> = {};
  for (const f of files) {
    if (f.relativePath.split('/').some((part) => part.startsWith('.'))) continue;
    entries[f.relativePath] = new Uint8Array(await f.file.arrayBuffer());
  }
  const bytes = zipSync(entries, { level: 0 });
  return new Blob([bytes], { type: 'application/zip' });
}

/**
 * Reads a delimited text file into a table here in the renderer (for the preview table and the
 * plots), with the delimiter and header the backend's summary found. Streams in chunks.
 */
export function readDelimitedFile(file: File, delimiter: string, header: boolean): Promise<Table> {
  const collector = new RowCollector(file.name, header, delimiter === ';');
  return new Promise((resolve, reject) => {
    Papa.parse<string[]>(file, {
      delimiter,
      header: false,
      skipEmptyLines: false,
      comments: '#',
      chunkSize: 1 << 20,
      chunk: (results) => collector.add(results.data),
      complete: () => {
        try {
          resolve(collector.finish());
        } catch (e) {
          reject(e as Error);
        }
      },
      error: (e) => reject(e),
    });
  });
}

/** Saves text as a download (web) or through the browser's save flow (desktop). */
export function downloadText(text: string, name: string, type = 'text/csv'): void {
  saveBlob(new Blob([text], { type }), name);
}

/**
 * Web mode's Save and Export: fetches a file the backend staged (`project:download`,
 * `export:download`; the tab's token in a header, never in the address) and hands it to the
 * browser's downloads. Throws with the host's own sentence when it is gone.
 */
export async function downloadStaged(staged: { id: string; name: string }): Promise<void> {
  const response = await fetch(`/download?id=${encodeURIComponent(staged.id)}`, { headers: { [TOKEN_HEADER]: accessToken() } });
  if (!response.ok) throw new Error(`${staged.name}: ${(await response.text()).trim() || `the download failed (HTTP ${response.status})`}`);
  saveBlob(await response.blob(), staged.name);
}

function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A dataset source as a person reads it: its file or folder name (web mode's upload folders are the server's business). */
export function sourceName(source: string): string {
  return source.replace(/[\\/]+$/, '').replace(/^.*[\\/]/, '');
}
