/**
 * Saving and opening `.nnstudio` files: the file-system half of shared/project.
 *
 *   saveProject(path, project)  → the project as saved (savedAt, dataset fingerprint and relative path)
 *   openProject(path)           → { project, warnings }, or a ProjectError — never half a project
 *
 * Opening reads and validates the whole file before returning anything, so a caller replaces its
 * current project only with a complete one.
 */
import { tmpdir } from 'node:os';
import { readFile, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { encodeProject, type EmbeddedDataset } from '../../shared/project/codec.js';
import { ProjectError } from '../../shared/project/errors.js';
import { Project, type ProjectWarning } from '../../shared/project/schema.js';
import { DEFAULT_ZIP_LIMITS, type ZipLimits } from '../../shared/project/zip.js';
import { describeSchemaError } from '../../shared/ipc/schema-error.js';
import { appVersion } from '../paths.js';
import { writeFileAtomic } from './atomic.js';
import { decodeOffThread } from './decode.js';
import { isSample, locateProjectDataset, readDatasetForEmbedding, refreshDatasetRef, type MayRead } from './dataset.js';

export interface SaveOptions {
  /** Keep `<path>.bak` after the save (default: removed once the new file is complete). */
  keepBackup?: boolean;
  /** The folder relative dataset paths are measured from (default: the file's own; a recovery file uses the original project's). */
  baseFolder?: string;
  now?: Date;
  /** Which dataset paths may be read to fingerprint or embed (default: any). */
  mayRead?: MayRead;
}

export interface OpenOptions {
  /** Where an embedded dataset is unpacked (default: the system's temp folder). */
  datasetCacheDir?: string;
  /** The folder relative dataset paths are resolved from (default: the file's own). */
  baseFolder?: string;
  limits?: ZipLimits;
  /** Which places the project's dataset may be looked for (default: any). */
  mayRead?: MayRead;
}

export interface OpenedProject {
  project: Project;
  warnings: ProjectWarning[];
}

/** Where embedded datasets are unpacked unless told otherwise. */
export function defaultDatasetCacheDir(): string {
  return join(tmpdir(), 'nn-studio-datasets');
}

/**
 * Saves `project` to `path` atomically (see atomic.ts), embedding the dataset when the project
 * asks for it. Returns the project as saved. Throws ProjectError ('io', 'too-large') or the
 * schema's error for a malformed project (a caller's bug, named field by field).
 */
export async function saveProject(path: string, input: unknown, options: SaveOptions = {}): Promise<Project> {
  const parsed = Project.safeParse(input);
  if (!parsed.success) throw new ProjectError('corrupt', path, `cannot be saved: the project is invalid (${describeSchemaError(parsed.error)})`);
  const savedAt = (options.now ?? new Date()).toISOString();
  const project = { ...(await refreshDatasetRef(parsed.data, options.baseFolder ?? dirname(resolve(path)), options.mayRead)), savedAt };
  let embedded: EmbeddedDataset | undefined;
  if (project.dataset?.embed && !isSample(project.dataset.source)) {
    if (options.mayRead && !(await options.mayRead(project.dataset.source))) {
      throw new ProjectError('io', path, `cannot embed the dataset: ${project.dataset.source} was not chosen in this session; open the dataset first`);
    }
    embedded = await readDatasetForEmbedding(project.dataset.source, path);
  }
  const bytes = encodeProject(project, { app: { name: 'NN Studio', version: appVersion() }, savedAt, embedded });
  try {
    await writeFileAtomic(path, bytes, { keepBackup: options.keepBackup });
  } catch (e) {
    throw ioError(path, e, 'cannot be saved');
  }
  return project;
}

/**
 * Opens the project at `path`: the whole file is read and checked first (see shared/project/codec.ts),
 * then its dataset is looked for. Throws ProjectError naming the file and what is wrong with it.
 */
export async function openProject(path: string, options: OpenOptions = {}): Promise<OpenedProject> {
  const limits = options.limits ?? DEFAULT_ZIP_LIMITS;
  let bytes: Uint8Array;
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw new ProjectError('io', path, 'is a folder, not a project file');
    // A FIFO or device would block or never end: only regular files are read.
    if (!info.isFile()) throw new ProjectError('io', path, 'is not a regular file (a device, named pipe or socket), so not a project file');
    // The zip's own directory caps what it inflates to; the file itself cannot be larger than that.
    if (info.size > limits.maxTotalBytes + 64 * 1024 ** 2) {
      throw new ProjectError('too-large', path, `is ${Math.round(info.size / 1024 ** 2)} MiB, larger than any project can be; refusing it unopened`);
    }
    bytes = await readFile(path);
  } catch (e) {
    throw ioError(path, e, 'cannot be opened');
  }
  const { decoded } = await decodeOffThread(bytes, path, limits);
  const located = await locateProjectDataset(
    decoded.project,
    options.baseFolder ?? dirname(resolve(path)),
    decoded.embedded,
    options.datasetCacheDir ?? defaultDatasetCacheDir(),
    path,
    options.mayRead,
  );
  return { project: located.project, warnings: [...decoded.warnings, ...located.warnings] };
}

/** A file-system failure as a ProjectError with a sentence for a person. */
function ioError(path: string, e: unknown, what: string): ProjectError {
  if (e instanceof ProjectError) return e;
  const code = (e as NodeJS.ErrnoException).code;
  const why: Record<string, string> = {
    ENOENT: 'there is no such file (or its folder does not exist)',
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    ENOSPC: 'the disk is full',
    EROFS: 'the disk is read-only',
    EISDIR: 'it is a folder',
    EBUSY: 'another program is using it',
  };
  return new ProjectError('io', path, `${what}: ${(code && why[code]) ?? (e as Error).message}`);
}
