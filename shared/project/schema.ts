/**
 * What a project is, as schemas: the in-memory `Project` the app edits (it crosses IPC as plain
 * JSON) and the `ProjectFile` stored as `project.json` inside a `.nnstudio` zip.
 *
 * A `.nnstudio` file (format 'nn-studio-project', version 1):
 *
 *   project.json               format + version, the dataset reference, the model and training
 *                              choices, every run (config, state, data facts, spec, preprocessing,
 *                              evaluation) and the chosen run
 *   runs/<id>/weights.bin      each trained run's weights: little-endian float32, the engine's layout
 *   runs/<id>/history.json     each run's per-epoch history (EpochPoint[])
 *   dataset/<name>[/…]         a copy of the dataset, when the person chose "embed dataset"
 *
 * The dataset is referenced, not copied, by default: by its path relative to the project's folder
 * (so a project and its data can move together), its absolute path, and its SHA-256 (so a changed
 * file is noticed).
 */
import { z } from 'zod';
import { DatasetOptions } from '../data/options.js';
import { RunConfig } from '../runs/config.js';
import { EpochPoint, RunOutcome, RunProgress, RunRecord } from '../runs/results.js';

export const PROJECT_FORMAT = 'nn-studio-project';
/** The format version this studio writes. Older versions are migrated (migrate.ts); newer ones refused. */
/** 2: model specs of version 2 (typed layers, an input shape); 1: dense-only specs. See migrate.ts. */
export const PROJECT_VERSION = 2;
/** The file extension, without the dot. */
export { PROJECT_EXTENSION } from '../file-types.js';
export const PROJECT_JSON = 'project.json';
/** Folder inside the zip holding an embedded copy of the dataset. */
export const DATASET_FOLDER = 'dataset';

const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'expected 64 lower-case hex digits');

/** Where the project's dataset is and what it was when last seen. */
export const DatasetRef = z.object({
  /** Where to load it from now: an absolute path (file or folder) or `sample:NAME`. */
  source: z.string().min(1).max(4096),
  options: DatasetOptions.default({}),
  /** The path relative to the project's folder, '/'-separated (absent for samples, or another drive). */
  relativePath: z.string().min(1).max(4096).optional(),
  /** SHA-256 of the file (of a folder: of its files' relative paths and contents, in sorted order). */
  sha256: Sha256.optional(),
  /** Size in bytes (a folder: of all its files). */
  bytes: z.number().int().nonnegative().optional(),
  /** Keep a copy of the dataset inside the project file. */
  embed: z.boolean().default(false),
});
export type DatasetRef = z.output<typeof DatasetRef>;

/** The model and training choices for the next run: a RunConfig without its dataset (that is `dataset`). */
export const ProjectSettings = RunConfig.omit({ dataset: true });
export type ProjectSettings = z.output<typeof ProjectSettings>;

/** A project as the app holds it: plain JSON, runs complete with their weights (base64). */
export const Project = z.object({
  name: z.string().min(1).max(255),
  createdAt: z.string(),
  /** When it was last written to a file; null for a project never saved. */
  savedAt: z.string().nullable(),
  dataset: DatasetRef.nullable(),
  settings: ProjectSettings,
  runs: z.array(RunRecord),
  /** The run the Results, Predict and Export pages show. */
  chosenRunId: z.string().nullable(),
});
export type Project = z.output<typeof Project>;
export type ProjectInput = z.input<typeof Project>;

// ---------------------------------------------------------------------------------------------
// project.json

/** A run's weights, stored beside project.json as a binary entry. */
const WeightsEntry = z.object({ entry: z.string().min(1), count: z.number().int().nonnegative() });

const StoredOutcome = RunOutcome.omit({ weights: true, history: true }).extend({
  weights: WeightsEntry,
  /** Set only when the outcome's history differs from the run's (normally they are one list). */
  historyEntry: z.string().min(1).optional(),
});

/** A run in project.json: its weights and history live in their own entries. */
export const StoredRun = RunRecord.omit({ history: true, outcome: true, progress: true }).extend({
  historyEntry: z.string().min(1),
  outcome: StoredOutcome.optional(),
  /** The last progress report, without the live-preview weights. */
  progress: RunProgress.omit({ weights: true }).optional(),
});
export type StoredRun = z.output<typeof StoredRun>;

/** The embedded copy of the dataset: one file or a folder, under `dataset/`. */
export const EmbeddedDatasetInfo = z.object({
  kind: z.enum(['file', 'folder']),
  /** The file's or folder's name (the entry is `dataset/<name>` or the folder `dataset/<name>/`). */
  name: z.string().min(1).max(255),
  files: z.number().int().nonnegative(),
});
export type EmbeddedDatasetInfo = z.output<typeof EmbeddedDatasetInfo>;

export const ProjectFile = z.object({
  format: z.literal(PROJECT_FORMAT),
  version: z.literal(PROJECT_VERSION),
  /** Which studio wrote it (for a person reading the file; not used to decide anything). */
  app: z.object({ name: z.string(), version: z.string() }),
  name: z.string().min(1).max(255),
  createdAt: z.string(),
  savedAt: z.string(),
  dataset: DatasetRef.extend({ embedded: EmbeddedDatasetInfo.optional() }).nullable(),
  settings: ProjectSettings,
  runs: z.array(StoredRun),
  chosenRunId: z.string().nullable(),
});
export type ProjectFile = z.output<typeof ProjectFile>;

export const History = z.array(EpochPoint);

// ---------------------------------------------------------------------------------------------
// What opening says besides the project

export const ProjectWarning = z.object({
  code: z.enum(['migrated', 'run-interrupted', 'chosen-run-missing', 'dataset-missing', 'dataset-changed', 'dataset-extracted']),
  message: z.string(),
  /** The path concerned (a dataset that moved), when there is one. */
  path: z.string().optional(),
});
export type ProjectWarning = z.infer<typeof ProjectWarning>;

/** Work autosaved by an app process that did not end cleanly, offered back at the next start. */
export const RecoveryOffer = z.object({
  /** Names the autosave (`project:recover`, `project:discardRecovery`). */
  key: z.string().regex(/^[0-9a-f]{24}$/),
  /** The project file the work belongs to; null for a project never saved. */
  originalPath: z.string().nullable(),
  name: z.string(),
  /** When the autosave was written (ISO 8601). */
  savedAt: z.string(),
  /** The process that wrote it. */
  pid: z.number().int(),
});
export type RecoveryOffer = z.infer<typeof RecoveryOffer>;
