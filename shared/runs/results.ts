/**
 * What a run reports while it trains and when it ends, as schemas: these payloads cross from the
 * worker to the backend and on to the renderer, and are saved in project files. The metric schemas
 * are tied to the engine's own types (`satisfies`), so the two cannot drift apart.
 */
import { z } from 'zod';
import type { ClassificationMetrics, RegressionMetrics } from '../nn/metrics.js';
import { ModelSpecSchema } from '../nn/spec.js';
import { PreprocessingState } from '../data/preprocess.js';
import { RunConfig } from './config.js';
import { Thumbnail } from '../data/summary.js';

const Scores = z.object({ precision: z.number(), recall: z.number(), f1: z.number() });

export const ClassificationMetricsSchema = z.object({
  kind: z.literal('classification'),
  rows: z.number().int(),
  accuracy: z.number(),
  perClass: z.array(Scores.extend({ label: z.string(), support: z.number().int() })),
  macro: Scores,
  weighted: Scores,
  confusion: z.array(z.array(z.number().int())),
  labels: z.array(z.string()),
}) satisfies z.ZodType<ClassificationMetrics>;

export const RegressionMetricsSchema = z.object({
  kind: z.literal('regression'),
  rows: z.number().int(),
  mse: z.number(),
  rmse: z.number(),
  mae: z.number(),
  r2: z.number(),
}) satisfies z.ZodType<RegressionMetrics>;

export const Metrics = z.discriminatedUnion('kind', [ClassificationMetricsSchema, RegressionMetricsSchema]);
export type Metrics = z.infer<typeof Metrics>;

/** Loss + metrics on one split. */
export const SplitEvaluation = z.object({ loss: z.number(), metrics: Metrics });
export type SplitEvaluation = z.infer<typeof SplitEvaluation>;

/** One line of a run's history (per epoch). */
export const EpochPoint = z.object({
  epoch: z.number().int(),
  iteration: z.number().int(),
  loss: z.number(),
  accuracy: z.number().nullable(),
  valLoss: z.number().nullable(),
  /** Validation accuracy (classification) or R² (regression). */
  valMetric: z.number().nullable(),
  learningRate: z.number(),
  seconds: z.number(),
});
export type EpochPoint = z.infer<typeof EpochPoint>;

export const RunState = z.enum(['queued', 'loading', 'training', 'paused', 'finished', 'failed']);
export type RunState = z.infer<typeof RunState>;

/** A progress report: after a batch (throttled) or after an epoch (never dropped). */
export const RunProgress = z.object({
  runId: z.string(),
  kind: z.enum(['batch', 'epoch']),
  epoch: z.number().int(),
  epochs: z.number().int(),
  batch: z.number().int(),
  batchesPerEpoch: z.number().int(),
  iteration: z.number().int(),
  loss: z.number(),
  accuracy: z.number().nullable(),
  learningRate: z.number(),
  samplesPerSec: z.number(),
  /** Seconds left at the current pace, when it can be told. */
  etaSeconds: z.number().nullable(),
  /** Epoch reports: the epoch's history line. */
  point: EpochPoint.optional(),
  /** Small models: the current weights (base64 float32), for live previews such as the decision boundary. */
  weights: z.string().optional(),
});
export type RunProgress = z.infer<typeof RunProgress>;

/** Predicted vs actual values of a regression's test rows (at most a few thousand, for plots). */
export const RegressionPairs = z.object({ actual: z.array(z.number()), predicted: z.array(z.number()) });

/** Facts about the prepared data the run trained on. */
export const RunData = z.object({
  name: z.string(),
  source: z.string(),
  task: z.enum(['classification', 'regression']),
  inputs: z.number().int(),
  featureNames: z.array(z.string()),
  classes: z.array(z.string()).optional(),
  /** [features], or [channels, height, width] for images (absent in runs saved before image tensors). */
  inputShape: z.union([z.tuple([z.number().int()]), z.tuple([z.number().int(), z.number().int(), z.number().int()])]).optional(),
  /** Runs saved before image tensors: [height, width, channels]. */
  imageShape: z.tuple([z.number().int(), z.number().int(), z.number().int()]).optional(),
  rows: z.object({ train: z.number().int(), validation: z.number().int(), test: z.number().int() }),
  notes: z.array(z.string()),
});
export type RunData = z.infer<typeof RunData>;

/** A finished run: everything needed to predict, judge, save and export it. */
export const RunOutcome = z.object({
  reason: z.enum(['completed', 'early-stopped', 'stopped']),
  epochs: z.number().int(),
  iterations: z.number().int(),
  bestEpoch: z.number().int(),
  restoredBest: z.boolean(),
  /** The model was trained again on train + validation for the chosen epochs (its test metrics are that model's). */
  refit: z.object({ epochs: z.number().int(), rows: z.number().int() }).optional(),
  spec: ModelSpecSchema,
  /** The trained weights, base64 of a little-endian Float32Array in the engine's layout. */
  weights: z.string(),
  preprocessing: PreprocessingState,
  history: z.array(EpochPoint),
  /** The trained model judged on each split (empty splits give null; small samples may have only training rows). */
  evaluation: z.object({ train: SplitEvaluation, validation: SplitEvaluation.nullable(), test: SplitEvaluation.nullable() }),
  pairs: RegressionPairs.optional(),
  seconds: z.number(),
});
export type RunOutcome = z.infer<typeof RunOutcome>;

/** A run as the runs list shows it. */
export const RunRecord = z.object({
  id: z.string(),
  config: RunConfig,
  state: RunState,
  createdAt: z.string(),
  data: RunData.optional(),
  /** The last progress report. */
  progress: RunProgress.optional(),
  history: z.array(EpochPoint),
  outcome: RunOutcome.optional(),
  error: z.object({ name: z.string(), message: z.string() }).optional(),
});
export type RunRecord = z.infer<typeof RunRecord>;

/** The test rows behind one confusion-matrix cell: images for image data, the rows as written for tables. */
export const CellSamples = z.object({
  /** Test rows in the cell (the lists below hold at most the limit asked for). */
  total: z.number().int(),
  /** The predicted class's probability, per row shown. */
  confidence: z.array(z.number()),
  images: z.array(Thumbnail).optional(),
  columns: z.array(z.string()).optional(),
  rows: z.array(z.array(z.string())).optional(),
});
export type CellSamples = z.infer<typeof CellSamples>;
