/**
 * From whatever version a project file was written in to the current one. Each migration turns
 * version n into n + 1, in place, and may move data between project.json and the zip's other
 * entries. Version 1 is the first format, so the table is empty; the next format change adds
 * `1: (archive) => { … }` here and bumps PROJECT_VERSION.
 */
import { ProjectError } from './errors.js';
import { PROJECT_FORMAT, PROJECT_VERSION, type ProjectWarning } from './schema.js';

/** A project file being read: project.json parsed, and the other entries by name. */
export interface RawArchive {
  json: Record<string, unknown>;
  entries: Map<string, Uint8Array>;
}

/** version → the step that upgrades an archive of that version to the next. */
export type Migrations = Readonly<Record<number, (archive: RawArchive) => void>>;

export const MIGRATIONS: Migrations = {};

/**
 * Checks that project.json is ours and not from the future, then brings it to `current`.
 * Refuses with 'foreign' (another format), 'newer-version' or 'corrupt' (no usable version).
 */
export function migrateArchive(
  archive: RawArchive,
  file: string,
  migrations: Migrations = MIGRATIONS,
  current: number = PROJECT_VERSION,
): ProjectWarning[] {
  const { json } = archive;
  if (json.format !== PROJECT_FORMAT) {
    const found = typeof json.format === 'string' ? `'${json.format.slice(0, 60)}'` : 'none';
    throw new ProjectError('foreign', file, `is not an NN Studio project (its project.json has format ${found}, expected '${PROJECT_FORMAT}')`);
  }
  const version = json.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    throw new ProjectError('corrupt', file, `is damaged: its project.json has no valid format version (found ${JSON.stringify(version) ?? 'none'})`);
  }
  if (version > current) {
    throw new ProjectError('newer-version', file,
      `was saved by a newer NN Studio (project format version ${version}; this one reads versions up to ${current}); update NN Studio to open it`);
  }
  const warnings: ProjectWarning[] = [];
  for (let v = version; v < current; v++) {
    const step = migrations[v];
    if (!step) throw new Error(`no migration from project format version ${v} to ${v + 1}`);
    step(archive);
    archive.json.version = v + 1;
  }
  if (version < current) {
    warnings.push({
      code: 'migrated',
      message: `this project was saved in format version ${version}; it was brought up to version ${current} and will be saved in that version`,
    });
  }
  return warnings;
}
