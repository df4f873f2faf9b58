/**
 * Bringing a PyTorch job's result back as a run of the project: the folder train.py wrote
 * (job.json, history.jsonl, result.json, weights.npz) → a finished RunRecord whose weights,
 * history and metrics Results, Inspect, Predict and Export use like any other run's. The metrics
 * are the studio's own, measured on the dataset re-read and split as the job read it (so the
 * confusion matrix and per-class scores are there); result.json's are PyTorch's, which a test
 * holds them to.
 */
import { randomUUID } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { z } from 'zod';
import { PreprocessingState } from '../../shared/data/preprocess.js';
import { readNpz } from '../../shared/export/npz.js';
import { RESULT_FILES } from '../../shared/export/pytorch/index.js';
import { describeSchemaError } from '../../shared/ipc/schema-error.js';
import { float32ToBase64 } from '../../shared/ipc/binary.js';
import { modelLayout } from '../../shared/nn/layout.js';
import { Model } from '../../shared/nn/model.js';
import { ModelSpecSchema, TrainConfigSchema } from '../../shared/nn/spec.js';
import { RunConfig } from '../../shared/runs/config.js';
import { judgeSplits, runData } from '../../shared/runs/prepared-facts.js';
import { EpochPoint, type RunOutcome, type RunRecord } from '../../shared/runs/results.js';
import type { PreparedDataset } from '../../shared/data/prepare.js';
import { prepareDataset } from '../data/index.js';

/** A result folder that cannot be imported: the message names the file and what was expected. */
export class ImportError extends Error {
  override name = 'ImportError';
}

const JobFile = z.object({
  format: z.literal('nn-studio-pytorch-job'),
  name: z.string(),
  spec: ModelSpecSchema,
  training: TrainConfigSchema,
  preprocessing: PreprocessingState,
  run: z.object({ config: RunConfig, from: z.string().nullable() }),
});

const ResultFile = z.object({
  format: z.literal('nn-studio-pytorch-result'),
  reason: z.enum(['completed', 'early-stopped', 'stopped']),
  epochs: z.number().int().min(0),
  iterations: z.number().int().min(0),
  bestEpoch: z.number().int().min(0),
  restoredBest: z.boolean(),
  seconds: z.number(),
  world: z.number().int().min(1),
  device: z.string(),
  evaluation: z.record(z.string(), z.object({ loss: z.number() }).passthrough().nullable()),
});
export type ResultFile = z.infer<typeof ResultFile>;

/** What a result folder holds, checked. */
export interface ResultFolder {
  job: z.infer<typeof JobFile>;
  result: ResultFile;
  history: EpochPoint[];
  weights: Float32Array;
}

/** The files a result consists of. */
const NEEDED = ['job.json', RESULT_FILES.result, RESULT_FILES.history, RESULT_FILES.weights];

/**
 * Where each file of a result is: inside a folder, or among files chosen one by one (web mode's
 * uploads), by name.
 */
async function locateFiles(source: string | readonly string[]): Promise<(name: string) => string> {
  const paths = typeof source === 'string' ? [source] : [...source];
  if (paths.length === 1 && (await stat(paths[0]).then((s) => s.isDirectory(), () => false))) return (name) => join(paths[0], name);
  const byName = new Map(paths.map((p) => [basename(p), p]));
  const missing = NEEDED.filter((n) => !byName.has(n));
  if (missing.length > 0) {
    throw new ImportError(`a PyTorch result is the folder train.py wrote (--out), or its files ${NEEDED.join(', ')}; missing ${missing.join(', ')}`);
  }
  return (name) => byName.get(name)!;
}

async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ImportError(`${path}: ${code === 'ENOENT' ? 'no such file; give the folder train.py wrote with --out (it holds job.json, result.json, history.jsonl and weights.npz)' : `cannot be read (${code})`}`);
  }
}

function parseJsonFile<T>(schema: z.ZodType<T>, text: string, file: string): T {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new ImportError(`${file}: not valid JSON (${(e as Error).message})`);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new ImportError(`${file}: ${describeSchemaError(parsed.error)}`);
  return parsed.data;
}

/** Reads and checks a result (a finished job: result.json is written last): its folder, or its files. */
export async function readResultFolder(source: string | readonly string[]): Promise<ResultFolder> {
  const path = await locateFiles(source);
  const job = parseJsonFile(JobFile, await readText(path('job.json')), path('job.json'));
  const result = parseJsonFile(ResultFile, await readText(path(RESULT_FILES.result)), path(RESULT_FILES.result));
  const historyFile = path(RESULT_FILES.history);
  const history = (await readText(historyFile)).split('\n').filter((l) => l.trim() !== '')
    .map((line, i) => parseJsonFile(EpochPoint, line, `${historyFile}, line ${i + 1}`));
  const weightsFile = path(RESULT_FILES.weights);
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(weightsFile));
  } catch {
    throw new ImportError(`${weightsFile}: no such file; the job did not finish (it writes weights.npz at the end)`);
  }
  let flat;
  try {
    flat = readNpz(bytes, weightsFile).flat;
  } catch (e) {
    throw new ImportError(`${weightsFile}: ${(e as Error).message}`);
  }
  if (!flat) throw new ImportError(`${weightsFile}: expected an array named 'flat' (the weights in the studio's layout)`);
  const layout = modelLayout(job.spec);
  if (flat.data.length !== layout.paramCount + layout.stateCount) {
    throw new ImportError(`${weightsFile}: ${flat.data.length} numbers, but the job's network has ${layout.paramCount} parameters and ${layout.stateCount} state values`);
  }
  return { job, result, history, weights: flat.data };
}

/**
 * The result as a finished run of the project. `datasetSource` is where the project's dataset is
 * now (default: where the job found it); the run is judged there by the studio's own evaluation.
 */
export async function importedRun(folder: ResultFolder, options: { datasetSource?: string; name?: string } = {}): Promise<RunRecord> {
  const { job, result } = folder;
  const config = RunConfig.parse({
    ...job.run.config,
    name: options.name ?? `${job.run.config.name ?? job.name} (PyTorch, ${result.world} process${result.world > 1 ? 'es' : ''})`,
    dataset: { ...job.run.config.dataset, source: options.datasetSource ?? job.run.config.dataset.source },
  });
  const prepared = await prepareDataset(config.dataset.source, { seed: config.seed, ...config.dataset.options });
  const outcome = importedOutcome(folder, prepared);
  return { id: randomUUID().slice(0, 8), config, state: 'finished', createdAt: new Date().toISOString(), data: runData(prepared), history: outcome.history, outcome };
}

/** The run's outcome from the result, judged on the prepared dataset (the job's own, or the studio's copy). */
export function importedOutcome(folder: ResultFolder, prepared: PreparedDataset): RunOutcome {
  const { job, result, history, weights } = folder;
  const model = Model.fromWeights(job.spec, weights);
  return {
    reason: result.reason, epochs: result.epochs, iterations: result.iterations, bestEpoch: result.bestEpoch, restoredBest: result.restoredBest,
    spec: job.spec, weights: float32ToBase64(weights), preprocessing: job.preprocessing, history,
    ...judgeSplits(model, prepared, { l1: job.training.l1, l2: job.training.l2 }),
    seconds: result.seconds,
  };
}
