/**
 * The trainer: gradient descent over a dataset, one mini-batch at a time.
 *
 * Two ways to drive it:
 * - `await trainer.train(hooks)`: the whole run. It yields to the event loop about every 50 ms
 *   (so a worker keeps answering messages), asks `hooks.shouldStop()` / `hooks.shouldPause()`
 *   between batches, and reports through `hooks.onBatch` / `hooks.onEpoch`.
 * - step-wise: `trainer.step()` trains one mini-batch; when `trainer.epochDone` call
 *   `trainer.endEpoch()` (validation, early stopping, schedule); repeat until `trainer.done`.
 * Pausing is simply not calling `step()`: nothing random is drawn between steps, so a paused and
 * resumed run ends bit-identical to an uninterrupted one with the same seed. `setLearningRate`
 * may be called at any time between steps (e.g. while paused).
 *
 * Data: x[rows × inputs], y[rows × outputs] (see dataset.ts). The trainer chooses each batch's
 * rows (shuffled epochs or random draws); the model's step plan (Model.plan) gathers them, runs
 * the passes and the update, allocating nothing per step, by whatever fast paths its backend has.
 */
import { checkFinite, checkShape, type Dataset } from './dataset.js';
import { DivergenceError, SpecError } from './errors.js';
import { evaluate, type Evaluation } from './evaluate.js';
import { classOfRow } from './metrics.js';
import type { Model } from './model.js';
import { createOptimizer } from './optimizers.js';
import { PerceptronRule } from './perceptron.js';
import type { BatchSource, PlanDescription, StepPlan } from './plans/plan.js';
import { Random } from './random.js';
import { augmentBatch, augments } from './augment.js';
import { learningRateAt } from './schedule.js';
import { parseTrainConfig, type TrainConfig, type TrainConfigInput } from './spec.js';

/** What happened in one mini-batch. Epoch and batch numbers are 1-based. */
export interface BatchReport {
  epoch: number;
  batch: number;
  batchesPerEpoch: number;
  /** Steps taken since the start of training (1-based). */
  iteration: number;
  rows: number;
  /** The batch's loss (with the weight penalty). */
  loss: number;
  /** Fraction of the batch classified right (classification only). */
  accuracy: number | null;
  learningRate: number;
  /** Training throughput over the epoch so far (pauses excluded). */
  samplesPerSec: number;
}

/** What happened in one epoch. */
export interface EpochReport {
  epoch: number;
  /** The planned number of epochs. */
  epochs: number;
  iteration: number;
  /** Mean loss of the epoch's batches, weighted by their rows. */
  loss: number;
  accuracy: number | null;
  /** Loss and metrics on the validation data, when there is some. */
  validation: Evaluation | null;
  learningRate: number;
  samplesPerSec: number;
  /** Training time of the epoch (pauses excluded). */
  seconds: number;
  /** The epoch with the best monitored loss so far (val loss when validating, else training loss). */
  bestEpoch: number;
  /** Early stopping ended the run after this epoch. */
  earlyStopped: boolean;
}

export type StopReason = 'completed' | 'early-stopped' | 'stopped';

export interface TrainResult {
  reason: StopReason;
  epochs: number;
  iterations: number;
  /** keepBest: the kept epoch (best validation metric); otherwise the best monitored loss's. */
  bestEpoch: number;
  /** The best epoch's weights were put back (early stopping with restoreBest, or keepBest at the end). */
  restoredBest: boolean;
  /** keepBest: the epoch whose weights the run ended on (best validation metric), else null. */
  keptEpoch: number | null;
  history: EpochReport[];
}

export interface TrainHooks {
  onBatch?(report: BatchReport): void;
  onEpoch?(report: EpochReport): void;
  /** Asked between batches: true ends the run (reason 'stopped'), keeping the weights so far. */
  shouldStop?(): boolean;
  /** Asked between batches: while true, training waits (re-asking every 10 ms). */
  shouldPause?(): boolean;
  /** How often to yield to the event loop (default 50 ms). */
  yieldEveryMs?: number;
}

