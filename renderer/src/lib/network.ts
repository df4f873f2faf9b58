/**
 * From what the person chose to the engine's model spec, exactly as the worker builds it
 * (`modelSpecFor` + `withDropout` from shared/runs/config.ts): for the Model page's diagram and
 * parameter count before training, and for live previews of a run from its config and data.
 */
import type { DatasetSummary } from '../../../shared/data/summary.js';
import { paramLayout } from '../../../shared/nn/model.js';
import { parseModelSpec, type ModelSpec, type Shape } from '../../../shared/nn/spec.js';
import type { DatasetOptions } from '../../../shared/data/options.js';
import { modelSpecFor, withDropout, type DataShape, type ModelChoice } from '../../../shared/runs/config.js';
import type { RunData, RunRecord } from '../../../shared/runs/results.js';

/** The data's shape as the worker will see it, estimated from the dataset summary. */
export function shapeOfSummary(summary: DatasetSummary): DataShape {
  const train = summary.split.train;
  const rows = summary.format === 'idx' ? summary.rows : Math.round(summary.rows * train);
  return {
    task: summary.task,
    inputs: summary.inputSize,
    ...(summary.images ? { input: [summary.images.channels, summary.images.height, summary.images.width] as Shape } : {}),
    outputs: summary.task === 'classification' ? (summary.classes?.length ?? 2) : 1,
    trainRows: Math.max(1, rows),
    labels: summary.task === 'classification' ? summary.classes : undefined,
  };
}

/** The data's shape from what a started run reported. */
export function shapeOfRunData(data: RunData): DataShape {
  return {
    task: data.task,
    inputs: data.inputs,
    ...(data.inputShape ? { input: data.inputShape as Shape } : {}),
    outputs: data.task === 'classification' ? (data.classes?.length ?? 2) : 1,
    trainRows: data.rows.train,
    labels: data.task === 'classification' ? data.classes : undefined,
  };
}

export type SpecResult = { ok: true; spec: ModelSpec; params: number } | { ok: false; message: string };

/** The full, validated model spec for a choice on data of this shape, or the reason it cannot work. */
export function buildSpec(choice: ModelChoice, shape: DataShape, dropout?: number): SpecResult {
  try {
    const spec = parseModelSpec(withDropout(modelSpecFor(choice, shape), dropout));
    return { ok: true, spec, params: paramLayout(spec).count };
  } catch (e) {
    return { ok: false, message: (e as Error).message };
  }
}

/** A run's model spec: the outcome's when it finished, else rebuilt from its config and data. */
export function specOfRun(run: RunRecord): ModelSpec | null {
  if (run.outcome) return parseModelSpec(run.outcome.spec);
  if (!run.data) return null;
  const built = buildSpec(run.config.model, shapeOfRunData(run.data), run.config.training.dropout);
  return built.ok ? built.spec : null;
}

/** The dataset options a run's worker resolves (main/worker/run.ts): the run's seed unless the options set their own. */
export function effectiveDatasetOptions(options: DatasetOptions, seed: number): DatasetOptions {
  return { seed, ...options };
}
