/**
 * The project: the person's dataset choice, design, training settings and runs as one document
 * with a name, a path and an unsaved-changes flag. It saves and opens `.nnstudio` files through
 * the backend's project channels, answers the desktop menu (`menu:command`), reports the document
 * to the window (`window:document`: title, the close guard) and asks before replacing unsaved work.
 *
 * In a browser, Save is a download (`project:download`), and the tab's work is autosaved after
 * each change under the tab's own session id (lib/session.ts), so a reload brings it back.
 */
import type { MenuCommand, UnsavedReason } from '../../../shared/ipc/desktop.js';
import type { Project, ProjectWarning, RecoveryOffer } from '../../../shared/project/schema.js';
import { withoutRunWeights } from '../../../shared/project/lean.js';
import { studio } from '../lib/studio.js';
import { downloadStaged, uploadFile, uploadFiles } from '../lib/files.js';
import { readSession, writeSession, type TabSession } from '../lib/session.js';
import { exporter } from './exporter.svelte.js';
import { data } from './data.svelte.js';
import { design } from './model.svelte.js';
import { runs } from './runs.svelte.js';
import { ui } from './ui.svelte.js';
import { appStore } from './app.svelte.js';

/** Web mode autosaves this long after the last change (a burst of edits is one write). */
const SESSION_SAVE_DELAY_MS = 800;
/** A save shows "Saving…" once it has taken this long (a quick one does not flash it). */
const SHOW_SAVING_AFTER_MS = 250;

class ProjectStore {
  name = $state('Untitled');
  path = $state<string | null>(null);
  dirty = $state(false);
  createdAt = new Date().toISOString();
  /** A save (or web download) under way; `slow` once it has taken long enough to show. */
  saving = $state(false);
  slow = $state(false);

  /** Keep a copy of the dataset inside the project file (so it travels with it). */
  embedDataset = $state(false);
  /** Autosaves of work from a session that ended without saving it, offered back at start. */
  offers = $state<RecoveryOffer[]>([]);
  /** The dataset of the opened project moved or changed: the warning, until located or dismissed. */
  datasetProblem = $state<ProjectWarning | null>(null);

  private baseline = '';
  private autosaving = false;
  /** Web mode: the tab's session (its autosave), and the fingerprint last autosaved for it. */
  private session: TabSession | null = null;
  private sessionSaved = '';
  private sessionTimer: ReturnType<typeof setTimeout> | null = null;
  /** Web mode: settled once a reload's work is back (no autosave may overwrite it before). */
  private restored: Promise<void> = Promise.resolve();

  get desktop(): boolean {
    return appStore.info?.mode === 'electron';
  }

  /** Listens to the desktop menu, offers back work a crash left, and starts the autosave (once). */
  init(): void {
    studio.listen('menu:command', (command) => void this.onMenu(command));
    void studio.call('project:recoveryOffers').then((offers) => (this.offers = offers), () => {});
    void appStore.ready.then((info) => {
      if (this.desktop) setInterval(() => void this.autosave(), info.autosaveSeconds * 1000);
      else this.restored = this.restoreSession();
    });
  }

  /**
   * Web mode, at start: the work this tab had before a reload, from its autosave — dataset,
   * design, settings, runs and path, with its unsaved flag as it was.
   */
  private async restoreSession(): Promise<void> {
    this.session = readSession();
    if (!this.session.key) return;
    try {
      const loaded = await studio.call('project:recover', { key: this.session.key });
      await this.apply(loaded.project);
      this.path = loaded.path;
      if (this.session.dirty) {
        this.baseline = 'restored'; // differs from every fingerprint: still unsaved
        this.dirty = true;
      }
      this.sessionSaved = this.sessionState();
      this.showWarnings(loaded.warnings);
      ui.notify({ kind: 'info', key: 'project.restored' }, 6000);
    } catch {
      // Nothing autosaved for this tab (or it was removed): the studio starts afresh.
    }
  }

