/**
 * What a run's live previews need, gathered from the runs and data stores: a model with the
 * run's latest weights, its fitted preprocessing (the outcome's when finished, else the same
 * preparation done here on the local rows) and the data points to draw.
 */
import type { TableState } from '../../../shared/data/preprocess.js';
import type { PreparedDataset } from '../../../shared/data/prepare.js';
import type { Model } from '../../../shared/nn/model.js';
import type { RunRecord } from '../../../shared/runs/results.js';
import { numericColumn } from '../lib/localdata.js';
import { dataPoints, numericFeatures, type DataPoint } from '../lib/plots.js';
import { data } from './data.svelte.js';
import { runs } from './runs.svelte.js';

export interface RunPreview {
  kind: 'boundary' | 'curve' | 'none';
  model: Model | null;
  /** Changes whenever the model's weights changed. */
  version: number;
  state: TableState | null;
  prepared: PreparedDataset | null;
  points: DataPoint[];
  classes: string[];
}

/** The preview of a run (call inside a $derived that also reads `runs.tick`). */
export function runPreview(run: RunRecord): RunPreview {
  const prepared = data.preparedFor(run.config.dataset.source, run.config.dataset.options, run.config.seed);
  const rawState = runs.preprocessingOf(run) ?? prepared?.state ?? null;
  const state = rawState?.kind === 'table' ? rawState : null;
  const live = runs.previewModel(run);
  const task = run.data?.task ?? prepared?.task ?? state?.target.task;
  const classes = state?.target.task === 'classification' ? state.target.classes : (run.data?.classes ?? []);
  let kind: RunPreview['kind'] = 'none';
  if (state && task === 'classification' && numericFeatures(state, 2)) kind = 'boundary';
  else if (state && task === 'regression' && numericFeatures(state, 1)) kind = 'curve';
  let points: DataPoint[] = [];
  if (kind !== 'none' && prepared && state) {
    const table = data.tableFor(run.config.dataset.source);
    if (table) {
      points = dataPoints(prepared, state.features.map((f) => f.column), (name) => numericColumn(table.table, name), prepared.task);
    }
  }
  return { kind, model: live?.model ?? null, version: live?.version ?? 0, state, prepared, points, classes };
}
