/**
 * What the Inspect page looks inside: a model (the focused run's latest weights, or the design
 * on the Model page freshly initialised) and a small batch of the local training rows, as the
 * engine's matrices. Everything runs in the renderer with the shared engine.
 */
import { Model } from '../../../shared/nn/model.js';
import { isConvolutional } from '../../../shared/nn/inspect-cnn.js';
import { engineDataset } from '../../../shared/runs/tensors.js';
import { DEFAULT_SPLIT_SEED } from '../../../shared/runs/config.js';
import { applyImagePreprocessing } from '../../../shared/data/preprocess.js';
import type { RunRecord } from '../../../shared/runs/results.js';
import { thumbnailToRgba } from '../lib/predict.js';
import type { PreparedDataset } from '../../../shared/data/prepare.js';
import type { MessageKey } from './locale.svelte.js';
import { trainConfigFor, type DataShape, type TrainingChoice } from '../../../shared/runs/config.js';
import { shapeOfRunData } from '../lib/network.js';
import type { UpdateRule } from '../lib/steps.js';
import { data } from './data.svelte.js';
import { design } from './model.svelte.js';
import { runs } from './runs.svelte.js';
import { trainingChoice, trainingDefaults } from '../lib/training.js';

export interface InspectSubject {
  ok: true;
  model: Model;
  x: Float32Array;
  t: Float32Array;
  rows: number;
  l1: number;
  l2: number;
  /** The update rule the run trains with (or the Train page would), at its current learning rate. */
  optimizer: UpdateRule;
  description: string;
  /** Changes when the model or batch changed (recompute what depends on them). */
  key: string;
}

export type InspectResult = InspectSubject | { ok: false; reason: MessageKey; params?: Record<string, string | number> };

/** The first `rows` training rows in the engine's layout (one-hot or 0/1 targets). */
function batchOf(prepared: PreparedDataset, model: Model, rows: number): { x: Float32Array; t: Float32Array; rows: number } {
  const split = prepared.train;
  const n = Math.max(1, Math.min(rows, split.count, 16));
  const ds = engineDataset({ x: split.x.subarray(0, n * model.inputs), y: split.y.subarray(0, n), count: n }, prepared.task, model.outputs);
  return { x: ds.x, t: ds.y, rows: n };
}

/**
 * Image data is not held in the renderer, but the summary carries a few images per class: they
 * make the batch, through the run's fitted image preprocessing.
 */
function imageBatch(run: RunRecord, model: Model, rows: number): { x: Float32Array; t: Float32Array; rows: number } | null {
  // A run still training has the preprocessing its worker announced: its feature maps follow it live.
  const state = runs.preprocessingOf(run);
  const images = data.source === run.config.dataset.source ? data.summary?.images : undefined;
  if (!state || state.kind !== 'image' || state.target.task !== 'classification' || !images?.thumbnails.length) return null;
  const classes = state.target.classes;
  // Alternate the classes so a small batch holds several of them.
  const seen = new Map<string, number>();
  const ranked = images.thumbnails.map((th) => {
    const rank = seen.get(th.label) ?? 0;
    seen.set(th.label, rank + 1);
    return { th, rank };
  });
  const picked = ranked.sort((a, b) => a.rank - b.rank).slice(0, Math.min(rows, 16)).map((r) => r.th);
  const x = applyImagePreprocessing(state, picked.map(thumbnailToRgba));
  const y = Int32Array.from(picked, (th) => Math.max(0, classes.indexOf(th.label)));
  const ds = engineDataset({ x, y, count: picked.length }, 'classification', model.outputs);
  return { x: ds.x, t: ds.y, rows: picked.length };
}

/** The optimizer the worker builds from these choices (the same `trainConfigFor`), at learning rate `lr` when known. */
function updateRule(choice: TrainingChoice, shape: DataShape | null, seed: number, lr: number | undefined): UpdateRule {
  try {
    if (shape) {
      const { optimizer } = trainConfigFor(choice, shape, seed);
      return { ...optimizer, lr: lr ?? optimizer.lr };
    }
  } catch {
    // settings the data refuses: fall through to the plain choice
  }
  return { name: choice.optimizer ?? 'sgd', lr: lr ?? choice.learningRate ?? 0.01, momentum: choice.momentum };
}

export function inspectSubject(source: 'run' | 'design', rows: number): InspectResult {
  if (source === 'run') {
    const run = runs.focus;
    if (!run) return { ok: false, reason: 'inspect.noRun' };
    const preview = runs.previewModel(run);
    if (!preview) return { ok: false, reason: 'inspect.noWeights' };
    if (preview.model.spec.kind === 'perceptron') return { ok: false, reason: 'inspect.perceptron' };
    const model = preview.model.clone();
    const prepared = data.preparedFor(run.config.dataset.source, run.config.dataset.options, run.config.seed);
    const batch = prepared ? batchOf(prepared, model, rows) : imageBatch(run, model, rows);
    // The batch is made of the run's own rows, read here from its dataset when it is open.
    if (!batch) return { ok: false, reason: 'inspect.openRunData', params: { name: run.data?.name ?? run.config.dataset.source } };
    const tr = run.config.training;
    return {
      ok: true, model, ...batch, l1: tr.l1 ?? 0, l2: tr.l2 ?? 0,
      optimizer: updateRule(tr, run.data ? shapeOfRunData(run.data) : null, run.config.seed, run.progress?.learningRate ?? run.history.at(-1)?.learningRate),
      description: `${run.id} · ${isConvolutional(model.spec) ? run.config.name ?? '' : [model.inputs, ...model.layers.map((l) => l.units)].join('-')}`,
      key: `${run.id}:${preview.version}:${batch.rows}`,
    };
  }
  const built = design.runConfig();
  const spec = design.spec;
  if ('problem' in built || !spec || !spec.ok) return { ok: false, reason: 'inspect.noDesign' };
  if (spec.spec.kind === 'perceptron') return { ok: false, reason: 'inspect.perceptron' };
  const parsed = trainingChoice(design.training);
  const prepared = data.preparedFor(built.config.dataset.source, built.config.dataset.options ?? {}, DEFAULT_SPLIT_SEED);
  if (!prepared) return { ok: false, reason: 'inspect.noRows' };
  const model = Model.create(spec.spec, { seed: parsed.seed });
  const batch = batchOf(prepared, model, rows);
  const defaults = data.shape ? trainingDefaults(design.training, data.shape) : null;
  return {
    ok: true, model, ...batch, l1: parsed.choice.l1 ?? 0, l2: parsed.choice.l2 ?? 0,
    optimizer: updateRule(parsed.choice, data.shape, parsed.seed, parsed.choice.learningRate ?? defaults?.learningRate),
    description: `${[model.inputs, ...model.layers.map((l) => l.units)].join('-')} · ${data.name}`,
    key: `design:${JSON.stringify(spec.spec)}:${parsed.seed}:${batch.rows}`,
  };
}
