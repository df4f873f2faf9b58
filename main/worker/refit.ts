/**
 * The final refit (issue 16, item 3): once validation has chosen the epoch count, the network is
 * trained again from the same first weights on train + validation together, for that many epochs,
 * without validation or early stopping — none of the data held out to choose is then wasted.
 */
import type { Backend } from '../../shared/nn/backend.js';
import type { Dataset } from '../../shared/nn/dataset.js';
import { Model } from '../../shared/nn/model.js';
import type { ModelSpec, TrainConfig } from '../../shared/nn/spec.js';
import { Trainer, type BatchReport } from '../../shared/nn/trainer.js';

export interface RefitRequest {
  spec: ModelSpec;
  /** The run's seed: the refit starts from the weights the selection run started from. */
  seed: number;
  backend: Backend;
  /** The selection run's training config (optimizer, batch, penalties, augmentation). */
  training: TrainConfig;
  /** The chosen epoch count (the best validation epoch). */
  epochs: number;
  /** The splits trained on together (train, validation). */
  data: Dataset[];
  shouldStop(): boolean;
  onBatch?(report: BatchReport, trainer: Trainer): void;
}

export interface Refitted {
  model: Model;
  epochs: number;
  rows: number;
}

export async function refit(request: RefitRequest): Promise<Refitted> {
  const model = Model.create(request.spec, { seed: request.seed, backend: request.backend });
  const data = concatRows(request.data, model.inputs, model.outputs);
  const config = { ...request.training, epochs: request.epochs, iterations: undefined, earlyStopping: undefined, keepBest: false };
  const trainer = new Trainer(model, data, config, null);
  const result = await trainer.train({ shouldStop: request.shouldStop, onBatch: (report) => request.onBatch?.(report, trainer) });
  return { model, epochs: result.epochs, rows: data.rows };
}

/** The splits' rows one after another, as one dataset. */
export function concatRows(parts: readonly Dataset[], inputs: number, outputs: number): Dataset {
  const rows = parts.reduce((n, p) => n + p.rows, 0);
  const x = new Float32Array(rows * inputs);
  const y = new Float32Array(rows * outputs);
  let at = 0;
  for (const p of parts) {
    x.set(p.x.subarray(0, p.rows * inputs), at * inputs);
    y.set(p.y.subarray(0, p.rows * outputs), at * outputs);
    at += p.rows;
  }
  return { x, y, rows };
}
