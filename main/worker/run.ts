/**
 * One training run inside the worker process: load and prepare the data, build the model, train
 * it while reporting progress, then judge it on the validation and test splits and hand back
 * everything a project needs. Pause, resume, stop and a learning-rate change arrive as messages
 * between batches (the trainer yields to the event loop every ~50 ms).
 */
import { openBackend } from '../engine/backends.js';
import { DivergenceError } from '../../shared/nn/errors.js';
import { evaluate } from '../../shared/nn/evaluate.js';
import { Model } from '../../shared/nn/model.js';
import { Trainer, type EpochReport, type BatchReport } from '../../shared/nn/trainer.js';
import { float32ToBase64 } from '../../shared/ipc/binary.js';
import { StudioError, describeSchemaError, serializeError, type SerializedError } from '../../shared/ipc/contract.js';
import type { FromWorker } from '../../shared/ipc/worker-protocol.js';
import { RunConfig, modelSpecFor, trainConfigFor, withDropout, type DataShape } from '../../shared/runs/config.js';
import type { EpochPoint, RunData, RunOutcome, RunProgress, SplitEvaluation } from '../../shared/runs/results.js';
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
/** Predicted-vs-actual pairs kept for regression plots. */
const MAX_PAIRS = 5000;

export class RunSession {
  private paused = false;
  private stopRequested = false;
  private trainer: Trainer | null = null;
  private pendingLearningRate: number | null = null;

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
      const options = { seed: config.seed, ...config.dataset.options };
      const prepared = await prepareDataset(config.dataset.source, options, {
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
      const training = trainConfigFor(config.training, shape, config.seed, config.model.kind);
      const trainer = new Trainer(model, train, training, validation);
      this.trainer = trainer;
      this.send({
        type: 'run:started', runId: this.runId, data: runData(prepared), paramCount: model.paramCount,
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
          loss: r.loss,
          accuracy: r.accuracy,
          learningRate: r.learningRate,
          samplesPerSec: r.samplesPerSec,
          etaSeconds: eta(trainer, r),
          point,
          // with batch norm, its running statistics too: a preview evaluates as the trained model will
          weights: withWeights ? float32ToBase64(model.stateCount > 0 ? model.savedWeights() : model.params) : undefined,
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
          const point = epochPoint(report);
          history.push(point);
          this.send({ type: 'run:progress', progress: progress('epoch', report, point) });
        },
      });

      const test = prepared.test.count > 0 ? engineDataset(prepared.test, prepared.task, outputs) : null;
      const judge = (data: typeof test | typeof train): SplitEvaluation | null => (data ? evaluate(model, data, { l1: trainer.config.l1, l2: trainer.config.l2 }) : null);
      const outcome: RunOutcome = {
        reason: result.reason,
        epochs: result.epochs,
        iterations: result.iterations,
        bestEpoch: result.bestEpoch,
        restoredBest: result.restoredBest,
        spec: model.spec,
        weights: float32ToBase64(model.savedWeights()),
        preprocessing: prepared.state,
        history,
        evaluation: { train: judge(train)!, validation: judge(validation), test: judge(test) },
        pairs: prepared.task === 'regression' && test ? regressionPairs(model, test) : undefined,
        seconds: (performance.now() - started) / 1000,
      };
      this.send({ type: 'run:finished', runId: this.runId, outcome });
    } catch (e) {
      this.send({ type: 'run:failed', runId: this.runId, error: describeFailure(e) });
    } finally {
      await disposeEngine();
    }
  }
}

function dataShape(prepared: PreparedDataset): DataShape {
  return {
    task: prepared.task,
    inputs: prepared.inputSize,
    input: prepared.inputShape,
    outputs: prepared.outputSize,
    trainRows: prepared.train.count,
    labels: prepared.task === 'classification' ? prepared.classes : undefined,
  };
}

function runData(prepared: PreparedDataset): RunData {
  return {
    name: prepared.name,
    source: prepared.source,
    task: prepared.task,
    inputs: prepared.inputSize,
    featureNames: prepared.featureNames,
    classes: prepared.task === 'classification' ? prepared.classes : undefined,
    inputShape: prepared.inputShape,
    rows: { train: prepared.train.count, validation: prepared.validation.count, test: prepared.test.count },
    notes: prepared.notes,
  };
}

function epochPoint(r: EpochReport): EpochPoint {
  const v = r.validation;
  return {
    epoch: r.epoch,
    iteration: r.iteration,
    loss: r.loss,
    accuracy: r.accuracy,
    valLoss: v ? v.loss : null,
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

function regressionPairs(model: Model, test: { x: Float32Array; y: Float32Array; rows: number }): { actual: number[]; predicted: number[] } {
  const n = Math.min(test.rows, MAX_PAIRS);
  const predicted = model.predict(test.x.subarray(0, n * model.inputs), n);
  const actual: number[] = [];
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    actual.push(test.y[i * model.outputs]);
    out.push(predicted[i * model.outputs]);
  }
  return { actual, predicted: out };
}

/** A failure as a person should read it: what went wrong and, where we know, what to try. */
function describeFailure(e: unknown): SerializedError {
  if (e instanceof DivergenceError) return { name: 'Diverged', message: e.message };
  const { internal, ...error } = serializeError(e);
  // A bug, not the person's doing: keep the stack for the report.
  return internal && e instanceof Error && e.stack ? { ...error, message: `${error.message}\n${e.stack}` } : error;
}
