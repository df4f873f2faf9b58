/**
 * The dataset being worked on: where it comes from, the person's options, the backend's summary,
 * loading progress (upload, then loading with `datasets:progress`), and the rows the renderer
 * holds for its own views (see lib/localdata.ts). Only this store asks the backend about datasets.
 */
import type { SampleInfo } from '../../../shared/ipc/contract.js';
import type { LoadedTable } from '../../../shared/data/dataset.js';
import type { DatasetOptions } from '../../../shared/data/options.js';
import type { PreparedDataset } from '../../../shared/data/prepare.js';
import type { Remedy } from '../../../shared/data/errors.js';
import type { DatasetSummary } from '../../../shared/data/summary.js';
import { studio } from '../lib/studio.js';
import { jsonToTable, parseJson } from '../../../shared/data/json.js';
import { filesOfEntry, hasLocalPaths, localPath, readDelimitedFile, uploadFile, uploadFiles, type PickedFile } from '../lib/files.js';
import { loadedTable, localSample, prepareLocal } from '../lib/localdata.js';
import { cachedFile, cacheFile } from '../lib/filecache.js';
import { effectiveDatasetOptions, shapeOfSummary } from '../lib/network.js';

export interface Loading {
  name: string;
  phase: 'upload' | 'load';
  /** 0–1, or null while it cannot be told. */
  fraction: number | null;
}

/** The sample the studio opens on when nothing else is loaded. */
export const START_SAMPLE = 'spiral';

/** Local tables kept for runs of earlier datasets (their previews and confusion cells). */
const KEEP_TABLES = 4;

class DataStore {
  samples = $state.raw<SampleInfo[]>([]);
  source = $state<string | null>(null);
  name = $state('');
  options = $state.raw<DatasetOptions>({});
  summary = $state.raw<DatasetSummary | null>(null);
  loading = $state<Loading | null>(null);
  error = $state<string | null>(null);
  /** Rows held in the renderer for the current source (null: none, e.g. images). */
  local = $state.raw<LoadedTable | null>(null);

  shape = $derived(this.summary ? shapeOfSummary(this.summary) : null);

  private attempt = 0;
  private abort: AbortController | null = null;
  private file: File | null = null;
  private tables = new Map<string, LoadedTable>();
  private prepared = new Map<string, PreparedDataset | Error>();

  /** Lists the samples and opens the start sample when nothing is loaded yet. */
  async init(): Promise<void> {
    try {
      this.samples = await studio.call('datasets:samples');
    } catch (e) {
      this.error = (e as Error).message;
    }
    if (!this.source) await this.openSample(START_SAMPLE);
  }

  async openSample(name: string): Promise<void> {
    this.file = null;
    await this.open(`sample:${name}`, name, {});
  }

  /** A dropped or picked file: its path (desktop) or an upload (web), then the summary. */
  async openFile(file: File): Promise<void> {
    const attempt = this.begin(file.name);
    this.file = file;
    try {
      const source = hasLocalPaths() ? localPath(file) : await this.upload(file, file.name, attempt);
      if (attempt !== this.attempt) return;
      if (!hasLocalPaths()) void cacheFile(source, file);
      await this.open(source, file.name, {}, attempt);
    } catch (e) {
      this.fail(e, attempt);
    }
  }

  /** A dropped folder (an image folder, or IDX files): its path, or zipped and uploaded. */
  async openFolder(entry: FileSystemEntry, file: File | null): Promise<void> {
    if (hasLocalPaths() && file) return this.openPath(localPath(file), entry.name);
    const attempt = this.begin(entry.name);
    try {
      await this.uploadZipped(await filesOfEntry(entry), entry.name, attempt);
    } catch (e) {
      this.fail(e, attempt);
    }
  }

  /**
   * Several files at once (chosen together, or a folder chosen with the folder picker): one file
   * opens as itself; more are zipped (paths inside a chosen folder kept) and uploaded as one
   * dataset, which the backend reads as IDX files or image classes.
   */
  async openFiles(files: readonly File[]): Promise<void> {
    if (files.length === 1) return this.openFile(files[0]);
    if (files.length === 0) return;
    if (hasLocalPaths()) return this.openFile(files[0]);
    const picked = files.map((file) => ({ file, relativePath: file.webkitRelativePath || file.name }));
    const folder = picked[0].relativePath.includes('/') ? picked[0].relativePath.split('/')[0] : null;
    const name = folder ?? `${files[0].name} + ${files.length - 1}`;
    const attempt = this.begin(name);
    try {
      await this.uploadZipped(picked, name, attempt);
    } catch (e) {
      this.fail(e, attempt);
    }
  }

  /**
   * What was dropped on the window: a folder (image classes, IDX files) or files. Several loose
   * files are taken together like a folder.
   */
  async openDropped(transfer: DataTransfer): Promise<void> {
    const items = [...transfer.items].filter((i) => i.kind === 'file');
    const entries = items.map((i) => i.webkitGetAsEntry?.() ?? null);
    const folder = entries.findIndex((e) => e?.isDirectory);
    if (folder >= 0) return this.openFolder(entries[folder]!, items[folder].getAsFile());
    return this.openFiles([...transfer.files]);
  }

  /** Opens a source a run used (duplicating it), with that run's options. */
  async reopen(source: string, name: string, options: DatasetOptions): Promise<void> {
    if (source === this.source && JSON.stringify(options) === JSON.stringify(this.options)) return;
    if (source !== this.source) this.file = null;
    await this.open(source, name, options);
  }

