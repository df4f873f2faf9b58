/** One line about a run for the Runs page: its settings and its final numbers. */
import type { RunRecord } from '../../../shared/runs/results.js';
import { hiddenLayers, trainConfigFor } from '../../../shared/runs/config.js';
import { describeLayer, LayerSpecSchema, type LayerSpecInput } from '../../../shared/nn/spec.js';
import { shapeOfRunData } from './network.js';

export interface RunSummary {
  /** "64 relu – 32 relu · adam lr 0.01 · batch 16 · 200 ep · seed 1". */
  settings: string;
  epochs: number | null;
  /** The epoch whose weights the run kept (its best validation epoch), when it had validation rows. */
  keptEpoch: number | null;
  /** Trained again on train + validation for the chosen epochs. */
  refit: boolean;
  valLoss: number | null;
  metric: number | null;
  metricKind: 'accuracy' | 'r2';
  seconds: number | null;
}

export function runSummary(run: RunRecord): RunSummary {
  const m = run.config.model;
  const tr = run.config.training;
  const layers = m.kind === 'perceptron' ? 'perceptron' : m.hidden ? (m.hidden.length ? hiddenLayers(m.hidden).map(describeHidden).join(' – ') : 'linear') : 'auto';
  // What the worker used: the choices, with the defaults it filled from the data (same function).
  const used = run.data ? trainConfigFor(tr, shapeOfRunData(run.data), run.config.seed) : null;
  const optimizer = used?.optimizer.name ?? tr.optimizer ?? 'auto';
  const lr = used?.optimizer.lr ?? tr.learningRate;
  const parts = [layers, `${optimizer}${lr ? ` lr ${lr}` : ''}`];
  const batch = used?.batchSize ?? tr.batchSize;
  if (batch !== undefined) parts.push(`batch ${batch}`);
  const epochs = used?.epochs ?? tr.epochs;
  if (epochs !== undefined) parts.push(`${epochs} ep`);
  if (tr.l2) parts.push(`L2 ${tr.l2}`);
  if (tr.dropout) parts.push(`dropout ${tr.dropout}`);
  parts.push(`seed ${run.config.seed}`);
  if (run.config.dataset.options.seed !== undefined) parts.push(`split seed ${run.config.dataset.options.seed}`);
  if (run.config.dataset.options.fold) parts.push(`fold ${run.config.dataset.options.fold.index + 1}/${run.config.dataset.options.fold.count}`);
  const last = run.history[run.history.length - 1];
  const evaluation = run.outcome?.evaluation.test ?? run.outcome?.evaluation.validation ?? null;
  const metrics = evaluation?.metrics;
  const metricKind = metrics?.kind === 'regression' || run.data?.task === 'regression' ? 'r2' : 'accuracy';
  let metric: number | null = last?.valMetric ?? null;
  if (metrics) metric = metrics.kind === 'classification' ? metrics.accuracy : metrics.r2;
  return {
    settings: parts.join(' · '),
    epochs: run.outcome?.epochs ?? last?.epoch ?? null,
    keptEpoch: run.outcome && (run.data?.rows.validation ?? 0) > 0 && run.outcome.bestEpoch > 0
      ? (run.outcome.restoredBest ? run.outcome.bestEpoch : run.outcome.epochs) : null,
    refit: run.outcome?.refit !== undefined,
    valLoss: last?.valLoss ?? null,
    metric,
    metricKind,
    seconds: run.outcome?.seconds ?? (last ? last.seconds : null),
  };
}

/** '64 relu' for a dense layer, 'dropout 0.2', 'conv2d 32@3×3', … for the others. */
function describeHidden(layer: LayerSpecInput): string {
  const l = LayerSpecSchema.parse(layer);
  return l.type === 'dense' ? `${l.units} ${l.activation}` : describeLayer(l);
}
