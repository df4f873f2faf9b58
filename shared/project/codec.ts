/**
 * A project to `.nnstudio` bytes and back, with nothing but memory involved (main/projects does
 * the files). Decoding validates EVERYTHING — the zip's directory, every entry's checksum, the
 * schema of project.json, each run's history and the size of its weights against its spec —
 * before it returns, so a caller either gets a whole project or a ProjectError and nothing else.
 */
import { bytesToBase64, base64ToBytes } from '../ipc/binary.js';
import { paramLayout } from '../nn/model.js';
import { parseModelSpec } from '../nn/spec.js';
import type { RunOutcome, RunProgress, RunRecord } from '../runs/results.js';
import { describeSchemaError } from '../ipc/schema-error.js';
import { ProjectError } from './errors.js';
import { migrateArchive, MIGRATIONS, type Migrations, type RawArchive } from './migrate.js';
import {
  DATASET_FOLDER, History, PROJECT_FORMAT, PROJECT_JSON, PROJECT_VERSION, Project, ProjectFile,
  type EmbeddedDatasetInfo, type ProjectWarning, type StoredRun,
} from './schema.js';
import { listZip, readZipEntry, writeZip, type ZipContents, type ZipLimits } from './zip.js';

/** A copy of the dataset carried inside the project file. */
export interface EmbeddedDataset {
  kind: 'file' | 'folder';
  /** The file's or folder's name. */
  name: string;
  /** A file: one entry keyed by its name. A folder: '/'-separated paths inside it → bytes. */
  files: Map<string, Uint8Array>;
}

export interface EncodeOptions {
  /** Which studio writes the file (stored for people reading it). */
  app: { name: string; version: string };
  /** The save time to record (ISO 8601). */
  savedAt: string;
  /** The dataset copy to store, when the project embeds its dataset. */
  embedded?: EmbeddedDataset;
}

export interface DecodedProject {
  project: Project;
  embedded?: EmbeddedDataset;
  warnings: ProjectWarning[];
}

export interface DecodeOptions {
  limits?: ZipLimits;
  /** For tests of the migration machinery; defaults to the real table. */
  migrations?: Migrations;
  currentVersion?: number;
}

const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder('utf-8', { fatal: true });

// ---------------------------------------------------------------------------------------------
// Encoding

/** The `.nnstudio` bytes of a project. Throws (a programming error) when `project` fails its schema. */
export function encodeProject(input: unknown, options: EncodeOptions): Uint8Array {
  const project = Project.parse(input);
  const contents: ZipContents = {};
  const folders = runFolders(project.runs);
  const runs = project.runs.map((run, i) => storeRun(run, folders[i], contents));
  const file: ProjectFile = {
    format: PROJECT_FORMAT,
    version: PROJECT_VERSION,
    app: options.app,
    name: project.name,
    createdAt: project.createdAt,
    savedAt: options.savedAt,
    dataset: project.dataset
      ? { ...project.dataset, embedded: options.embedded ? storeDataset(options.embedded, contents) : undefined }
      : null,
    settings: project.settings,
    runs,
    chosenRunId: project.chosenRunId,
  };
  // project.json first: a person (or `unzip -l`) sees what the file is at once.
  return writeZip({ [PROJECT_JSON]: { data: utf8.encode(JSON.stringify(file, null, 1)), compress: true }, ...contents });
}

/** One folder name per run: its id when safe in a path, made unique. */
function runFolders(runs: readonly RunRecord[]): string[] {
  const used = new Set<string>();
  return runs.map((run, i) => {
    let name = run.id.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64) || `run${i + 1}`;
    if (used.has(name)) name = `${name}-${i + 1}`;
    used.add(name);
    return `runs/${name}`;
  });
}

function storeRun(run: RunRecord, folder: string, contents: ZipContents): StoredRun {
  const { history, outcome, progress, ...rest } = run;
  const historyEntry = `${folder}/history.json`;
  contents[historyEntry] = { data: jsonBytes(history), compress: true };
  let stored: StoredRun['outcome'];
  if (outcome) {
    const { weights, history: outcomeHistory, ...facts } = outcome;
    const weightBytes = base64ToBytes(weights);
    const weightsEntry = `${folder}/weights.bin`;
    contents[weightsEntry] = { data: weightBytes, compress: false };
    stored = { ...facts, weights: { entry: weightsEntry, count: weightBytes.length / 4 } };
    if (!sameJson(outcomeHistory, history)) {
      stored.historyEntry = `${folder}/outcome-history.json`;
      contents[stored.historyEntry] = { data: jsonBytes(outcomeHistory), compress: true };
    }
  }
  return { ...rest, historyEntry, outcome: stored, progress: progress && withoutLiveWeights(progress) };
}