  /** Changes options (target, columns, task, missing values, scaling, split) and reloads the summary. */
  async setOptions(patch: Partial<DatasetOptions>): Promise<void> {
    if (!this.source) return;
    const options = { ...this.options, ...patch };
    for (const key of Object.keys(options) as (keyof DatasetOptions)[]) if (options[key] === undefined) delete options[key];
    await this.open(this.source, this.name, options);
  }

  /** Applies a remedy a dataset problem offered. */
  async applyRemedy(remedy: Remedy): Promise<void> {
    switch (remedy.kind) {
      case 'treat-as-categorical':
        return this.setOptions({ fixes: { ...this.options.fixes, [remedy.column]: 'categorical' } });
      case 'drop-rows':
        return this.setOptions({ fixes: { ...this.options.fixes, [remedy.column]: 'drop-rows' } });
      case 'exclude-column':
        return this.setOptions({ exclude: [...(this.options.exclude ?? []), remedy.column] });
      case 'choose-target':
        return this.setOptions({ target: remedy.columns[0] });
      case 'set-task':
        return this.setOptions({ task: remedy.task });
    }
  }

  /** Cancels the upload or load in progress (the previous dataset stays). */
  cancel(): void {
    this.abort?.abort();
    if (this.loading?.phase === 'load') void studio.call('datasets:cancel', { requestId: `inspect-${this.attempt}` }).catch(() => {});
    this.attempt++;
    this.loading = null;
  }

  /** The local rows of a source, if the renderer holds them. */
  tableFor(source: string): LoadedTable | null {
    return this.tables.get(source) ?? localSample(source);
  }

  /** The shared preparation of a run's data in the renderer (same split and preprocessing as its worker's). */
  preparedFor(source: string, options: DatasetOptions, seed: number): PreparedDataset | null {
    const table = this.tableFor(source);
    if (!table) return null;
    const effective = effectiveDatasetOptions(options, seed);
    const key = `${source}\n${JSON.stringify(effective)}`;
    let prepared = this.prepared.get(key);
    if (!prepared) {
      prepared = prepareLocal(table, effective);
      this.prepared.set(key, prepared);
    }
    return prepared instanceof Error ? null : prepared;
  }

  private begin(name: string): number {
    this.abort?.abort();
    this.abort = new AbortController();
    this.error = null;
    this.loading = { name, phase: 'load', fraction: null };
    return ++this.attempt;
  }

  /** Uploads several files as one zip (stored: data files are compressed already) and opens it as `name`. */
  private async uploadZipped(files: readonly PickedFile[], name: string, attempt: number): Promise<void> {
    this.loading = { name, phase: 'upload', fraction: 0 };
    const source = await uploadFiles(files, name, this.uploadProgress(name, attempt), this.abort!.signal);
    if (attempt === this.attempt) await this.open(source, name, {}, attempt);
  }

  /** A path the desktop app gave (a dropped folder). */
  private async openPath(path: string, name: string): Promise<void> {
    this.file = null;
    await this.open(path, name, {});
  }

  private async upload(file: Blob, name: string, attempt: number): Promise<string> {
    this.loading = { name, phase: 'upload', fraction: 0 };
    return uploadFile(file, name, this.uploadProgress(name, attempt), this.abort!.signal);
  }

  private uploadProgress(name: string, attempt: number): (fraction: number) => void {
    return (fraction) => {
      if (attempt === this.attempt) this.loading = { name, phase: 'upload', fraction };
    };
  }

  private async open(source: string, name: string, options: DatasetOptions, attempt = this.begin(name)): Promise<void> {
    const requestId = `inspect-${attempt}`;
    this.loading = { name, phase: 'load', fraction: null };
    const off = studio.listen('datasets:progress', (p) => {
      if (p.requestId === requestId && attempt === this.attempt) this.loading = { name, phase: 'load', fraction: p.fraction };
    });
    try {
      const summary = await studio.call('datasets:inspect', { source, options, requestId });
      if (attempt !== this.attempt) return;
      const sameSource = source === this.source;
      this.source = source;
      this.name = name;
      this.options = options;
      this.summary = summary;
      this.loading = null;
      if (!sameSource) await this.readLocal(source, summary, name);
    } catch (e) {
      this.fail(e, attempt);
    } finally {
      off();
    }
  }

  /** Holds the rows in the renderer: samples from the shared generators, CSV files parsed here. */
  private async readLocal(source: string, summary: DatasetSummary, name: string): Promise<void> {
    let table = localSample(source);
    const textual = summary.format === 'csv' || summary.format === 'json';
    // After a reload the browser has forgotten the File: this tab's upload cache still has it.
    const file = !table && textual ? this.file ?? (hasLocalPaths() ? null : await cachedFile(source)) : null;
    if (file) {
      try {
        const rows = summary.format === 'json'
          ? jsonToTable(parseJson(await file.text(), name), name, summary.header).table
          : await readDelimitedFile(file, summary.delimiter ?? ',', summary.header ?? true);
        table = loadedTable(source, name, rows);
      } catch {
        table = null; // the preview table and plots go without rows; training is unaffected
      }
    }
    if (source !== this.source) return;
    this.local = table;
    if (table) {
      this.tables.set(source, table);
      while (this.tables.size > KEEP_TABLES) this.tables.delete(this.tables.keys().next().value!);
    }
  }

  private fail(e: unknown, attempt: number): void {
    if (attempt !== this.attempt) return;
    this.loading = null;
    if ((e as Error).name === 'AbortError') return;
    this.error = (e as Error).message;
  }
}

export const data = new DataStore();
