/**
 * The PyTorch export service: a run config (and, from a trained run, its weights) → a training
 * job folder that train.py runs on one process or under torchrun. Reads the dataset exactly as the
 * worker does, so the job's split, preprocessing and initial weights are the studio's own.
 *
 *   exportPytorchJob(run.config, '/out/job', { trained: run.outcome })  → the paths written
 */
import { resolve } from 'node:path';
import type { LoadedDataset } from '../../shared/data/dataset.js';
import { resolveOptions } from '../../shared/data/options.js';
import { prepareLoaded, type PreparedDataset } from '../../shared/data/prepare.js';
import { base64ToFloat32, float32ToBase64 } from '../../shared/ipc/binary.js';
import { exportModelOf } from '../../shared/export/source.js';
import { checkExportable, pytorchJobFiles, type JobData, type PytorchJob } from '../../shared/export/pytorch/index.js';
import type { NpyArray } from '../../shared/export/npz.js';
import { Model } from '../../shared/nn/model.js';
import { parseModelSpec, parseTrainConfig } from '../../shared/nn/spec.js';
import { RunConfig, modelSpecFor, trainConfigFor, withDropout, type RunConfigInput } from '../../shared/runs/config.js';
import type { RunOutcome } from '../../shared/runs/results.js';
import { dataShape } from '../../shared/runs/prepared-facts.js';
import { loadDataset } from '../data/index.js';
import { appVersion } from '../paths.js';
import { writeExportFiles } from './index.js';

export interface PytorchExportOptions {
  /** The model's name in the README and job.json (default: the dataset's name). */
  name?: string;
  /** The trained run whose weights the job can continue from (`--init weights.npz`). */
  trained?: Pick<RunOutcome, 'spec' | 'weights'> | null;
  /** The run the job comes from, recorded for `import`. */
  runId?: string | null;
}

/** What a job needs from the studio: its description and the arrays beside it (nothing written yet). */
export async function buildPytorchJob(input: RunConfigInput, options: PytorchExportOptions = {}) {
  const config = RunConfig.parse(input);
  const resolved = resolveOptions({ seed: config.seed, ...config.dataset.options });
  const loaded = await loadDataset(config.dataset.source, resolved);
  const prepared = prepareLoaded(loaded, resolved);
  const shape = dataShape(prepared);
  const spec = options.trained ? parseModelSpec(options.trained.spec) : parseModelSpec(withDropout(modelSpecFor(config.model, shape), config.training.dropout));
  const training = parseTrainConfig(trainConfigFor(config.training, shape, config.seed, config.model.kind));
  checkExportable(spec, training);
  const initial = Model.create(spec, { seed: config.seed }).savedWeights();
  const trained = options.trained ? base64ToFloat32(options.trained.weights) : null;
  const name = options.name ?? prepared.name;
  const data = jobData(loaded);
  const job: PytorchJob = {
    format: 'nn-studio-pytorch-job', version: 1, name, studio: appVersion(), spec, training, preprocessing: prepared.state,
    task: prepared.task, classes: prepared.task === 'classification' ? prepared.classes : null,
    outputs: Model.fromWeights(spec, initial).outputs, data, run: { config, from: options.runId ?? null },
  };
  return {
    job, prepared, initial, trained,
    numpyModel: exportModelOf({ spec, weights: float32ToBase64(trained ?? initial), preprocessing: prepared.state }, name),
    split: data.kind === 'prepared' ? null : { train: prepared.train.rows, validation: prepared.validation.rows, test: prepared.test.rows },
    preparedArrays: data.kind === 'prepared' ? preparedArrays(prepared) : null,
  };
}

export type BuiltPytorchJob = Awaited<ReturnType<typeof buildPytorchJob>>;

/** Builds and writes the job folder; returns the paths written. */
export async function exportPytorchJob(input: RunConfigInput, outDir: string, options: PytorchExportOptions = {}): Promise<string[]> {
  return writePytorchJob(await buildPytorchJob(input, options), outDir);
}

/** Writes a built job into `outDir` (created if needed); returns the paths written. */
export async function writePytorchJob(built: BuiltPytorchJob, outDir: string): Promise<string[]> {
  const files = pytorchJobFiles({
    job: built.job, numpyModel: built.numpyModel, initial: built.initial, trained: built.trained,
    split: built.split, prepared: built.preparedArrays, producerVersion: appVersion(),
  });
  return writeExportFiles(resolve(outDir), files);
}

/** How data.py reads what the studio loaded: tables and IDX files itself, anything else from prepared.npz. */
function jobData(loaded: LoadedDataset): JobData {
  const source = loaded.source.split(' + ').map((p) => resolve(p)).join(' + ');
  if (loaded.format === 'csv') return { kind: 'table', source, format: 'csv', delimiter: loaded.kind === 'table' ? loaded.delimiter ?? ',' : ',', header: loaded.kind === 'table' ? loaded.header ?? true : true };
  if (loaded.format === 'json') return { kind: 'table', source, format: 'json', header: loaded.kind === 'table' ? loaded.header ?? true : true };
  if (loaded.format === 'idx' && loaded.kind === 'images') return { kind: 'idx', source, ownTest: loaded.test !== undefined };
  return { kind: 'prepared', file: 'prepared.npz' };
}

function preparedArrays(prepared: PreparedDataset): Record<string, NpyArray> {
  const arrays: Record<string, NpyArray> = {};
  for (const name of ['train', 'validation', 'test'] as const) {
    const split = prepared[name];
    arrays[`x_${name}`] = { data: split.x, shape: [split.count, prepared.inputSize] };
    arrays[`y_${name}`] = { data: split.y, shape: [split.count] };
  }
  return arrays;
}
