/**
 * One training run inside the worker process: load and prepare the data, build the model, train
 * it while reporting progress, then judge it on the validation and test splits and hand back
 * everything a project needs. Pause, resume, stop and a learning-rate change arrive as messages
 * between batches (the trainer yields to the event loop every ~50 ms).
 */
import { openBackend } from '../engine/backends.js';
import { DivergenceError } from '../../shared/nn/errors.js';
import { Model } from '../../shared/nn/model.js';
import { Trainer, type EpochReport, type BatchReport } from '../../shared/nn/trainer.js';
import { float32ToBase64 } from '../../shared/ipc/binary.js';
import { StudioError, describeSchemaError, serializeError, type SerializedError } from '../../shared/ipc/contract.js';
import type { FromWorker } from '../../shared/ipc/worker-protocol.js';
import { RunConfig, datasetOptionsOf, modelSpecFor, trainConfigFor, withDropout } from '../../shared/runs/config.js';
import { foldTargetScale, lossInTargetUnits, scaleTargets, targetScaleFor, type TargetScale } from '../../shared/runs/target-scaling.js';
import { dataShape, judgeSplits, runData } from '../../shared/runs/prepared-facts.js';
import { refit } from './refit.js';
import type { Dataset } from '../../shared/nn/dataset.js';
import type { LossName } from '../../shared/nn/losses.js';
import type { EpochPoint, RunOutcome, RunProgress } from '../../shared/runs/results.js';
import { engineDataset } from '../../shared/runs/tensors.js';
import { prepareDataset } from '../data/index.js';
import type { PreparedDataset } from '../../shared/data/prepare.js';

/** Batch progress reports at most this often (epoch reports always go out). */
const BATCH_REPORT_MS = 50;
/** Models this small send their weights with progress, at most this often, for live previews. */
const LIVE_WEIGHTS_MAX_PARAMS = 20_000;
const LIVE_WEIGHTS_MS = 250;
/**
 * Larger models (a small CNN has ~225k parameters) send them less often, for the live feature maps
 * and filters of the Inspect page: ~1 MB every 2 s costs the training loop well under 1%.
 */
const LIVE_WEIGHTS_LARGE_MAX_PARAMS = 2_000_000;
const LIVE_WEIGHTS_LARGE_MS = 2000;

export class RunSession {
  private paused = false;
  private stopRequested = false;
  private trainer: Trainer | null = null;
  private pendingLearningRate: number | null = null;
  /** What a divergence message suggests besides a lower learning rate (from what the data is). */
  private cure: string | undefined;

  constructor(readonly runId: string, private readonly send: (message: FromWorker) => void) {}

  pause(): void {
    this.paused = true;
  }

  resume(learningRate?: number): void {
    if (learningRate !== undefined) this.pendingLearningRate = learningRate;
    this.paused = false;
  }

  stop(): void {
    this.stopRequested = true;
    this.paused = false;
  }