  /** Web mode: autosaves the tab's work soon after it changes (and at once when the page goes). */
  private scheduleSessionSave(): void {
    if (this.sessionTimer) clearTimeout(this.sessionTimer);
    this.sessionTimer = setTimeout(() => void this.saveSession(), SESSION_SAVE_DELAY_MS);
  }

  /** Writes the tab's autosave now, if the work changed since the last one. */
  async saveSession(): Promise<void> {
    await this.restored;
    if (this.desktop || !this.session) return;
    if (this.autosaving) return this.scheduleSessionSave(); // after the one under way
    const now = this.sessionState();
    if (now === this.sessionSaved) return;
    this.autosaving = true;
    try {
      const { key } = await studio.call('project:autosave', { path: this.path, project: withoutRunWeights(this.snapshot()), session: this.session.id });
      this.sessionSaved = now;
      this.session = { ...this.session, key, dirty: this.dirty };
      writeSession(this.session);
    } catch {
      // The next change tries again; a failed autosave must not interrupt the person.
    } finally {
      this.autosaving = false;
    }
  }

  /** Writes unsaved work to the recovery folder (the backend drops it on save or discard). */
  async autosave(): Promise<void> {
    if (!this.dirty || this.autosaving) return;
    this.autosaving = true;
    try {
      await studio.call('project:autosave', { path: this.path, project: withoutRunWeights(this.snapshot()) });
    } catch {
      // A failed autosave must not interrupt the person; the next tick tries again.
    } finally {
      this.autosaving = false;
    }
  }

  /** Opens autosaved work: it stays unsaved until the person saves it. */
  async recover(offer: RecoveryOffer): Promise<void> {
    try {
      const loaded = await studio.call('project:recover', { key: offer.key });
      this.offers = this.offers.filter((o) => o.key !== offer.key);
      await this.apply(loaded.project);
      this.path = loaded.path;
      this.baseline = 'recovered'; // differs from every fingerprint: the work is unsaved
      this.dirty = true;
      this.showWarnings(loaded.warnings);
    } catch (e) {
      this.failed(e);
    }
  }

  async discardRecovery(offer: RecoveryOffer): Promise<void> {
    this.offers = this.offers.filter((o) => o.key !== offer.key);
    await studio.call('project:discardRecovery', { key: offer.key }).catch(() => {});
  }

  /** The person's answer to "the dataset moved": its new path (runs that used it follow). */
  async locateDataset(datasetPath: string): Promise<void> {
    try {
      const { project, warnings } = await studio.call('project:locateDataset', { project: withoutRunWeights(this.snapshot()), datasetPath, projectPath: this.path });
      this.datasetProblem = null;
      await this.apply(project);
      this.dirty = true;
      this.baseline = 'located';
      this.showWarnings(warnings);
    } catch (e) {
      this.failed(e);
    }
  }

  /** Web mode's answer to "the dataset moved": the files chosen are uploaded (several as one zip) and used. */
  async locateFiles(files: readonly File[]): Promise<void> {
    if (files.length === 0) return;
    try {
      const picked = files.map((file) => ({ file, relativePath: file.webkitRelativePath || file.name }));
      await this.locateDataset(await uploadFiles(picked, files.length === 1 ? files[0].name : `${files[0].name} + ${files.length - 1}`, () => {}, new AbortController().signal));
    } catch (e) {
      this.failed(e);
    }
  }

  /** The native open dialog in the desktop app, for Locate…; null when cancelled. */
  async pickDataset(): Promise<string | null> {
    return (await studio.call('dialog:open', { kind: 'dataset' })).paths[0] ?? null;
  }

  private showWarnings(warnings: readonly ProjectWarning[]): void {
    for (const w of warnings) {
      if (w.code === 'dataset-missing' || w.code === 'dataset-changed') this.datasetProblem = w;
      else ui.notify({ kind: 'info', text: w.message }, 10_000);
    }
  }

