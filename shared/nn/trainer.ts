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
 * Data: x[rows × inputs], y[rows × outputs] (see dataset.ts). Every batch is gathered into buffers
 * allocated once from the model's backend; a step allocates nothing. A backend that gathers rows
 * itself on several threads (Backend.gatherRows: the WebAssembly one) gets a copy of wide inputs and
 * their targets in its memory at the start and gathers the batches there (see kernelCopyOfData);
 * when it can do that in the background, each step posts the next step's batch right after its
 * forward pass.
 */
import type { Backend } from './backend.js';
import { checkFinite, checkShape, type Dataset } from './dataset.js';
import { DivergenceError, SpecError } from './errors.js';
import { evaluate, type Evaluation } from './evaluate.js';
import { classOfRow } from './metrics.js';
import type { Model, ParamViews, Workspace } from './model.js';
import { createOptimizer, type Optimizer } from './optimizers.js';
import { perceptronUpdate } from './perceptron.js';
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
/** Rows at least this wide are gathered with TypedArray.set. */
const WIDE_ROW = 64;
/** Datasets up to this many floats (1 GiB of inputs and targets) may be copied into the backend's memory to be gathered there. */
const KERNEL_GATHER_MAX_FLOATS = 2 ** 28;
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
  private xb: Float32Array;
  private yb: Float32Array;
  /** The rows of the next batch (dataset row numbers). */
  private batchRows: Int32Array;
  /**
   * The next step's batch, gathered in the background during this step (Backend.startGatherRows)
   * when the inputs are in kernel memory: its buffers, and its row count (0: none posted).
   */
  private readonly next: { xb: Float32Array; yb: Float32Array; batchRows: Int32Array; targets: { out: Float32Array; src: Float32Array; n: number } } | null;
  private nextRows = 0;
  /**
   * The inputs and targets copied once into the backend's memory when the backend gathers batches
   * itself (Backend.gatherRows: on several threads), else null (gathered in JavaScript from data).
   */
  private readonly kernelData: { x: Float32Array; y: Float32Array } | null;
  private readonly ws: Workspace;
  private readonly grads: ParamViews;
  private readonly optimizer: Optimizer | null;
  /** Plain SGD without a weight penalty: the update is fused into the backward pass (Model.descend). */
  private readonly descends: boolean;
  private readonly backend: Backend;
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
    this.backend = model.backend;
    this.xb = this.backend.alloc(this.batchSize * model.inputs);
    this.augmentation = augments(c.augment) ? { rng: new Random(c.seed + 0x5eed), x: this.backend.alloc(this.batchSize * model.inputs) } : null;
    this.yb = this.backend.alloc(this.batchSize * model.outputs);
    this.batchRows = new Int32Array(this.batchSize);
    this.ws = model.workspace(this.batchSize);
    this.grads = model.viewsOf(this.backend.alloc(model.paramCount));
    this.optimizer = model.spec.kind === 'perceptron' ? null : createOptimizer(c.optimizer, model.paramCount, this.backend);
    this.descends = this.optimizer?.name === 'sgd' && c.l1 === 0 && c.l2 === 0 && !model.typed;
    this.kernelData = kernelCopyOfData(this.backend, data, model.inputs, model.outputs, this.batchSize);
    this.next = this.kernelData !== null && this.backend.startGatherRows !== undefined ? this.nextBatchBuffers(this.kernelData.y) : null;
    this.keepsBest = c.keepBest && validation !== null;
    this.bestWeights = c.earlyStopping?.restoreBest || this.keepsBest ? new Float32Array(model.paramCount + model.stateCount) : null;
    this.baseLr = c.optimizer.lr;
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
   * Trains one mini-batch: gather, forward, loss, backward, penalty, update (backward and update in
   * one pass for plain SGD). Returns the batch's loss. Throws DivergenceError, leaving the weights
   * as they were, if the loss is NaN or infinite.
   */
  step(): number {
    if (this.done) throw new Error('training is over; create a new Trainer to train again');
    if (this.epochDone) throw new Error('call endEpoch() before the next step');
    if (this.batchInEpoch === 0) this.beginEpoch();
    const m = this.model;
    const rows = this.nextRows > 0 ? this.takeNextBatch() : this.gatherBatch();
    const x = this.augmentation ? augmentBatch(this.xb, rows, m.spec.input, this.config.augment!, this.augmentation.rng, this.augmentation.x) : this.xb;
    const out = m.forward(this.ws, x, rows, true, this.rng);
    this.postNextBatch(); // after the forward pass has drawn its dropout masks: the random sequence stays the same
    let loss = m.loss.value(out, this.yb, rows, m.outputs);
    if (this.descends) {
      this.checkLoss(loss);
      m.descend(this.ws, this.yb, this.lr);
    } else if (this.optimizer) {
      m.backward(this.ws, this.yb, this.grads, true); // overwrites every gradient: no fill(0) pass
      loss += m.regularize(this.config.l1, this.config.l2, this.grads);
      this.checkLoss(loss);
      this.optimizer.update(m.params, this.grads.flat, this.lr);
    } else {
      this.checkLoss(loss);
      perceptronUpdate(m, this.ws, this.yb, this.lr);
    }
    this.recordBatch(rows, loss, out);
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
  }

  private scheduledLr(epoch: number): number {
    return learningRateAt(this.config.schedule, this.baseLr, epoch, this.plannedEpochs);
  }

  private iterationBudgetSpent(): boolean {
    return this.config.iterations !== undefined && this.iteration >= this.config.iterations;
  }

  /** Copies the next batch's rows into xb/yb; returns how many rows it has. */
  private gatherBatch(): number {
    const { x, y } = this.data;
    const C = this.model.inputs, K = this.model.outputs;
    const rows = this.chooseBatch(this.batchInEpoch, this.batchRows);
    const xb = this.xb, yb = this.yb, index = this.batchRows, kd = this.kernelData;
    if (kd !== null && this.backend.gatherRows!(xb, kd.x, index, rows, C) && this.backend.gatherRows!(yb, kd.y, index, rows, K)) return rows;
    for (let r = 0; r < rows; r++) {
      const src = index[r];
      // Wide rows go by memcpy (TypedArray.set, twice as fast on image rows, at the price of one
      // short-lived view object per row); narrow ones by a loop, which allocates nothing.
      if (C >= WIDE_ROW) xb.set(x.subarray(src * C, src * C + C), r * C);
      else for (let k = 0, s = src * C, d = r * C; k < C; k++) xb[d + k] = x[s + k];
      for (let k = 0, s = src * K, d = r * K; k < K; k++) yb[d + k] = y[s + k];
    }
    return rows;
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

  /**
   * Chooses the next step's batch and posts its gather to the backend's helper threads, which copy
   * it while the rest of this step runs on this thread alone. Only within an epoch (the next
   * epoch's shuffle is drawn when it begins) and when there will be a next step.
   */
  private postNextBatch(): void {
    const next = this.next;
    if (next === null || this.batchInEpoch + 1 >= this.batchesPerEpoch) return;
    if (this.config.iterations !== undefined && this.iteration + 1 >= this.config.iterations) return;
    const rows = this.chooseBatch(this.batchInEpoch + 1, next.batchRows);
    next.targets.out = next.yb; // the targets go with the inputs, by the same rows
    if (!this.backend.startGatherRows!(next.xb, this.kernelData!.x, next.batchRows, rows, this.model.inputs, next.targets)) {
      throw new Error('the backend declined a background gather from its own memory');
    }
    this.nextRows = rows;
  }

  /** Buffers for the next step's batch (allocated once, like the current batch's). */
  private nextBatchBuffers(targets: Float32Array) {
    const yb = this.backend.alloc(this.batchSize * this.model.outputs);
    return {
      xb: this.backend.alloc(this.batchSize * this.model.inputs),
      yb,
      batchRows: new Int32Array(this.batchSize),
      targets: { out: yb, src: targets, n: this.model.outputs },
    };
  }

  /** Completes the batch posted during the last step and makes it the current one. */
  private takeNextBatch(): number {
    this.backend.finishGatherRows!();
    const next = this.next!, rows = this.nextRows;
    const xb = this.xb, yb = this.yb, batchRows = this.batchRows; // swapped one by one: nothing allocated per step
    this.xb = next.xb;
    this.yb = next.yb;
    this.batchRows = next.batchRows;
    next.xb = xb;
    next.yb = yb;
    next.batchRows = batchRows;
    this.nextRows = 0;
    return rows;
  }

  private recordBatch(rows: number, loss: number, out: Float32Array): void {
    let correct = 0;
    if (this.isClassifier()) {
      const K = this.model.outputs;
      for (let r = 0; r < rows; r++) if (classOfRow(out, r * K, K) === classOfRow(this.yb, r * K, K)) correct++;
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

/**
 * The inputs and targets copied into the backend's memory, for Backend.gatherRows to gather
 * batches on all its threads (twice as fast as one thread copying in JavaScript: random rows wait
 * on memory). Only when that pays and is safe: a backend with several threads (whose memory grows
 * on demand; a single-threaded one has a fixed reservation the copy could exhaust), rows wide
 * enough, batches smaller than the data, and at most 1 GiB; null otherwise, or when the memory
 * cannot take it.
 */
function kernelCopyOfData(backend: Backend, data: Dataset, inputs: number, outputs: number, batchSize: number): { x: Float32Array; y: Float32Array } | null {
  if (backend.gatherRows === undefined || backend.threads < 2 || inputs < WIDE_ROW || batchSize >= data.rows) return null;
  const nx = data.rows * inputs, ny = data.rows * outputs;
  if (nx + ny > KERNEL_GATHER_MAX_FLOATS) return null;
  let x: Float32Array, y: Float32Array;
  try {
    x = backend.alloc(nx);
    y = backend.alloc(ny);
  } catch (e) {
    if (e instanceof RangeError) return null; // out of kernel memory: gather in JavaScript
    throw e;
  }
  x.set(data.x.subarray(0, nx));
  y.set(data.y.subarray(0, ny));
  return { x, y };
}

function firstNonFinite(values: Float32Array): number | null {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) return values[i];
  return null;
}
