/**
 * What every exporter reads: a trained run's network (per-layer weights, copied out of the
 * engine's flat layout), its fitted preprocessing, and how its inputs and outputs look to a
 * consumer who has RAW data (the columns of the original file, or pixel values 0–255).
 *
 * Outputs are the studio's own (shared/runs/predict.ts): class probabilities in class order —
 * a single sigmoid (or step) unit becomes two columns [1 − p, p] — or the regression values.
 */
import type { ActivationName } from '../nn/activations.js';
import { Model } from '../nn/model.js';
import { inferShapes, parseModelSpec, shapeSize, type ModelSpec } from '../nn/spec.js';
import { modelLayout } from '../nn/layout.js';
import { exportNet, isDenseStack, type NetLayer } from './net.js';
import { pixelOrder, type CategoricalFeature, type NumericFeature, type PreprocessingState } from '../data/preprocess.js';
import { base64ToFloat32 } from '../ipc/binary.js';
import type { RunOutcome, RunRecord } from '../runs/results.js';

/** An export that cannot be made (a format without the model's activation, a run without weights …). */
export class ExportError extends Error {
  override name = 'ExportError';
}

/** One dense layer: z = x·W + b, a = f(z). */
export interface ExportLayer {
  inputs: number;
  units: number;
  activation: ActivationName;
  /** [inputs × units], row-major (a copy). */
  W: Float32Array;
  /** [units], or null without bias (a copy). */
  b: Float32Array | null;
}

export interface ExportModel {
  /** A name for the model (the project's or run's), used in file headers and metadata. */
  name: string;
  spec: ModelSpec;
  /** The dense stack's layers (empty for a convolutional network: see `net`). */
  layers: ExportLayer[];
  /** A network beyond a dense stack (convolutions, pooling, batchnorm) as typed layers; null for a dense stack. */
  net: NetLayer[] | null;
  preprocessing: PreprocessingState;
  task: 'classification' | 'regression';
  /** Class names in output order (classification). */
  classes: string[] | null;
  /** Columns of the exported output: K probabilities (2 for one sigmoid/step unit) or the values. */
  outputs: number;
  /** The network ends in one unit giving P(second class): exports widen it to [1 − p, p]. */
  singleUnitBinary: boolean;
  /** Table models: the numeric and categorical features in the training columns' order. */
  numeric: NumericFeature[];
  categorical: CategoricalFeature[];
  /** The output's name in files and metadata: the regression target, or 'probabilities'. */
  outputName: string;
  /**
   * Two classes: predict the second when its probability is ≥ this (the run's decision threshold);
   * null: the more probable class.
   */
  threshold: number | null;
}

/** What an exporter needs of a run. */
export type ExportableRun = Pick<RunOutcome, 'spec' | 'weights' | 'preprocessing'> & Partial<Pick<RunOutcome, 'threshold'>>;

/** The decision threshold an export applies: two classes with a chosen threshold, else null. */
function thresholdOf(run: ExportableRun, task: string, classes: number): number | null {
  return task === 'classification' && classes === 2 && run.threshold !== undefined ? run.threshold : null;
}

/** A run's network and preprocessing, ready for the exporters. */
export function exportModelOf(run: ExportableRun, name = 'model'): ExportModel {
  const spec = parseModelSpec(run.spec);
  if (!isDenseStack(spec)) {
    const m = netExportModelOf(spec, base64ToFloat32(run.weights), run.preprocessing, name);
    return { ...m, threshold: thresholdOf(run, m.task, m.outputs) };
  }
  const model = Model.fromWeights(run.spec, base64ToFloat32(run.weights));
  const layers = model.layers.map((_, i) => {
    const w = model.weights(i);
    return { inputs: w.inputs, units: w.units, activation: w.activation, W: Float32Array.from(w.W), b: w.b ? Float32Array.from(w.b) : null };
  });
  const state = run.preprocessing;
  const task = model.spec.task;
  const classes = task === 'classification' ? (model.spec.labels ?? (state.target.task === 'classification' ? state.target.classes : null)) : null;
  const singleUnitBinary = task === 'classification' && model.outputs === 1;
  const features = state.kind === 'table' ? state.features : [];
  if (state.inputSize !== model.inputs) {
    throw new ExportError(`the run's preprocessing gives ${state.inputSize} inputs but its network takes ${model.inputs}`);
  }
  return {
    name,
    spec: model.spec,
    layers,
    net: null,
    preprocessing: state,
    task,
    classes,
    outputs: singleUnitBinary ? 2 : model.outputs,
    singleUnitBinary,
    numeric: features.filter((f): f is NumericFeature => f.kind === 'numeric'),
    categorical: features.filter((f): f is CategoricalFeature => f.kind === 'categorical'),
    outputName: task === 'regression' ? state.target.column : 'probabilities',
    threshold: thresholdOf(run, task, singleUnitBinary ? 2 : model.outputs),
  };
}

