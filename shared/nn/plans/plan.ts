/**
 * A step plan: how one backend runs one model's passes over batches of up to `capacity` rows.
 * The trainer and the evaluator see only this; every decision about fast paths (whole-network
 * passes, fused epilogues, fused SGD, gathering batches on helper threads, native kernels) is a
 * plan's, made once when the plan is made (Backend.plan), never in the trainer or the layers.
 *
 *   forward    x → y                         (training: dropout on, caches kept for backward)
 *   backward   after forward: ∂L/∂params
 *   step       after forward: backward, then the optimizer's update (fused where the plan can)
 *   nextBatch  the rows the trainer chose, gathered into the plan's buffers
 *   describe   which path runs (the About box, `bench --json`)
 *
 * A plan is two parts (composePlan): passes (the maths) and a gatherer (moving batches).
 */
import type { Dataset } from '../dataset.js';
import type { Model } from '../model.js';
import type { Optimizer } from '../optimizers.js';
import type { Random } from '../random.js';

/** A mini-batch in a plan's buffers: x[rows × inputs], y[rows × outputs]. */
export interface Batch {
  x: Float32Array;
  y: Float32Array;
  rows: number;
}

/** Which dataset rows each step trains on: the trainer's (it owns the order and the random stream). */
export interface BatchSource {
  readonly data: Dataset;
  /** Chooses the next batch (random rows are drawn now): its row numbers into `index`; returns how many. */
  take(index: Int32Array): number;
  /** Whether another batch follows the one being trained in this epoch and within the step budget. */
  hasNext(): boolean;
}

/** What a plan for training is told up front (null: inference and inspection only). */
export interface PlanTraining {
  /** The update after backward; null for the perceptron rule, which the trainer applies itself. */
  optimizer: Optimizer | null;
  l1: number;
  l2: number;
  /** The training data, which a plan may copy where its kernels gather batches. */
  data: Dataset;
}

/** Which path a plan runs, in words a person can read (identifiers, not translated prose). */
export interface PlanDescription {
  backend: string;
  threads: number;
  /** 'typed layers', 'dense layers' or 'whole-network passes'. */
  passes: string;
  /** Products with their activation applied in the same pass (Backend.matmulActivate). */
  fusedEpilogues: boolean;
  /** 'fused SGD' (the update inside the backward pass), 'optimizer', or 'none' (inference). */
  update: string;
  /** 'background' (helper threads, during the step), 'kernel' (helper threads, at the step), 'javascript'. */
  gather: string;
}

/** One line: "wasm-relaxed-simd ×2 · whole-network passes · fused SGD · gather background". */
export function planSummary(d: PlanDescription): string {
  return [`${d.backend} ×${d.threads}`, d.passes + (d.fusedEpilogues ? ' + fused epilogues' : ''), d.update, `gather ${d.gather}`].join(' · ');
}

export interface StepPlan {
  readonly capacity: number;
  /** Outputs [rows × outputs] of x[rows × inputs], a view valid until the next forward. */
  forward(x: Float32Array, rows: number, training?: boolean, rng?: Random | null): Float32Array;
  /** After forward: ∂L/∂params for targets t added to grads, or written over them with `overwrite`. */
  backward(t: Float32Array, grads: Float32Array, overwrite?: boolean): void;
  /** After a training forward: backward and the optimizer's update at learning rate lr. */
  step(t: Float32Array, lr: number): void;
  /** The batch of the source's next rows, in this plan's buffers (valid until the next call). */
  nextBatch(source: BatchSource): Batch;
  describe(): PlanDescription;
}

/** The maths half of a plan. */
export interface Passes {
  forward(x: Float32Array, rows: number, training: boolean, rng: Random | null): Float32Array;
  backward(t: Float32Array, grads: Float32Array, overwrite: boolean): void;
  step(t: Float32Array, lr: number): void;
  readonly description: Pick<PlanDescription, 'passes' | 'fusedEpilogues' | 'update'>;
}

/** The data-movement half of a plan. */
export interface Gatherer {
  next(source: BatchSource): Batch;
  /** Called as a step's backward pass begins: a gatherer may start on the next batch now. */
  prefetch?(source: BatchSource): void;
  readonly description: Pick<PlanDescription, 'gather'>;
}

/** A plan from its two halves. */
export function composePlan(model: Model, capacity: number, passes: Passes, gatherer: Gatherer): StepPlan {
  let source: BatchSource | null = null;
  return {
    capacity,
    forward: (x, rows, training = false, rng = null) => {
      if (rows > capacity) throw new Error(`batch of ${rows} rows in a plan for ${capacity}`);
      return passes.forward(x, rows, training, rng);
    },
    backward: (t, grads, overwrite = false) => passes.backward(t, grads, overwrite),
    step: (t, lr) => {
      if (source !== null) gatherer.prefetch?.(source);
      passes.step(t, lr);
    },
    nextBatch: (s) => {
      source = s;
      return gatherer.next(s);
    },
    describe: () => ({ backend: model.backend.name, threads: model.backend.threads, ...passes.description, ...gatherer.description }),
  };
}

/**
 * The unfused update, shared by every plan: gradients (written over, so no zeroing pass), the
 * weight penalty's gradient, then the optimizer.
 */
export function backwardThenUpdate(passes: Pick<Passes, 'backward'>, model: Model, training: PlanTraining, grads: Float32Array,
  t: Float32Array, lr: number): void {
  if (!training.optimizer) throw new Error('this plan was made without an optimizer (the perceptron rule updates on its own)');
  passes.backward(t, grads, true);
  model.regularize(training.l1, training.l2, grads);
  training.optimizer.update(model.params, grads, lr);
}
