/**
 * The WebAssembly backend's plan: where each of its fast paths applies, decided here once per
 * model and batch size (and nowhere else):
 * - a dense stack runs its own passes (../plans/dense-passes.ts) with fused epilogues; anything
 *   else runs the typed layers one by one (../plans/layer-passes.ts);
 * - whole-network passes (assembly/network.ts: one kernel call per pass instead of ~20) when the
 *   stack has no dropout (its masks are drawn in JavaScript), the loss's δ_L is one of the
 *   kernel's rules, and no product is big enough to share with helper threads;
 * - fused SGD (the update inside the backward pass) for plain SGD without a weight penalty;
 * - batches gathered by the kernels on every thread, the next one in the background while a step
 *   runs, when the data fits in kernel memory and there are helper threads.
 * None of these choices depends on the number of threads or the machine's load except where the
 * result is the same bit for bit (gathering copies exactly), so a run computes the same on one
 * thread or several.
 */
import type { Model } from '../model.js';
import { DensePasses, denseStackDropout, outputDelta } from '../plans/dense-passes.js';
import { BatchBuffers, copyRows, JsGatherer, WIDE_ROW } from '../plans/gather.js';
import { LayerPasses } from '../plans/layer-passes.js';
import { composePlan, type Batch, type BatchSource, type Gatherer, type PlanTraining, type StepPlan } from '../plans/plan.js';
import type { WasmBackend } from './wasm-backend.js';

/**
 * Whole-network passes run on the calling thread: a stack with a product of this many
 * multiply-adds or more at full capacity goes layer by layer, where the products are shared with
 * helper threads (the backend's default sharing threshold, whatever its threads and options).
 */
const PASSES_MAX_MADDS = 1 << 17;
/** Datasets up to this many floats (1 GiB of inputs and targets) may be copied into kernel memory to be gathered there. */
const KERNEL_GATHER_MAX_FLOATS = 2 ** 28;

export function wasmPlan(be: WasmBackend, model: Model, capacity: number, training: PlanTraining | null): StepPlan {
  const gatherer = (training && kernelGatherer(be, model, capacity, training)) || new JsGatherer(be, training ? capacity : 0, model.inputs, model.outputs);
  const dropout = denseStackDropout(model.spec);
  if (dropout === null) return composePlan(model, capacity, new LayerPasses(model, capacity, training), gatherer);
  const delta = outputDelta(model.loss, model.layers[model.layers.length - 1].activation);
  const whole = delta !== null && dropout.every((rate) => rate === 0) && model.layers.every((l) => capacity * l.inputs * l.units < PASSES_MAX_MADDS);
  const passes = new DensePasses(model, capacity, training, {
    networkPasses: whole ? (layers, rows) => be.networkPasses(layers, delta, rows) : undefined,
    fusedSgd: training?.optimizer?.name === 'sgd' && training.l1 === 0 && training.l2 === 0,
  });
  return composePlan(model, capacity, passes, gatherer);
}

/**
 * A gatherer on the kernels' threads, over a copy of the inputs and targets in kernel memory
 * (random rows wait on memory: two threads copy them about twice as fast as one). Only when that
 * pays and is safe: helper threads (a shared memory, which grows on demand; a single thread's
 * fixed reservation could be exhausted by the copy), rows wide enough, batches smaller than the
 * data, and at most 1 GiB; null otherwise, or when the memory cannot take it.
 */
function kernelGatherer(be: WasmBackend, model: Model, capacity: number, training: PlanTraining): KernelGatherer | null {
  const { data } = training, C = model.inputs, K = model.outputs;
  if (be.threads < 2 || C < WIDE_ROW || capacity >= data.rows) return null;
  const nx = data.rows * C, ny = data.rows * K;
  if (nx + ny > KERNEL_GATHER_MAX_FLOATS) return null;
  let x: Float32Array, y: Float32Array;
  try {
    x = be.alloc(nx);
    y = be.alloc(ny);
  } catch (e) {
    if (e instanceof RangeError) return null; // out of kernel memory: gather in JavaScript
    throw e;
  }
  x.set(data.x.subarray(0, nx));
  y.set(data.y.subarray(0, ny));
  return new KernelGatherer(be, { x, y }, capacity, C, K);
}

/**
 * Each batch gathered by the kernels; the next one posted as a step's backward pass begins (after
 * the forward pass has drawn its dropout masks, so the random sequence is the one without
 * prefetching) and copied by the helper threads while this thread computes.
 */
class KernelGatherer implements Gatherer {
  readonly description = { gather: 'background' };
  private current: BatchBuffers;
  private following: BatchBuffers;
  /** Rows of the batch posted in the background (0: none). */
  private posted = 0;
  private readonly targets: { out: Float32Array; src: Float32Array; n: number };

  constructor(private readonly be: WasmBackend, private readonly data: { x: Float32Array; y: Float32Array }, capacity: number,
    private readonly inputs: number, outputs: number) {
    this.current = new BatchBuffers(be, capacity, inputs, outputs);
    this.following = new BatchBuffers(be, capacity, inputs, outputs);
    this.targets = { out: this.following.y, src: data.y, n: outputs };
  }

  next(source: BatchSource): Batch {
    if (this.posted > 0) {
      this.be.finishGatherRows();
      const done = this.following; // swapped, not copied: nothing allocated per step
      this.following = this.current;
      this.current = done;
      this.current.rows = this.posted;
      this.posted = 0;
      return this.current;
    }
    const b = this.current, rows = source.take(b.index);
    if (this.be.gatherRows(b.x, this.data.x, b.index, rows, this.inputs) && this.be.gatherRows(b.y, this.data.y, b.index, rows, b.outputs)) b.rows = rows;
    else copyRows(b, source.data, rows);
    return b;
  }

  prefetch(source: BatchSource): void {
    if (!source.hasNext()) return; // the next epoch's order is drawn when it begins
    const b = this.following, rows = source.take(b.index);
    this.targets.out = b.y; // the targets go with the inputs, by the same rows
    if (!this.be.startGatherRows(b.x, this.data.x, b.index, rows, this.inputs, this.targets)) {
      throw new Error('the backend declined a background gather from its own memory');
    }
    this.posted = rows;
  }
}