/** A progress report without the weights it carries for live previews (stale once the run is over). */
function withoutLiveWeights(progress: RunProgress): Omit<RunProgress, 'weights'> {
  const { weights: _live, ...rest } = progress;
  return rest;
}

function storeDataset(dataset: EmbeddedDataset, contents: ZipContents): EmbeddedDatasetInfo {
  const root = `${DATASET_FOLDER}/${safeName(dataset.name)}`;
  if (dataset.kind === 'file') {
    const bytes = dataset.files.get(dataset.name) ?? [...dataset.files.values()][0];
    contents[root] = { data: bytes, compress: true };
    return { kind: 'file', name: safeName(dataset.name), files: 1 };
  }
  for (const [path, bytes] of dataset.files) contents[`${root}/${path}`] = { data: bytes, compress: true };
  return { kind: 'folder', name: safeName(dataset.name), files: dataset.files.size };
}

/** A file or folder name usable as one path segment. */
function safeName(name: string): string {
  const cleaned = name.replace(/[\\/\0]/g, '_');
  return cleaned === '..' || cleaned === '.' || cleaned === '' ? 'dataset' : cleaned;
}

// ---------------------------------------------------------------------------------------------
// Decoding

/**
 * The project in `.nnstudio` bytes, fully validated. `file` names the file in messages.
 * Throws ProjectError ('foreign', 'truncated', 'corrupt', 'newer-version', 'missing-entry',
 * 'unsafe-entry', 'too-large').
 */
export function decodeProject(bytes: Uint8Array, file: string, options: DecodeOptions = {}): DecodedProject {
  const index = listZip(bytes, file, options.limits);
  const byName = new Map(index.map((e) => [e.name, e]));
  const jsonEntry = byName.get(PROJECT_JSON);
  if (!jsonEntry) throw new ProjectError('foreign', file, `is a zip file but not an NN Studio project (it has no ${PROJECT_JSON})`);
  const entries = new Map<string, Uint8Array>();
  for (const entry of index) if (!entry.name.endsWith('/')) entries.set(entry.name, readZipEntry(bytes, entry, file));

  const archive: RawArchive = { json: parseJsonObject(entries.get(PROJECT_JSON)!, PROJECT_JSON, file), entries };
  const warnings = migrateArchive(archive, file, options.migrations ?? MIGRATIONS, options.currentVersion ?? PROJECT_VERSION);
  const parsed = ProjectFile.safeParse(archive.json);
  if (!parsed.success) throw new ProjectError('corrupt', file, `is damaged: ${PROJECT_JSON} does not match the project format (${describeSchemaError(parsed.error)})`);
  const stored = parsed.data;

  const runs = stored.runs.map((run) => loadRun(run, archive.entries, file, warnings));
  let chosenRunId = stored.chosenRunId;
  if (chosenRunId !== null && !runs.some((r) => r.id === chosenRunId)) {
    warnings.push({ code: 'chosen-run-missing', message: `the chosen run ${chosenRunId} is not in the project; no run is chosen` });
    chosenRunId = null;
  }
  const { embedded: embeddedInfo, ...dataset } = stored.dataset ?? { embedded: undefined };
  const rebuilt = Project.safeParse({
    name: stored.name,
    createdAt: stored.createdAt,
    savedAt: stored.savedAt,
    dataset: stored.dataset ? dataset : null,
    settings: stored.settings,
    runs,
    chosenRunId,
  });
  if (!rebuilt.success) throw new ProjectError('corrupt', file, `is damaged: its runs do not fit together (${describeSchemaError(rebuilt.error)})`);
  const project = rebuilt.data;
  const embedded = embeddedInfo ? loadDataset(embeddedInfo, archive.entries, file) : undefined;
  return { project, embedded, warnings };
}

