/**
 * The Export dialog's state: which finished run, which format, where to. The backend writes the
 * files: in the desktop app to the path the native save dialog chose (`export:run`), in a browser
 * for the browser to download (`export:download`; several files come as one zip).
 */
import { EXPORT_FORMATS, type ExportFormat } from '../../../shared/export/formats.js';
import type { RunRecord } from '../../../shared/runs/results.js';
import { studio } from '../lib/studio.js';
import { downloadStaged, hasLocalPaths } from '../lib/files.js';
import { project } from './project.svelte.js';
import { runs } from './runs.svelte.js';

class ExportStore {
  open = $state(false);
  format = $state<ExportFormat>('onnx');
  path = $state('');
  pythonWeights = $state<'inline' | 'npz'>('inline');
  busy = $state(false);
  written = $state<string[]>([]);
  error = $state<string | null>(null);

  /** The run to export: the focused one when it has a model, else the latest that has. */
  get run(): RunRecord | null {
    const focus = runs.focus;
    if (focus?.outcome) return focus;
    return runs.records.findLast((r) => r.outcome) ?? null;
  }

  show(): void {
    this.written = [];
    this.error = null;
    this.path = this.suggestedPath(this.format);
    this.open = true;
  }

  /** A new format suggests its usual file name (keeping the folder the person typed). */
  choose(format: ExportFormat): void {
    const folder = this.path.includes('/') || this.path.includes('\\') ? this.path.replace(/[^\\/]*$/, '') : '';
    this.format = format;
    this.path = folder + this.fileName(format);
  }

  /** Desktop: the native save dialog with the format's filter. */
  async browse(): Promise<void> {
    const { path } = await studio.call('dialog:save', { kind: 'export', format: this.format, defaultName: project.name });
    if (path) this.path = path;
  }

  /** True in a browser: the export is a download, with no path to choose. */
  get downloads(): boolean {
    return !hasLocalPaths();
  }

  async start(): Promise<void> {
    const run = this.run;
    if (!run || (!this.downloads && !this.path.trim())) return;
    this.busy = true;
    this.error = null;
    this.written = [];
    const request = { runId: run.id, format: this.format, name: project.name, pythonWeights: this.pythonWeights };
    try {
      if (this.downloads) {
        const staged = await studio.call('export:download', request);
        await downloadStaged(staged);
        this.written = staged.files.length > 1 ? [`${staged.name} (${staged.files.join(', ')})`] : [staged.name];
      } else {
        this.written = (await studio.call('export:run', { ...request, path: this.path.trim() })).files;
      }
    } catch (e) {
      this.error = (e as Error).message;
    } finally {
      this.busy = false;
    }
  }

  private fileName(format: ExportFormat): string {
    return EXPORT_FORMATS.find((f) => f.id === format)!.defaultName;
  }

  private suggestedPath(format: ExportFormat): string {
    return this.path ? this.path : this.fileName(format);
  }
}

export const exporter = new ExportStore();