  /** What the document consists of, as a comparable string (a change makes it dirty). */
  fingerprint(): string {
    const finished = runs.records.filter((r) => r.state === 'finished' || r.state === 'failed').map((r) => r.id);
    return JSON.stringify([data.source, data.options, design.model, design.training, finished, runs.kept, this.embedDataset]);
  }

  /** Compares the document with the last saved or opened one. */
  track(): void {
    const now = this.fingerprint();
    if (!this.baseline) this.baseline = now;
    this.dirty = now !== this.baseline;
    // The untouched start (nothing changed, nothing restored) needs no autosave.
    if (!this.desktop && appStore.info && (this.dirty || this.sessionSaved) && this.sessionState() !== this.sessionSaved) this.scheduleSessionSave();
  }

  /** What a reload must bring back: the document and whether it was unsaved. */
  private sessionState(): string {
    return `${this.dirty ? 'unsaved' : 'saved'}\n${this.fingerprint()}`;
  }

  /** Web mode: the page is going (a reload, a closed tab): autosave what is not yet. */
  flushSession(): void {
    if (this.sessionTimer) clearTimeout(this.sessionTimer);
    void this.saveSession();
  }

  /** Tells the desktop window the document's name, path and unsaved state (its title, its close guard). */
  reportDocument(): void {
    const state = { name: this.name, path: this.path, dirty: this.dirty };
    if (this.desktop) void studio.call('window:document', state).catch(() => {});
  }

  /**
   * Ctrl/Cmd+S. Desktop: saves to the project's path, asking for one the first time. Browser:
   * the browser downloads the project file (nobody types a path on the server).
   */
  async save(saveAs = false): Promise<boolean> {
    if (this.saving) return false;
    if (!this.desktop) return this.busy(() => this.download());
    const path = !saveAs && this.path ? this.path : await this.askPath();
    if (!path) return false;
    return this.busy(async () => {
      const saved = await studio.call('project:save', { path, project: withoutRunWeights(this.snapshot()), previousPath: this.path });
      this.path = saved.path;
      this.name = saved.project.name;
      this.markSaved();
      ui.notify({ kind: 'info', key: 'project.saved', params: { path: saved.path } });
    });
  }

  /** Web mode's Save: the backend writes the file, the browser downloads it. */
  private async download(): Promise<void> {
    const staged = await studio.call('project:download', { project: withoutRunWeights(this.snapshot()) });
    await downloadStaged(staged);
    this.markSaved();
    void this.saveSession(); // a reload now comes back to the saved (clean) state
    ui.notify({ kind: 'info', key: 'project.downloaded', params: { name: staged.name } });
  }

  private markSaved(): void {
    this.baseline = this.fingerprint();
    this.dirty = false;
  }

  /** Runs a save, showing that it is under way once it takes longer than a moment. */
  private async busy(save: () => Promise<void>): Promise<boolean> {
    this.saving = true;
    const shown = setTimeout(() => (this.slow = true), SHOW_SAVING_AFTER_MS);
    try {
      await save();
      return true;
    } catch (e) {
      this.failed(e);
      return false;
    } finally {
      clearTimeout(shown);
      this.saving = false;
      this.slow = false;
    }
  }

  /** Opens a project file (asking for it in the desktop app when no path is given). */
  async open(path?: string, { asked = false } = {}): Promise<void> {
    if (!asked && !(await this.confirmReplace('open'))) return;
    const chosen = path ?? (this.desktop ? (await studio.call('dialog:open', { kind: 'project' })).paths[0] : undefined);
    if (!chosen) return;
    try {
      const loaded = await studio.call('project:open', { path: chosen });
      await this.apply(loaded.project);
      this.path = loaded.path;
      this.showWarnings(loaded.warnings);
    } catch (e) {
      this.failed(e);
    }
  }