function loadRun(run: StoredRun, entries: Map<string, Uint8Array>, file: string, warnings: ProjectWarning[]): RunRecord {
  const { historyEntry, outcome: storedOutcome, ...rest } = run;
  const history = parseHistory(need(entries, historyEntry, file, `the history of run ${run.id}`), historyEntry, file);
  let outcome: RunOutcome | undefined;
  if (storedOutcome) {
    const { weights: ref, historyEntry: outcomeHistoryEntry, ...facts } = storedOutcome;
    const weights = need(entries, ref.entry, file, `the weights of run ${run.id}`);
    checkWeights(facts.spec, weights, ref.count, ref.entry, file);
    const outcomeHistory = outcomeHistoryEntry
      ? parseHistory(need(entries, outcomeHistoryEntry, file, `the history of run ${run.id}`), outcomeHistoryEntry, file)
      : history;
    outcome = { ...facts, weights: bytesToBase64(weights), history: outcomeHistory };
  }
  const record: RunRecord = { ...rest, history, outcome };
  // A run saved mid-training is not training any more: say so instead of showing a run that never ends.
  if (record.state !== 'finished' && record.state !== 'failed') {
    warnings.push({ code: 'run-interrupted', message: `run ${record.id} was ${record.state} when the project was saved; its history until then is kept` });
    return { ...record, state: 'failed', error: { name: 'Interrupted', message: `the run was ${record.state} when the project was saved; its history until then is kept` } };
  }
  return record;
}

/** A run's weights must be exactly the parameters its spec describes. */
function checkWeights(spec: unknown, weights: Uint8Array, declared: number, entry: string, file: string): void {
  let expected: number;
  try {
    const layout = paramLayout(parseModelSpec(spec));
    expected = layout.count + layout.stateCount;
  } catch (e) {
    throw new ProjectError('corrupt', file, `is damaged: a run's model spec is invalid (${(e as Error).message})`);
  }
  if (weights.length !== expected * 4 || declared !== expected) {
    throw new ProjectError('corrupt', file, `is damaged: ${entry} holds ${weights.length / 4} weights, but its model has ${expected} parameters`);
  }
}

function loadDataset(info: EmbeddedDatasetInfo, entries: Map<string, Uint8Array>, file: string): EmbeddedDataset {
  const root = `${DATASET_FOLDER}/${info.name}`;
  const files = new Map<string, Uint8Array>();
  if (info.kind === 'file') {
    files.set(info.name, need(entries, root, file, 'the embedded dataset'));
  } else {
    for (const [name, bytes] of entries) if (name.startsWith(`${root}/`)) files.set(name.slice(root.length + 1), bytes);
    if (files.size !== info.files) {
      throw new ProjectError('missing-entry', file, `is incomplete: the embedded dataset should have ${info.files} files, it has ${files.size}`);
    }
  }
  return { kind: info.kind, name: info.name, files };
}

function need(entries: Map<string, Uint8Array>, name: string, file: string, what: string): Uint8Array {
  const bytes = entries.get(name);
  if (!bytes) throw new ProjectError('missing-entry', file, `is incomplete: ${what} (${name}) is missing`);
  return bytes;
}

function parseHistory(bytes: Uint8Array, entry: string, file: string) {
  const parsed = History.safeParse(parseJson(bytes, entry, file));
  if (!parsed.success) throw new ProjectError('corrupt', file, `is damaged: ${entry} is not a training history (${describeSchemaError(parsed.error)})`);
  return parsed.data;
}

function parseJsonObject(bytes: Uint8Array, entry: string, file: string): Record<string, unknown> {
  const value = parseJson(bytes, entry, file);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ProjectError('foreign', file, `is not an NN Studio project (its ${entry} is not a JSON object)`);
  }
  return value as Record<string, unknown>;
}

function parseJson(bytes: Uint8Array, entry: string, file: string): unknown {
  try {
    return JSON.parse(fromUtf8.decode(bytes));
  } catch (e) {
    throw new ProjectError('corrupt', file, `is damaged: ${entry} is not valid JSON (${(e as Error).message})`);
  }
}

function jsonBytes(value: unknown): Uint8Array {
  return utf8.encode(JSON.stringify(value));
}

function sameJson(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}