  /** Runs to the end; every failure becomes a `run:failed` message with a sentence for a person. */
  async run(rawConfig: unknown): Promise<void> {
    const started = performance.now();
    let disposeEngine = async () => {};
    try {
      const parsed = RunConfig.safeParse(rawConfig);
      if (!parsed.success) throw new StudioError('InvalidConfig', `run settings: ${describeSchemaError(parsed.error)}`);
      const config = parsed.data;
      this.send({ type: 'run:loading', runId: this.runId, fraction: null });
      const prepared = await prepareDataset(config.dataset.source, datasetOptionsOf(config), {
        onProgress: (p) => this.send({ type: 'run:loading', runId: this.runId, fraction: p.total > 0 ? Math.min(1, p.done / p.total) : null }),
      });
      const shape = dataShape(prepared);
      const spec = withDropout(modelSpecFor(config.model, shape), config.training.dropout);
      // The fastest kernels this runtime has (WebAssembly SIMD on every core, else JavaScript).
      const engine = await openBackend('auto');
      disposeEngine = engine.dispose;
      const model = Model.create(spec, { seed: config.seed, backend: engine.backend });
      const outputs = model.outputs;
      const train = engineDataset(prepared.train, prepared.task, outputs);
      const validation = prepared.validation.count > 0 ? engineDataset(prepared.validation, prepared.task, outputs) : null;
      // Regression trains on standardised targets; the inverse is folded into the output layer at the end.
      const scale = targetScaleFor(model.spec, prepared.state.target);
      const fit = (data: Dataset): Dataset => (scale ? { ...data, y: scaleTargets(data.y, scale) } : data);
      this.cure = divergenceCure(prepared, scale);
      const training = trainConfigFor(config.training, shape, config.seed, config.model.kind);
      const trainer = new Trainer(model, fit(train), training, validation && fit(validation));
      this.trainer = trainer;
      const lossName = model.spec.loss as LossName;
      const inTargetUnits = (loss: number) => lossInTargetUnits(loss, lossName, scale);
      const predicting = (params: Float32Array) => (scale ? foldTargetScale(model.spec, params, scale) : params);
      const data = runData(prepared);
      if (scale) data.notes.push(`target '${scale.column}' standardised for training (mean ${fmt(scale.mean)}, sd ${fmt(scale.std)}); the model predicts in its own units`);
      this.send({
        type: 'run:started', runId: this.runId, data, paramCount: model.paramCount,
        spec: model.spec, preprocessing: prepared.state, training: trainer.config,
      });

      const history: EpochPoint[] = [];
      let lastBatchReport = 0;
      let lastWeights = 0;
      const live = model.paramCount <= LIVE_WEIGHTS_LARGE_MAX_PARAMS;
      const liveEvery = model.paramCount <= LIVE_WEIGHTS_MAX_PARAMS ? LIVE_WEIGHTS_MS : LIVE_WEIGHTS_LARGE_MS;
      const progress = (kind: RunProgress['kind'], r: BatchReport | EpochReport, point?: EpochPoint): RunProgress => {
        const now = performance.now();
        const withWeights = live && (kind === 'epoch' || now - lastWeights >= liveEvery);
        if (withWeights) lastWeights = now;
        return {
          runId: this.runId,
          kind,
          epoch: r.epoch,
          epochs: trainer.plannedEpochs,
          batch: 'batch' in r ? r.batch : trainer.batchesPerEpoch,
          batchesPerEpoch: trainer.batchesPerEpoch,
          iteration: r.iteration,
          loss: inTargetUnits(r.loss),
          accuracy: r.accuracy,
          learningRate: r.learningRate,
          samplesPerSec: r.samplesPerSec,
          etaSeconds: eta(trainer, r),
          point,
          // with batch norm, its running statistics too: a preview evaluates as the trained model will
          weights: withWeights ? float32ToBase64(predicting(model.stateCount > 0 ? model.savedWeights() : model.params)) : undefined,
          reportedAt: Date.now(),
        };
      };

      let announcedPause = false;
      const result = await trainer.train({
        shouldStop: () => this.stopRequested,
        shouldPause: () => {
          if (this.paused && !announcedPause) {
            announcedPause = true;
            this.send({ type: 'run:paused', runId: this.runId });
          } else if (!this.paused && announcedPause) {
            announcedPause = false;
            if (this.pendingLearningRate !== null) trainer.setLearningRate(this.pendingLearningRate);
            this.pendingLearningRate = null;
            this.send({ type: 'run:resumed', runId: this.runId, learningRate: trainer.learningRate });
          }
          return this.paused;
        },
        onBatch: (report) => {
          const now = performance.now();
          if (now - lastBatchReport < BATCH_REPORT_MS) return;
          lastBatchReport = now;
          this.send({ type: 'run:progress', progress: progress('batch', report) });
        },
        onEpoch: (report) => {
          const point = epochPoint(report, inTargetUnits);
          history.push(point);
          this.send({ type: 'run:progress', progress: progress('epoch', report, point) });
        },
      });

      if (scale) model.setWeights(predicting(model.savedWeights()));
      const refitted = config.training.refit && validation && result.bestEpoch > 0 && !this.stopRequested
        ? await refit({
          spec: model.spec, seed: config.seed, backend: engine.backend, training: trainer.config, epochs: result.bestEpoch,
          data: [fit(train), fit(validation)], shouldStop: () => this.stopRequested,
          onBatch: (report, refitTrainer) => this.send({ type: 'run:progress', progress: { ...progress('batch', report), epochs: refitTrainer.plannedEpochs, batchesPerEpoch: refitTrainer.batchesPerEpoch, etaSeconds: null } }),
        })
        : null;
      const final = refitted ? refitted.model : model;
      if (refitted && scale) final.setWeights(foldTargetScale(final.spec, final.savedWeights(), scale));
      const outcome: RunOutcome = {
        reason: result.reason,
        epochs: result.epochs,
        iterations: result.iterations,
        bestEpoch: result.bestEpoch,
        restoredBest: result.restoredBest,
        ...(refitted ? { refit: { epochs: refitted.epochs, rows: refitted.rows } } : {}),
        spec: final.spec,
        weights: float32ToBase64(final.savedWeights()),
        preprocessing: prepared.state,
        history,
        // Validation is judged by the model it chose the epoch for; a refit has trained on it.
        ...judgeSplits(final, prepared, { l1: trainer.config.l1, l2: trainer.config.l2 }, model),
        seconds: (performance.now() - started) / 1000,
      };
      this.send({ type: 'run:finished', runId: this.runId, outcome });
    } catch (e) {
      this.send({ type: 'run:failed', runId: this.runId, error: describeFailure(e, this.cure) });
    } finally {
      await disposeEngine();
    }
  }
}

