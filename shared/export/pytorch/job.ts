/**
 * A PyTorch training job: the project's network, preprocessing and training recipe as one plain
 * JSON description (job.json) that static Python files read (model.py, data.py, train.py), plus
 * the arrays they load. Pure: main/export/pytorch.ts reads the dataset and writes the files.
 *
 *   job.json          spec, recipe, fitted preprocessing, how to read the dataset, the run config
 *   initial.npz       `flat`: the studio's initial weights for the run's seed (train from scratch as the studio would)
 *   weights.npz       `flat`: the run's trained weights, when there is a run (continue from it)
 *   split.npz         train / validation / test row numbers, as the studio split the dataset
 *   prepared.npz      x_/y_ per split, when the dataset needs the studio's decoding (image folders, zips, samples)
 *   studio_model.py   the NumPy module of the Python export (its `encode` is data.py's preprocessing)
 */
import type { PreprocessingState } from '../../data/preprocess.js';
import type { ModelSpec, TrainConfig } from '../../nn/spec.js';
import type { RunConfig } from '../../runs/config.js';
import { augments } from '../../nn/augment.js';
import { ExportError } from '../source.js';

/** How data.py reads the dataset. */
export type JobData =
  | { kind: 'table'; source: string; format: 'csv' | 'json'; delimiter?: string; header?: boolean }
  | { kind: 'idx'; source: string; /** The files bring their own test set (t10k-…). */ ownTest: boolean }
  | { kind: 'prepared'; file: 'prepared.npz' };

export interface PytorchJob {
  format: 'nn-studio-pytorch-job';
  version: 1;
  name: string;
  /** The studio version that wrote it. */
  studio: string;
  spec: ModelSpec;
  training: TrainConfig;
  preprocessing: PreprocessingState;
  task: 'classification' | 'regression';
  classes: string[] | null;
  /** The network's output units (targets are one-hot for more than one class unit). */
  outputs: number;
  data: JobData;
  /** What `nn-studio import` needs to make the result a run of the project again. */
  run: { config: RunConfig; from: string | null };
}

/** The refusals a PyTorch export owes a person: what the job cannot reproduce. */
export function checkExportable(spec: ModelSpec, training: TrainConfig): void {
  if (spec.kind === 'perceptron') {
    throw new ExportError("a perceptron learns by the perceptron rule, not by gradients; the PyTorch export needs a network of kind 'mlp'");
  }
  if (augments(training.augment)) {
    throw new ExportError('the PyTorch job does not augment images yet; train without --augment to export it');
  }
}

/** The files' names, as the README and the importer name them. */
export const JOB_FILES = {
  job: 'job.json', initial: 'initial.npz', weights: 'weights.npz', split: 'split.npz', prepared: 'prepared.npz',
  model: 'model.py', data: 'data.py', train: 'train.py', numpy: 'studio_model.py', numpyWeights: 'studio_model.npz',
  readme: 'README.md', requirements: 'requirements.txt',
} as const;

/** What train.py writes into its --out folder (and `nn-studio import` reads). */
export const RESULT_FILES = { history: 'history.jsonl', result: 'result.json', weights: 'weights.npz', checkpoint: 'checkpoint.pt', stop: 'STOP', pause: 'PAUSE' } as const;
