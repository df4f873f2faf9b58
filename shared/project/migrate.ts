/**
 * From whatever version a project file was written in to the current one. Each migration turns
 * version n into n + 1, in place, and may move data between project.json and the zip's other
 * entries:
 *   1 → 2  model spec v2: every run's trained spec (`outcome.spec`) is migrated (`migrateModelSpec`:
 *          dense layers become `{type: 'dense'}`, a layer's dropout a dropout layer after it) and
 *          every hidden layer of the run configs and of the project's settings likewise. Dense
 *          weights keep their layout, so weights.bin entries stay as they are.
 */
import { migrateLayer, migrateModelSpec, LegacyLayerSpecSchema, ModelSpecV1Schema } from '../nn/spec.js';
import { ProjectError } from './errors.js';
import { PROJECT_FORMAT, PROJECT_VERSION, type ProjectWarning } from './schema.js';

/** A project file being read: project.json parsed, and the other entries by name. */
export interface RawArchive {
  json: Record<string, unknown>;
  entries: Map<string, Uint8Array>;
}

/** version → the step that upgrades an archive of that version to the next. */
export type Migrations = Readonly<Record<number, (archive: RawArchive) => void>>;

export const MIGRATIONS: Migrations = { 1: toModelSpecV2 };

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Version 1 → 2 (see the header). A part that is not a valid version-1 spec or layer is left
 * as it is: decoding then refuses it with the schema's message, naming the field.
 */
function toModelSpecV2(archive: RawArchive): void {
  const { json } = archive;
  upgradeHidden(json.settings);
  for (const run of Array.isArray(json.runs) ? json.runs : []) {
    if (!isObject(run)) continue;
    upgradeHidden(run.config);
    const outcome = run.outcome;
    if (isObject(outcome)) {
      const spec = ModelSpecV1Schema.safeParse(outcome.spec);
      if (spec.success) outcome.spec = migrateModelSpec(spec.data);
    }
  }
}

/** A run config's (or the settings') `model.hidden` layers from version 1 to version 2. */
function upgradeHidden(config: unknown): void {
  if (!isObject(config) || !isObject(config.model) || !Array.isArray(config.model.hidden)) return;
  config.model.hidden = config.model.hidden.flatMap((layer: unknown) => {
    const legacy = isObject(layer) && !('type' in layer) ? LegacyLayerSpecSchema.safeParse(layer) : null;
    return legacy?.success ? migrateLayer(legacy.data) : [layer];
  });
}

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