/** An image network's export model: its typed layers from the saved weights (parameters then state). */
function netExportModelOf(spec: ModelSpec, weights: Float32Array, state: PreprocessingState, name: string): Omit<ExportModel, 'threshold'> {
  const layout = modelLayout(spec);
  if (weights.length !== layout.paramCount + layout.stateCount) {
    throw new ExportError(`the run's weights hold ${weights.length} numbers but its network has ${layout.paramCount} parameters and ${layout.stateCount} state values`);
  }
  if (state.inputSize !== shapeSize(spec.input)) {
    throw new ExportError(`the run's preprocessing gives ${state.inputSize} inputs but its network takes ${shapeSize(spec.input)}`);
  }
  const task = spec.task;
  const outputs = shapeSize(inferShapes(spec).at(-1)!);
  const classes = task === 'classification' ? (spec.labels ?? (state.target.task === 'classification' ? state.target.classes : null)) : null;
  const singleUnitBinary = task === 'classification' && outputs === 1;
  return {
    name, spec, layers: [], net: exportNet(spec, weights), preprocessing: state, task, classes,
    outputs: singleUnitBinary ? 2 : outputs, singleUnitBinary, numeric: [], categorical: [],
    outputName: task === 'regression' ? state.target.column : 'probabilities',
  };
}

/**
 * The order of the network's inputs when the numeric features come first (as one block) and
 * each categorical feature's one-hot block follows: order[k] = the original input index of the
 * k-th reordered input. Exporters that assemble inputs that way permute the first layer's rows.
 */
export function numericFirstOrder(state: PreprocessingState): number[] {
  if (state.kind !== 'table') return Array.from({ length: state.inputSize }, (_, i) => i);
  const numeric: number[] = [];
  const categorical: number[] = [];
  let at = 0;
  for (const f of state.features) {
    if (f.kind === 'numeric') numeric.push(at++);
    else for (let k = 0; k < f.categories.length; k++) categorical.push(at++);
  }
  return [...numeric, ...categorical];
}

/** W[inputs × units] with its rows reordered: row k of the result is row order[k] of W. */
export function permuteRows(W: Float32Array, units: number, order: readonly number[]): Float32Array {
  const out = new Float32Array(W.length);
  order.forEach((from, k) => out.set(W.subarray(from * units, (from + 1) * units), k * units));
  return out;
}

/** A one-paragraph description of the inputs a raw-data consumer gives, for headers and metadata. */
export function describeInputs(m: ExportModel): string {
  const state = m.preprocessing;
  if (state.kind === 'image' && m.net) {
    return `images of ${state.width}×${state.height} pixels with ${state.channels} channel${state.channels > 1 ? 's' : ''}, ` +
      `each as ${state.channels}×${state.height}×${state.width} values from 0 to 255 (channel by channel, then row by row)`;
  }
  if (state.kind === 'image') {
    return `images of ${state.width}×${state.height} pixels with ${state.channels} channel${state.channels > 1 ? 's' : ''}, ` +
      `each flattened ${pixelOrder(state)} to ${state.inputSize} values from 0 to 255`;
  }
  const parts = [];
  if (m.numeric.length) parts.push(`numeric columns ${m.numeric.map((f) => JSON.stringify(f.column)).join(', ')}`);
  if (m.categorical.length) parts.push(`categorical columns ${m.categorical.map((f) => JSON.stringify(f.column)).join(', ')}`);
  return `raw rows with the ${parts.join(' and the ')}`;
}

/**
 * The run to export from a project's runs: `id` (or a unique prefix of it), else the chosen run,
 * else the latest trained one. Throws ExportError naming the runs there are, or why the run has
 * no model (it failed, it is still training).
 */
export function pickRunToExport(runs: readonly RunRecord[], chosenRunId: string | null, id?: string): RunRecord & { outcome: RunOutcome } {
  let run: RunRecord | undefined;
  if (id !== undefined) {
    const matches = runs.filter((r) => r.id.startsWith(id));
    run = matches.find((r) => r.id === id) ?? (matches.length === 1 ? matches[0] : undefined);
    if (!run) {
      throw new ExportError(matches.length === 0
        ? `the project has no run '${id}' (its runs: ${runs.map((r) => r.id).join(', ') || 'none'})`
        : `'${id}' matches several runs (${matches.map((r) => r.id).join(', ')}); give more of the id`);
    }
  } else {
    run = runs.find((r) => r.id === chosenRunId) ?? runs.filter((r) => r.outcome).at(-1);
    if (!run) throw new ExportError('the project has no trained run to export; train one first');
  }
  if (!run.outcome) {
    throw new ExportError(`run ${run.id} has no trained model to export (${run.error ? `it failed: ${run.error.message.split('\n')[0]}` : `it is ${run.state}`})`);
  }
  return run as RunRecord & { outcome: RunOutcome };
}
