/**
 * A project's dataset on disk: its fingerprint (SHA-256 and size), where it is now (beside the
 * project, where it was, or nowhere), a copy to embed in the project file, and unpacking an
 * embedded copy so the worker can load it from a path like any other dataset.
 *
 * A folder's fingerprint covers its files' relative paths and contents in sorted order, skipping
 * hidden files (the dataset loaders skip them too), so it is the same on every machine.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { sampleName } from '../../shared/data/samples/index.js';
import type { EmbeddedDataset } from '../../shared/project/codec.js';
import { relocateDataset } from '../../shared/project/create.js';
import { ProjectError } from '../../shared/project/errors.js';
import { checkEntryName } from '../../shared/project/zip.js';
import type { Project, ProjectWarning } from '../../shared/project/schema.js';

/** Embedding copies the dataset into memory and the zip: keep it to what a project file can carry. */
export const EMBED_LIMITS = { maxBytes: 1024 ** 3, maxFiles: 15_000 };

export interface Fingerprint {
  kind: 'file' | 'folder';
  sha256: string;
  bytes: number;
}

/**
 * Fingerprints by path, reused while what the file system says about the data is unchanged (each
 * file's size and modification time), so saves and autosaves hash a dataset once.
 */
const fingerprints = new Map<string, { signature: string; fingerprint: Fingerprint }>();

/**
 * Whether the backend may read a dataset path (the grant model, main/services/grants.ts). Absent:
 * any path may be read (the CLI, whose paths are the person's own command line).
 */
export type MayRead = (path: string) => Promise<boolean>;

/** True for `sample:NAME` sources, which live inside the studio and need no file. */
export function isSample(source: string): boolean {
  return sampleName(source) !== null;
}

/** The SHA-256 and size of a dataset file or folder; null when there is nothing at `path`. */
export async function fingerprintDataset(path: string): Promise<Fingerprint | null> {
  const info = await stat(path).catch(() => null);
  if (!info) return null;
  const kind = info.isDirectory() ? 'folder' : 'file';
  const files = kind === 'folder'
    ? await Promise.all((await listFolder(path)).map(async (rel) => ({ rel, info: await stat(join(path, rel)) })))
    : [{ rel: '', info }];
  const signature = JSON.stringify(files.map((f) => [f.rel, f.info.size, f.info.mtimeMs]));
  const cached = fingerprints.get(path);
  if (cached?.signature === signature) return cached.fingerprint;
  const hash = createHash('sha256');
  for (const f of files) {
    // A folder's hash covers each file's relative path and size as well as its bytes.
    if (kind === 'folder') hash.update(`${f.rel}\0${f.info.size}\0`);
    await hashFile(kind === 'folder' ? join(path, f.rel) : path, hash);
  }
  const fingerprint: Fingerprint = { kind, sha256: hash.digest('hex'), bytes: files.reduce((n, f) => n + f.info.size, 0) };
  fingerprints.set(path, { signature, fingerprint });
  return fingerprint;
}

function hashFile(path: string, hash: ReturnType<typeof createHash>): Promise<void> {
  return new Promise((done, fail) => {
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('end', () => done())
      .on('error', fail);
  });
}

/** Every file under `folder` (hidden ones skipped), as sorted '/'-separated relative paths. */
async function listFolder(folder: string): Promise<string[]> {
  const files: string[] = [];
  const walk = async (dir: string, prefix: string) => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      if (entry.name.startsWith('.') || entry.name === '__MACOSX') continue;
      const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
      if (entry.isDirectory()) await walk(join(dir, entry.name), rel);
      else if (entry.isFile()) files.push(rel);
    }
  };
  await walk(folder, '');
  return files.sort();
}

/** The dataset's path relative to the project's folder, '/'-separated; undefined on another drive. */
export function relativeDatasetPath(projectFolder: string, source: string): string | undefined {
  const rel = relative(projectFolder, source);
  if (rel === '' || isAbsolute(rel)) return undefined;
  return rel.split(sep).join('/');
}

/**
 * The project's dataset reference brought up to date for saving in `projectFolder`: its relative
 * path and fingerprint (when the dataset is there to be read).
 */
export async function refreshDatasetRef(project: Project, projectFolder: string, mayRead?: MayRead): Promise<Project> {
  const ref = project.dataset;
  if (!ref || isSample(ref.source)) return project;
  if (mayRead && !(await mayRead(ref.source))) return project; // not ours to read: keep what we knew
  const fingerprint = await fingerprintDataset(ref.source);
  if (!fingerprint) return project; // missing: keep what we knew, so the next open can still look for it
  return {
    ...project,
    dataset: { ...ref, relativePath: relativeDatasetPath(projectFolder, ref.source), sha256: fingerprint.sha256, bytes: fingerprint.bytes },
  };
}

/** The dataset's files, read for embedding in the project file. */
export async function readDatasetForEmbedding(source: string, file: string): Promise<EmbeddedDataset> {
  const info = await stat(source).catch(() => null);
  if (!info) {
    throw new ProjectError('io', file, `cannot embed the dataset: there is nothing at ${source}; locate the dataset first`);
  }
  const name = basename(source);
  const paths = info.isDirectory() ? await listFolder(source) : [name];
  if (paths.length > EMBED_LIMITS.maxFiles) {
    throw new ProjectError('too-large', file, `cannot embed the dataset: ${source} has ${paths.length} files, more than a project can carry (${EMBED_LIMITS.maxFiles}); keep it referenced by path`);
  }
  const files = new Map<string, Uint8Array>();
  let total = 0;
  for (const path of paths) {
    const bytes = await readFile(info.isDirectory() ? join(source, path) : source);
    total += bytes.length;
    if (total > EMBED_LIMITS.maxBytes) {
      throw new ProjectError('too-large', file, `cannot embed the dataset: ${source} is larger than a project can carry (1 GiB); keep it referenced by path`);
    }
    files.set(path, bytes);
  }
  return { kind: info.isDirectory() ? 'folder' : 'file', name, files };
}

