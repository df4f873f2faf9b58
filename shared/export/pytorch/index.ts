/**
 * The PyTorch export: a training job folder (see job.ts for its files). `pytorchJobFiles` is pure;
 * main/export/pytorch.ts gathers what it needs (the prepared dataset, the initial weights).
 */
import { npz, type NpyArray } from '../npz.js';
import { toPython } from '../python.js';
import type { ExportModel } from '../source.js';
import type { ExportFile } from '../index.js';
import { DATA_PY } from './data-py.js';
import { JOB_FILES, type PytorchJob } from './job.js';
import { MODEL_PY } from './model-py.js';
import { readme, requirements } from './readme.js';
import { TRAIN_PY } from './train-py.js';

export { checkExportable, JOB_FILES, RESULT_FILES, type JobData, type PytorchJob } from './job.js';
export { TORCHRUN_13_FLAGS } from './readme.js';

export interface PytorchJobInputs {
  job: PytorchJob;
  /** The network for studio_model.py (its preprocessing is data.py's). */
  numpyModel: ExportModel;
  initial: Float32Array;
  /** The run's trained weights, when the job comes from a trained run. */
  trained: Float32Array | null;
  /** Row numbers of each split (for data.py to read the file the studio read). */
  split: { train: Int32Array; validation: Int32Array; test: Int32Array } | null;
  /** The prepared splits, for datasets data.py cannot decode itself. */
  prepared: Record<string, NpyArray> | null;
  producerVersion?: string;
}

/** A one-array archive of flat weights (parameters then state, the engine's layout). */
export function flatWeightsNpz(weights: Float32Array): Uint8Array {
  return npz({ flat: { data: weights, shape: [weights.length] } });
}

/** Every file of the job folder. */
export function pytorchJobFiles(inputs: PytorchJobInputs): ExportFile[] {
  const { job } = inputs;
  const numpy = toPython(inputs.numpyModel, { weights: 'npz', npzName: JOB_FILES.numpyWeights, producerVersion: inputs.producerVersion });
  const files: ExportFile[] = [
    { name: JOB_FILES.job, data: `${JSON.stringify(job, null, 1)}\n` },
    { name: JOB_FILES.model, data: MODEL_PY },
    { name: JOB_FILES.data, data: DATA_PY },
    { name: JOB_FILES.train, data: TRAIN_PY },
    { name: JOB_FILES.numpy, data: numpy.module },
    { name: JOB_FILES.numpyWeights, data: numpy.npz! },
    { name: JOB_FILES.readme, data: readme(job) },
    { name: JOB_FILES.requirements, data: requirements() },
    { name: JOB_FILES.initial, data: flatWeightsNpz(inputs.initial) },
  ];
  if (inputs.trained) files.push({ name: JOB_FILES.weights, data: flatWeightsNpz(inputs.trained) });
  if (inputs.split) {
    const ints = (rows: Int32Array): NpyArray => ({ data: rows, shape: [rows.length] });
    files.push({ name: JOB_FILES.split, data: npz({ train: ints(inputs.split.train), validation: ints(inputs.split.validation), test: ints(inputs.split.test) }) });
  }
  if (inputs.prepared) files.push({ name: JOB_FILES.prepared, data: npz(inputs.prepared) });
  return files;
}
