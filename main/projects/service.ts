/**
 * The project service behind the `project:*` channels: New, Open, Save / Save As, autosave and
 * recovery, and locating a dataset that moved. It holds no project itself — the renderer's store
 * does and sends it with each save — so the desktop app, the web host and the tests share it as is.
 */
import { randomUUID } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import { newProject } from '../../shared/project/create.js';
import type { Project, ProjectWarning, RecoveryOffer } from '../../shared/project/schema.js';
import { locateDatasetAt } from './dataset.js';
import { openProject, saveProject, defaultDatasetCacheDir } from './files.js';
import { RecoveryStore } from './recovery.js';

export interface ProjectServiceOptions {
  /** Where autosaves go (the app's user-data folder + 'recovery'). */
  recoveryDir: string;
  /** Where embedded datasets are unpacked (default: the system's temp folder). */
  datasetCacheDir?: string;
}

/** What Open and recovery give the renderer. */
export interface LoadedProject {
  /** The project's file; null for recovered work that was never saved. */
  path: string | null;
  project: Project;
  warnings: ProjectWarning[];
}

export class ProjectService {
  readonly recovery: RecoveryStore;
  private readonly datasetCacheDir: string;
  /** Names this process's autosaves of untitled projects. */
  private readonly sessionId = randomUUID();

  constructor(options: ProjectServiceOptions) {
    this.recovery = new RecoveryStore(options.recoveryDir);
    this.datasetCacheDir = options.datasetCacheDir ?? defaultDatasetCacheDir();
  }

  /** A new empty project. */
  create(name?: string): Project {
    return newProject(name);
  }

  /** Opens a project file, fully validated (a ProjectError otherwise: nothing of it is used). */
  async open(path: string): Promise<LoadedProject> {
    const absolute = resolve(path);
    const { project, warnings } = await openProject(absolute, { datasetCacheDir: this.datasetCacheDir });
    return { path: absolute, project, warnings };
  }

  /**
   * Saves to `path` (Save As) or the project's file (Save), then drops the autosave the work had
   * — both the file's and, for a first save, the untitled one's.
   */
  async save(path: string, project: Project, previousPath: string | null = null): Promise<{ path: string; project: Project }> {
    const absolute = resolve(path);
    const saved = await saveProject(absolute, project);
    await this.discardAutosave(absolute);
    if (previousPath !== absolute) await this.discardAutosave(previousPath);
    return { path: absolute, project: saved };
  }

  /** Writes the autosave of unsaved work (the renderer calls this every few minutes while dirty). */
  async autosave(project: Project, path: string | null): Promise<{ key: string }> {
    const key = this.keyOf(path);
    await this.recovery.write(key, project, path === null ? null : resolve(path));
    return { key };
  }

  /** Drops the autosave of a project (closed without saving, or saved). */
  async discardAutosave(path: string | null): Promise<void> {
    await this.recovery.discard(this.keyOf(path));
  }

  /** Autosaves left by a previous run of the app that did not end cleanly. */
  recoveryOffers(): Promise<RecoveryOffer[]> {
    return this.recovery.offers();
  }

  /** Opens recovered work; it stays unsaved (the person saves it where they like) and its autosave stays until then. */
  async recover(key: string): Promise<LoadedProject> {
    const { project, warnings, offer } = await this.recovery.open(key, { datasetCacheDir: this.datasetCacheDir });
    return { path: offer?.originalPath ?? null, project, warnings };
  }

  /** Declines a recovery offer. */
  discardRecovery(key: string): Promise<void> {
    return this.recovery.discard(key);
  }

  /** The person located the project's dataset at `datasetPath`. */
  locateDataset(project: Project, datasetPath: string, projectPath: string | null): Promise<{ project: Project; warnings: ProjectWarning[] }> {
    return locateDatasetAt(project, resolve(datasetPath), projectPath ? dirname(resolve(projectPath)) : null);
  }

  private keyOf(path: string | null): string {
    return RecoveryStore.keyFor(path === null ? null : resolve(path), this.sessionId);
  }
}