function epochPoint(r: EpochReport, inTargetUnits: (loss: number) => number): EpochPoint {
  const v = r.validation;
  return {
    epoch: r.epoch,
    iteration: r.iteration,
    loss: inTargetUnits(r.loss),
    accuracy: r.accuracy,
    valLoss: v ? inTargetUnits(v.loss) : null,
    valMetric: v ? (v.metrics.kind === 'classification' ? v.metrics.accuracy : v.metrics.r2) : null,
    learningRate: r.learningRate,
    seconds: r.seconds,
  };
}

/** Seconds left: the planned steps not yet taken at the current throughput. */
function eta(trainer: Trainer, r: BatchReport | EpochReport): number | null {
  if (!(r.samplesPerSec > 0)) return null;
  const plannedSteps = trainer.config.iterations ?? trainer.plannedEpochs * trainer.batchesPerEpoch;
  const stepsLeft = Math.max(0, plannedSteps - r.iteration);
  return (stepsLeft * trainer.batchSize) / r.samplesPerSec;
}

/**
 * Besides a lower learning rate, what a divergence on this data calls for: scaling the target
 * when a regression target could not be standardised and its scale is large, not the inputs
 * when they are already scaled; undefined keeps the engine's own advice (scale the inputs).
 */
export function divergenceCure(prepared: PreparedDataset, scale: TargetScale | null): string | undefined {
  const target = prepared.state.target;
  if (target.task === 'regression' && !scale && Math.max(Math.abs(target.mean), target.std) > 10) {
    return `scale the target '${target.column}' (mean ${fmt(target.mean)}, sd ${fmt(target.std)}): with an identity output layer the studio standardises it itself`;
  }
  const scaledInputs = prepared.state.kind === 'image' || prepared.state.normalize !== 'none';
  if (!scaledInputs) return undefined;
  return scale
    ? `another optimizer (the inputs and the target '${scale.column}' are already standardised)`
    : 'another optimizer (the inputs are already scaled)';
}

function fmt(x: number): string {
  return Number(x.toPrecision(4)).toString();
}

/** A failure as a person should read it: what went wrong and, where we know, what to try. */
function describeFailure(e: unknown, cure?: string): SerializedError {
  if (e instanceof DivergenceError) return { name: 'Diverged', message: (cure ? e.withCure(cure) : e).message };
  const { internal, ...error } = serializeError(e);
  // A bug, not the person's doing: keep the stack for the report.
  return internal && e instanceof Error && e.stack ? { ...error, message: `${error.message}\n${e.stack}` } : error;
}