/**
 * Writes an embedded dataset under `cacheDir/<sha256>/<name>` (reusing an earlier copy) and
 * returns its path. Written to a temp folder first and renamed, so a half-written copy is never used.
 */
export async function unpackEmbeddedDataset(dataset: EmbeddedDataset, cacheDir: string, file: string): Promise<string> {
  const hash = createHash('sha256');
  for (const [path, bytes] of [...dataset.files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) hash.update(`${path}\0${bytes.length}\0`).update(bytes);
  const folder = join(cacheDir, hash.digest('hex').slice(0, 32));
  const target = join(folder, dataset.name);
  if (await stat(target).catch(() => null)) return target;
  const temp = `${folder}.${process.pid}.tmp`;
  await rm(temp, { recursive: true, force: true });
  for (const [path, bytes] of dataset.files) {
    checkEntryName(path, file); // the codec checked the zip's names; this checks the joined path too
    const out = dataset.kind === 'file' ? join(temp, dataset.name) : join(temp, dataset.name, ...path.split('/'));
    if (!resolve(out).startsWith(resolve(temp) + sep)) throw new ProjectError('unsafe-entry', file, `holds a dataset file '${path}' that would be written outside its folder`);
    await mkdir(dirname(out), { recursive: true });
    await writeFile(out, bytes);
  }
  await mkdir(dirname(folder), { recursive: true });
  try {
    await rename(temp, folder);
  } catch (e) {
    // Another process unpacked the same copy meanwhile: use theirs.
    await rm(temp, { recursive: true, force: true });
    if (!(await stat(target).catch(() => null))) throw e;
  }
  return target;
}

/**
 * Finds the project's dataset after opening it from `projectPath`: the embedded copy (unpacked
 * into `cacheDir`) when the original is not there unchanged, else the path relative to the
 * project, else the absolute path. Reports a dataset that is nowhere or has changed. With
 * `mayRead`, a place it refuses is not looked at (the dataset is then reported missing, and the
 * person locates it).
 */
export async function locateProjectDataset(
  project: Project,
  projectFolder: string,
  embedded: EmbeddedDataset | undefined,
  cacheDir: string,
  file: string,
  mayRead?: MayRead,
): Promise<{ project: Project; warnings: ProjectWarning[] }> {
  const ref = project.dataset;
  if (!ref || isSample(ref.source)) return { project, warnings: [] };
  const candidates = [...new Set([ref.relativePath ? resolve(projectFolder, ref.relativePath) : null, ref.source].filter((p): p is string => p !== null))];
  let found: { path: string; fingerprint: Fingerprint } | null = null;
  for (const path of candidates) {
    if (mayRead && !(await mayRead(path))) continue;
    const fingerprint = await fingerprintDataset(path);
    if (fingerprint) {
      found = { path, fingerprint };
      break;
    }
  }
  const unchanged = found !== null && (!ref.sha256 || found.fingerprint.sha256 === ref.sha256);
  if (embedded && !unchanged) {
    const path = await unpackEmbeddedDataset(embedded, cacheDir, file);
    return {
      project: relocateDataset(project, path),
      warnings: [{ code: 'dataset-extracted', message: `the dataset was taken from the copy embedded in the project (unpacked to ${path})`, path }],
    };
  }
  if (!found) {
    const where = candidates.join(' or ');
    return {
      project,
      warnings: [{ code: 'dataset-missing', message: `the dataset ${basename(ref.source)} was not found at ${where}; locate it to train or evaluate again`, path: ref.source }],
    };
  }
  const moved = found.path === ref.source ? project : relocateDataset(project, found.path);
  if (!unchanged) {
    return {
      project: moved,
      warnings: [{
        code: 'dataset-changed',
        message: `the dataset at ${found.path} has changed since the project was saved (its SHA-256 differs); runs were trained on the earlier version`,
        path: found.path,
      }],
    };
  }
  return { project: moved, warnings: [] };
}

/**
 * The project with its dataset found at `path` (the person's answer to "locate it"): fingerprinted,
 * runs following it, and a warning when it is not the file the project was saved with.
 */
export async function locateDatasetAt(project: Project, path: string, projectFolder: string | null): Promise<{ project: Project; warnings: ProjectWarning[] }> {
  if (!project.dataset) throw new ProjectError('io', path, 'the project has no dataset to locate');
  const fingerprint = await fingerprintDataset(path);
  if (!fingerprint) throw new ProjectError('io', path, 'there is no file or folder here');
  const warnings: ProjectWarning[] = [];
  const before = project.dataset.sha256;
  if (before && before !== fingerprint.sha256) {
    warnings.push({ code: 'dataset-changed', message: `${path} is not the same data the project was saved with (its SHA-256 differs); runs were trained on the earlier version`, path });
  }
  const relocated = relocateDataset(project, path, {
    sha256: fingerprint.sha256,
    bytes: fingerprint.bytes,
    relativePath: projectFolder ? relativeDatasetPath(projectFolder, path) : undefined,
  });
  return { project: relocated, warnings };
}
