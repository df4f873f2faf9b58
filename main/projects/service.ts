/**
 * The project service behind the `project:*` channels: New, Open, Save / Save As, autosave and
 * recovery, and locating a dataset that moved. It holds no project itself — the renderer's store
 * does and sends it with each save — so the desktop app, the web host and the tests share it as is.
 */
import { randomUUID } from 'node:crypto';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { newProject } from '../../shared/project/create.js';
import type { Project, ProjectWarning, RecoveryOffer } from '../../shared/project/schema.js';
import { Grants, isInside, realLocation } from '../services/grants.js';
import { isSample, locateDatasetAt, type MayRead } from './dataset.js';
import { openProject, saveProject, defaultDatasetCacheDir } from './files.js';
import { RecoveryStore } from './recovery.js';

export interface ProjectServiceOptions {
  /** Where autosaves go (the app's user-data folder + 'recovery'). */
  recoveryDir: string;
  /** Where embedded datasets are unpacked (default: the system's temp folder). */
  datasetCacheDir?: string;
  /** The paths the person chose (default: every path, as in the CLI). */
  grants?: Grants;
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
  private readonly grants: Grants;
  /** Names this process's autosaves of untitled projects. */
  private readonly sessionId = randomUUID();

  constructor(options: ProjectServiceOptions) {
    this.recovery = new RecoveryStore(options.recoveryDir);
    this.datasetCacheDir = options.datasetCacheDir ?? defaultDatasetCacheDir();
    this.grants = options.grants ?? Grants.unrestricted();
  }

  /** A new empty project. */
  create(name?: string): Project {
    return newProject(name);
  }

  /** Opens a project file, fully validated (a ProjectError otherwise: nothing of it is used). */
  async open(path: string): Promise<LoadedProject> {
    const absolute = await this.grants.check(path, 'read', 'the project');
    const { project, warnings } = await openProject(absolute, { datasetCacheDir: this.datasetCacheDir, mayRead: this.datasetReadable(dirname(absolute)) });
    await this.grantFoundDataset(project, warnings);
    return { path: absolute, project, warnings };
  }

  /**
   * Saves to `path` (Save As) or the project's file (Save), then drops the autosave the work had
   * — both the file's and, for a first save, the untitled one's.
   */
  async save(path: string, project: Project, previousPath: string | null = null): Promise<{ path: string; project: Project }> {
    const absolute = await this.grants.check(path, 'write', 'the project');
    const saved = await saveProject(absolute, project, { mayRead: this.datasetReadable(null) });
    await this.discardAutosave(absolute);
    if (previousPath !== absolute) await this.discardAutosave(previousPath);
    return { path: absolute, project: saved };
  }

  /**
   * Writes the project into `folder`, a folder of the studio's own (web mode stages downloads
   * there), named after the project. Nothing the page named is written; its autosave stays.
   */
  async writeCopy(folder: string, project: Project): Promise<string> {
    const path = join(folder, `${project.name.replace(/[\\/:*?"<>|\u0000-\u001f]/g, '_') || 'project'}.nnstudio`);
    await saveProject(path, project, { mayRead: this.datasetReadable(null) });
    return path;
  }

  /**
   * Writes the autosave of unsaved work (the desktop renderer calls this every few minutes while
   * dirty; a browser tab after each change, under its own `session` id, so a reload brings it back).
   */
  async autosave(project: Project, path: string | null, session?: string): Promise<{ key: string }> {
    const key = path === null && session ? RecoveryStore.keyFor(null, session) : this.keyOf(path);
    const original = path === null ? null : await this.grants.check(path, 'write', 'the project');
    await this.recovery.write(key, project, original, this.datasetReadable(null));
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
    const offer = await this.recovery.offer(key);
    const folder = offer?.originalPath ? dirname(offer.originalPath) : null;
    const { project, warnings } = await this.recovery.open(key, { datasetCacheDir: this.datasetCacheDir, mayRead: this.datasetReadable(folder) });
    // The autosave could only name a project file the person had chosen (autosave checks it), so
    // saving the recovered work goes back there.
    if (offer?.originalPath) await this.grants.grant(offer.originalPath, 'file', ['read', 'write']);
    await this.grantFoundDataset(project, warnings);
    return { path: offer?.originalPath ?? null, project, warnings };
  }

  /** Declines a recovery offer. */
  discardRecovery(key: string): Promise<void> {
    return this.recovery.discard(key);
  }

  /** The person located the project's dataset at `datasetPath`. */
  async locateDataset(project: Project, datasetPath: string, projectPath: string | null): Promise<{ project: Project; warnings: ProjectWarning[] }> {
    const path = await this.grants.check(datasetPath, 'read', 'the dataset');
    return locateDatasetAt(project, path, projectPath ? dirname(resolve(projectPath)) : null);
  }

  /**
   * Where a project's dataset may be looked for: places already granted, and the folder of the
   * project the person chose (a dataset saved beside its project travels with it) except its
   * hidden files and folders (`.ssh/id_rsa` beside a project in the home folder is not data).
   */
  private datasetReadable(projectFolder: string | null): MayRead {
    return async (path) => (projectFolder !== null && (await visiblyInside(projectFolder, path))) || this.grants.allows(path, 'read');
  }

  /** A dataset found for an opened project may be read from now on (the data view, training). */
  private async grantFoundDataset(project: Project, warnings: readonly ProjectWarning[]): Promise<void> {
    const source = project.dataset?.source;
    if (!source || isSample(source) || warnings.some((w) => w.code === 'dataset-missing')) return;
    await this.grants.grantPath(source, ['read']);
  }

  private keyOf(path: string | null): string {
    return RecoveryStore.keyFor(path === null ? null : resolve(path), this.sessionId);
  }
}

/** True when `path` is inside `folder` (both resolved) and no part of the way is hidden. */
async function visiblyInside(folder: string, path: string): Promise<boolean> {
  const [realFolder, realPath] = [await realLocation(folder), await realLocation(path)];
  return isInside(realFolder, realPath) && !relative(realFolder, realPath).split(sep).some((part) => part.startsWith('.'));
}