  /**
   * A project file picked or dropped in a browser: its bytes are uploaded to this computer's
   * studio and opened from there. The browser does not tell where the original is: Save downloads it again.
   */
  async openUploaded(file: File): Promise<void> {
    if (!(await this.confirmReplace('open'))) return;
    try {
      const path = await uploadFile(file, file.name, () => {}, new AbortController().signal);
      await this.open(path, { asked: true });
      this.path = null;
      this.name = file.name.replace(/\.nnstudio$/i, '');
    } catch (e) {
      this.failed(e);
    }
  }

  /** New: the start sample, the default design, no runs shown. */
  async reset(): Promise<void> {
    if (!(await this.confirmReplace('new'))) return;
    runs.forget();
    design.applyTemplate('deep');
    await data.openSample('spiral');
    this.name = 'Untitled';
    this.path = null;
    this.createdAt = new Date().toISOString();
    this.baseline = this.fingerprint();
    this.dirty = false;
  }

  /** The project as the backend saves it. */
  snapshot(): Project {
    const built = design.runConfig();
    const settings = 'config' in built ? built.config : { model: {}, training: {}, seed: 1 };
    const kept = runs.records.filter((r) => r.state === 'finished' || r.state === 'failed');
    const chosen = runs.kept.find((id) => kept.some((r) => r.id === id)) ?? (kept.some((r) => r.id === runs.focusId) ? runs.focusId : null);
    return {
      name: this.name,
      createdAt: this.createdAt,
      savedAt: null,
      // Samples are built into the studio: there is nothing to embed.
      dataset: data.source ? { source: data.source, options: data.options, embed: this.embedDataset && !data.source.startsWith('sample:') } : null,
      settings: { model: settings.model ?? {}, training: settings.training ?? {}, seed: settings.seed ?? 1 },
      runs: kept,
      chosenRunId: chosen,
    } as Project;
  }

  private async apply(p: Project): Promise<void> {
    this.name = p.name;
    this.embedDataset = p.dataset?.embed ?? false;
    this.createdAt = p.createdAt;
    if (p.dataset) await data.reopen(p.dataset.source, p.dataset.source.replace(/^.*[\\/]/, ''), p.dataset.options);
    design.loadRun({ dataset: { source: p.dataset?.source ?? '', options: p.dataset?.options ?? {} }, ...p.settings }, data.summary?.inputSize ?? 2);
    runs.adopt(p.runs, p.chosenRunId);
    this.baseline = this.fingerprint();
    this.dirty = false;
  }

  private async onMenu(command: MenuCommand): Promise<void> {
    switch (command.command) {
      case 'new':
        return this.reset();
      case 'open':
        return this.open(command.path);
      case 'save':
      case 'save-as': {
        const saved = await this.save(command.command === 'save-as');
        if (command.replyId) await studio.call('window:saved', { replyId: command.replyId, saved });
        return;
      }
      case 'import-dataset':
        if (command.paths?.length) {
          ui.open('data');
          const path = command.paths[0];
          await data.reopen(path, path.replace(/^.*[\\/]/, ''), {});
        }
        return;
      case 'export-model':
        exporter.show();
        return;
    }
  }

  /** In the desktop app, Save / Don't Save / Cancel before unsaved work is replaced. */
  private async confirmReplace(reason: UnsavedReason): Promise<boolean> {
    if (!this.dirty || !this.desktop) return true;
    const { choice } = await studio.call('dialog:unsaved', { name: this.name, reason });
    if (choice === 'cancel') return false;
    if (choice === 'save') return this.save();
    await studio.call('project:discardAutosave', { path: this.path }).catch(() => {});
    return true;
  }

  /** Where to save, in the desktop app: the native dialog. */
  private async askPath(): Promise<string | null> {
    return (await studio.call('dialog:save', { kind: 'project', defaultName: this.name })).path;
  }

  private failed(e: unknown): void {
    const name = (e as Error).name;
    if (name === 'UnknownChannel') ui.notify({ kind: 'error', key: 'save.unavailable' });
    else ui.notify({ kind: 'error', text: (e as Error).message }, 12_000);
  }
}

export const project = new ProjectStore();