const now = () => performance.now();
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class Trainer {
  readonly config: TrainConfig;
  readonly batchSize: number;
  readonly batchesPerEpoch: number;
  /** Planned epochs (from `epochs`, or from `iterations` ÷ batches per epoch). */
  readonly plannedEpochs: number;
  private readonly rng: Random;
  /**
   * Augmentation of training batches (random shifts and flips of images): its own random stream, so
   * turning it on leaves the shuffles and dropout masks as they were, and the buffer the forward
   * pass reads instead of the gathered batch (which stays as the data holds it).
   */
  private readonly augmentation: { rng: Random; x: Float32Array } | null;
  private readonly order: Int32Array;
  private readonly plan: StepPlan;
  /** The batches of the epoch in progress, as the plan asks for them. */
  private readonly batches: BatchSource;
  /** Batches of this epoch chosen so far (the plan may ask for the next one during a step). */
  private batchesTaken = 0;
  /** The perceptron's learning rule, used instead of backpropagation for `kind: 'perceptron'`. */
  private readonly perceptron: PerceptronRule | null;
  private readonly monitor: 'val_loss' | 'loss';
  /** The best epoch's parameters and state (Model.copyWeightsTo), when early stopping or keepBest restores them. */
  private readonly bestWeights: Float32Array | null;

  private baseLr: number;
  private lr = 0;
  /** 0-based index of the epoch in progress. */
  private epochIndex = 0;
  private batchInEpoch = 0;
  private iteration = 0;
  private totalSamples = 0;
  private lastRows = 0;
  private lastLoss = NaN;
  private lastCorrect = 0;
  private epochLoss = 0;
  private epochSamples = 0;
  private epochCorrect = 0;
  private epochStarted = 0;
  private pausedMs = 0;
  private pausedAt: number | null = null;
  private bestValue = Infinity;
  private bestEpoch = 0;
  private waited = 0;
  private stopReason: StopReason | null = null;
  private restoredBest = false;
  /** keepBest with validation data: the run ends on the epoch with the best validation metric. */
  private readonly keepsBest: boolean;
  private kept: { epoch: number; metric: number; loss: number } | null = null;
  readonly history: EpochReport[] = [];

  constructor(readonly model: Model, readonly data: Dataset, config: TrainConfigInput, readonly validation: Dataset | null = null) {
    this.config = parseTrainConfig(config);
    checkData(model, data, 'training data');
    if (validation) checkData(model, validation, 'validation data');
    if (model.spec.kind === 'perceptron') {
      if (this.config.optimizer.name !== 'sgd') {
        throw new SpecError('optimizer.name', "a perceptron learns by the perceptron rule; choose 'sgd' (its learning rate is the rule's step η)");
      }
    } else {
      model.assertTrainableByBackprop();
    }
    const c = this.config;
    this.batchSize = c.batchSize === 'full' ? data.rows : Math.min(c.batchSize, data.rows);
    this.batchesPerEpoch = Math.ceil(data.rows / this.batchSize);
    this.plannedEpochs = Math.min(c.epochs ?? Infinity, c.iterations ? Math.ceil(c.iterations / this.batchesPerEpoch) : Infinity);
    this.monitor = c.earlyStopping?.monitor ?? (validation ? 'val_loss' : 'loss');
    if (this.monitor === 'val_loss' && !validation) {
      throw new SpecError('earlyStopping.monitor', "'val_loss' needs validation data; monitor 'loss' or give a validation set");
    }
    this.rng = new Random(c.seed);
    this.order = new Int32Array(data.rows);
    for (let i = 0; i < data.rows; i++) this.order[i] = i;
    this.augmentation = augments(c.augment) ? { rng: new Random(c.seed + 0x5eed), x: model.backend.alloc(this.batchSize * model.inputs) } : null;
    this.batches = { data, take: (index) => this.chooseBatch(this.batchesTaken++, index), hasNext: () => this.hasNextBatch() };
    const optimizer = model.spec.kind === 'perceptron' ? null : createOptimizer(c.optimizer, model.paramCount, model.backend);
    this.plan = model.plan(this.batchSize, { optimizer, l1: c.l1, l2: c.l2, data });
    this.perceptron = optimizer ? null : new PerceptronRule(model, this.batchSize);
    this.keepsBest = c.keepBest && validation !== null;
    this.bestWeights = c.earlyStopping?.restoreBest || this.keepsBest ? new Float32Array(model.paramCount + model.stateCount) : null;
    this.baseLr = c.optimizer.lr;
  }

  /** Which path the model's step plan runs (backend, passes, update, gathering). */
  describePlan(): PlanDescription {
    return this.plan.describe();
  }

  /** True when training is over (planned epochs or iterations done, early-stopped, or stopped). */
  get done(): boolean {
    return this.stopReason !== null;
  }

  /** Training rows processed so far (a row drawn twice counts twice). */
  get samplesSeen(): number {
    return this.totalSamples;
  }

  /** True after the last batch of an epoch, until `endEpoch()` is called. */
  get epochDone(): boolean {
    return this.batchInEpoch > 0 && (this.batchInEpoch === this.batchesPerEpoch || this.iterationBudgetSpent());
  }

  /** The learning rate the next step uses (base rate through the schedule). */
  get learningRate(): number {
    return this.batchInEpoch === 0 ? this.scheduledLr(this.epochIndex) : this.lr;
  }

  /** Changes the base learning rate; the schedule applies on top of it from the next step on. */
  setLearningRate(lr: number): void {
    if (!(lr > 0) || !Number.isFinite(lr)) throw new SpecError('optimizer.lr', `the learning rate must be a positive number, got ${lr}`);
    this.baseLr = lr;
    this.lr = this.scheduledLr(this.epochIndex);
  }

  /** Marks the start of a pause, so throughput figures leave it out (optional for step-wise callers). */
  pause(): void {
    this.pausedAt ??= now();
  }

  /** Marks the end of a pause started by `pause()`. */
  resume(): void {
    if (this.pausedAt !== null) this.pausedMs += now() - this.pausedAt;
    this.pausedAt = null;
  }

  /** Ends training now (reason 'stopped'); the weights stay as they are. */
  stop(): void {
    this.stopReason ??= 'stopped';
  }

  /**
   * Trains one mini-batch: forward, loss, backward, update (the plan fuses the last two where it
   * can). Returns the batch's loss. Throws DivergenceError, leaving the weights as they were, if
   * the loss is NaN or infinite.
   */
  step(): number {
    if (this.done) throw new Error('training is over; create a new Trainer to train again');
    if (this.epochDone) throw new Error('call endEpoch() before the next step');
    if (this.batchInEpoch === 0) this.beginEpoch();
    const m = this.model, { l1, l2, augment } = this.config;
    const batch = this.plan.nextBatch(this.batches);
    const x = this.augmentation ? augmentBatch(batch.x, batch.rows, m.spec.input, augment!, this.augmentation.rng, this.augmentation.x) : batch.x;
    const out = this.plan.forward(x, batch.rows, true, this.rng);
    const loss = m.loss.value(out, batch.y, batch.rows, m.outputs) + (this.perceptron ? 0 : m.regularize(l1, l2));
    this.checkLoss(loss);
    if (this.perceptron) this.perceptron.update(x, out, batch.y, batch.rows, this.lr);
    else this.plan.step(batch.y, this.lr);
    this.recordBatch(batch.rows, loss, out, batch.y);
    return loss;
  }

  private checkLoss(loss: number): void {
    if (!Number.isFinite(loss)) throw new DivergenceError(this.epochIndex + 1, this.batchInEpoch + 1, this.lr, 'loss', loss);
  }

  /** The report of the last step (a new object). */
  batchReport(): BatchReport {
    const seconds = this.trainingSeconds();
    return {
      epoch: this.epochIndex + 1,
      batch: this.batchInEpoch,
      batchesPerEpoch: this.batchesPerEpoch,
      iteration: this.iteration,
      rows: this.lastRows,
      loss: this.lastLoss,
      accuracy: this.isClassifier() ? this.lastCorrect / this.lastRows : null,
      learningRate: this.lr,
      samplesPerSec: seconds > 0 ? this.epochSamples / seconds : 0,
    };
  }

  /** Closes the epoch: checks the weights, validates, applies early stopping; returns its report. */
  endEpoch(): EpochReport {
    if (!this.epochDone) throw new Error('the epoch is not finished');
    const epoch = this.epochIndex + 1;
    const bad = firstNonFinite(this.model.params);
    if (bad !== null) throw new DivergenceError(epoch, this.batchInEpoch, this.lr, 'weights', bad);
    const seconds = this.trainingSeconds();
    const validation = this.validation ? evaluate(this.model, this.validation, { l1: this.config.l1, l2: this.config.l2 }) : null;
    const loss = this.epochLoss / this.epochSamples;
    const earlyStopped = this.trackBest(epoch, this.monitor === 'val_loss' ? validation!.loss : loss);
    if (this.keepsBest) this.trackKept(epoch, validation!);
    const report: EpochReport = {
      epoch,
      epochs: this.plannedEpochs,
      iteration: this.iteration,
      loss,
      accuracy: this.isClassifier() ? this.epochCorrect / this.epochSamples : null,
      validation,
      learningRate: this.lr,
      samplesPerSec: seconds > 0 ? this.epochSamples / seconds : 0,
      seconds,
      bestEpoch: this.bestEpoch,
      earlyStopped,
    };
    this.history.push(report);
    this.epochIndex++;
    this.batchInEpoch = 0;
    if (earlyStopped) this.stopReason = 'early-stopped';
    else if (this.epochIndex >= this.plannedEpochs || this.iterationBudgetSpent()) this.stopReason = 'completed';
    if (this.stopReason !== null) this.keepBestAtEnd(epoch);
    return report;
  }

  /** The run so far. */
  result(): TrainResult {
    return {
      reason: this.stopReason ?? 'stopped',
      epochs: this.history.length,
      iterations: this.iteration,
      bestEpoch: this.kept?.epoch ?? this.bestEpoch,
      restoredBest: this.restoredBest,
      keptEpoch: this.kept?.epoch ?? null,
      history: this.history,
    };
  }

  /** The whole run, yielding to the event loop between batches about every `yieldEveryMs`. */
  async train(hooks: TrainHooks = {}): Promise<TrainResult> {
    const yieldEveryMs = hooks.yieldEveryMs ?? 50;
    let lastYield = now();
    while (!this.done) {
      if (hooks.shouldStop?.()) {
        this.stop();
        break;
      }
      if (hooks.shouldPause?.()) {
        this.pause();
        while (hooks.shouldPause() && !hooks.shouldStop?.()) await sleep(10);
        this.resume();
        lastYield = now();
        continue;
      }
      this.step();
      if (hooks.onBatch) hooks.onBatch(this.batchReport());
      if (this.epochDone) {
        const report = this.endEpoch();
        hooks.onEpoch?.(report);
      }
      if (now() - lastYield >= yieldEveryMs) {
        await sleep(0);
        lastYield = now();
      }
    }
    return this.result();
  }

  private beginEpoch(): void {
    this.lr = this.scheduledLr(this.epochIndex);
    if (this.config.sampling === 'shuffle' && this.batchSize < this.data.rows) this.rng.shuffle(this.order);
    this.epochLoss = 0;
    this.epochSamples = 0;
    this.epochCorrect = 0;
    this.epochStarted = now();
    this.pausedMs = 0;
    this.batchesTaken = 0;
  }

  private scheduledLr(epoch: number): number {
    return learningRateAt(this.config.schedule, this.baseLr, epoch, this.plannedEpochs);
  }

  private iterationBudgetSpent(): boolean {
    return this.config.iterations !== undefined && this.iteration >= this.config.iterations;
  }

  /** The rows of batch `b` of the current epoch into `index` (drawn now for random sampling); returns how many. */
  private chooseBatch(b: number, index: Int32Array): number {
    const total = this.data.rows;
    const random = this.config.sampling === 'random' && this.batchSize < total;
    const start = b * this.batchSize;
    const rows = random ? this.batchSize : Math.min(this.batchSize, total - start);
    for (let r = 0; r < rows; r++) index[r] = random ? this.rng.int(total) : this.order[start + r];
    return rows;
  }

  /** Whether a batch follows the one in progress within this epoch and the iteration budget. */
  private hasNextBatch(): boolean {
    if (this.batchInEpoch + 1 >= this.batchesPerEpoch) return false;
    return this.config.iterations === undefined || this.iteration + 1 < this.config.iterations;
  }

  private recordBatch(rows: number, loss: number, out: Float32Array, y: Float32Array): void {
    let correct = 0;
    if (this.isClassifier()) {
      const K = this.model.outputs;
      for (let r = 0; r < rows; r++) if (classOfRow(out, r * K, K) === classOfRow(y, r * K, K)) correct++;
    }
    this.lastRows = rows;
    this.lastLoss = loss;
    this.lastCorrect = correct;
    this.epochLoss += loss * rows;
    this.epochSamples += rows;
    this.totalSamples += rows;
    this.epochCorrect += correct;
    this.batchInEpoch++;
    this.iteration++;
  }

  /** Updates the best epoch; returns true when early stopping's patience has run out. */
  private trackBest(epoch: number, value: number): boolean {
    const es = this.config.earlyStopping;
    if (value < this.bestValue - (es?.minDelta ?? 0)) {
      this.bestValue = value;
      this.bestEpoch = epoch;
      this.waited = 0;
      if (this.bestWeights && !this.keepsBest) this.model.copyWeightsTo(this.bestWeights);
      return false;
    }
    if (!es) return false;
    if (++this.waited < es.patience) return false;
    // With keepBest the weights to end on are the best validation metric's (keepBestAtEnd).
    if (es.restoreBest && !this.keepsBest && this.bestWeights && this.bestEpoch > 0) {
      this.model.setWeights(this.bestWeights);
      this.restoredBest = true;
    }
    return true;
  }

  /**
   * keepBest: remembers the epoch with the best validation metric (accuracy, or R²), a tie going to
   * the lower validation loss. Accuracy, not loss: the cross-entropy of a few confidently wrong rows
   * can rise while more rows come out right (Fashion-MNIST's validation loss is flat from epoch 4
   * to 12 while its accuracy climbs), and on a plateau of equal accuracy the loss still breaks ties.
   */
  private trackKept(epoch: number, validation: Evaluation): void {
    const metric = validation.metrics.kind === 'classification' ? validation.metrics.accuracy : validation.metrics.r2;
    const k = this.kept;
    if (k !== null && !(metric > k.metric || (metric === k.metric && validation.loss < k.loss))) return;
    this.kept = { epoch, metric, loss: validation.loss };
    this.model.copyWeightsTo(this.bestWeights!);
  }

  /** keepBest: a run that ends (completed or early-stopped) ends on its kept epoch's weights, not its last epoch's. */
  private keepBestAtEnd(lastEpoch: number): void {
    if (!this.keepsBest || this.kept === null || this.kept.epoch === lastEpoch) return;
    this.model.setWeights(this.bestWeights!);
    this.restoredBest = true;
  }

  private trainingSeconds(): number {
    return (now() - this.epochStarted - this.pausedMs) / 1000;
  }

  private isClassifier(): boolean {
    return this.model.spec.task === 'classification';
  }
}

function checkData(model: Model, data: Dataset, what: string): void {
  checkShape(data.x, data.rows, model.inputs, `${what}: inputs`);
  try {
    checkShape(data.y, data.rows, model.outputs, `${what}: targets`);
  } catch (e) {
    if (model.outputs > 1 && data.y.length === data.rows && model.spec.task === 'classification') {
      throw new SpecError('', `${what}: targets are one value per row but the model has ${model.outputs} outputs; give one-hot rows (see oneHot)`);
    }
    throw e;
  }
  checkFinite(data.x, model.inputs, `${what}: inputs`);
  checkFinite(data.y, model.outputs, `${what}: targets`);
}

function firstNonFinite(values: Float32Array): number | null {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) return values[i];
  return null;
}
