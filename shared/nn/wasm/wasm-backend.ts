/**
 * The WebAssembly SIMD backend: the engine's kernels (../backend.ts) computed by the compiled
 * AssemblyScript in ./assembly: the three matrix products (shared with helper threads when that
 * pays, see policy.ts), a convolution layer's passes (one call per pass for the whole batch),
 * sumRows, Backend.axpy, Backend.adam, the activations the layers route
 * through it (sigmoid, tanh, relu and their derivatives, softmax), the gathering of mini-batch
 * rows and whole-network passes for small networks; each tested against the engine's JavaScript
 * definitions. Which of them a model uses is its plan's choice (wasm-plan.ts).
 *
 * Tensors made with `alloc` live in the kernels' memory and are used in place. Any other
 * Float32Array still works: it is copied into a staging area for the call (and results copied
 * back), which is correct but costs a pass over the data; the engine's hot tensors should come
 * from `alloc`. Outputs must not overlap inputs.
 */
import type { Backend } from '../backend.js';
import type { ConvGeometry } from '../layers/geometry.js';
import type { Model } from '../model.js';
import type { NetworkPasses, OutputDelta, PassLayer } from '../plans/dense-passes.js';
import type { PlanTraining, StepPlan } from '../plans/plan.js';
import { wasmPlan } from './wasm-plan.js';
import { WasmArena } from './arena.js';
import { instantiateKernels, type KernelExports } from './kernels.js';
import type { WasmVariant } from './features.js';
import { ParallelPolicy } from './policy.js';
import type { KernelThread, SpawnKernelThread } from './threads.js';

export interface WasmBackendOptions {
  /** The compiled kernels of `variant` (a WebAssembly.Module; compile the bytes first). */
  module: WebAssembly.Module;
  variant: WasmVariant;
  /** Threads to compute with, counting the caller (default 1). More than 1 needs a shared variant and `spawn`. */
  threads?: number;
  /** Starts a helper thread (platform-specific: main/engine/wasm-threads.ts for Node). */
  spawn?: SpawnKernelThread;
  /** Memory reserved up front when the variant's memory is private (it cannot grow safely). Default 256 MiB. */
  reserveMiB?: number;
  /** Spins a helper makes waiting for the next job before it sleeps. Default 1 << 16. */
  spin?: number;
  /** Products with fewer multiply-adds than this run on the calling thread alone. */
  parallelMinMadds?: number;
  /**
   * Time products both ways and share only those that gain (default true; see policy.ts). False:
   * always share products of at least parallelMinMadds (tests of the threaded path).
   */
  adaptive?: boolean;
}

const PAGE = 65536;
/**
 * Every this many steps of an optimizer (its own count, so a run's results never depend on what the
 * backend ran before it), state below STATE_FLOOR is set to 0, before it can decay into
 * subnormal floats (slow on x86, and WebAssembly cannot flush them: see assembly/elementwise.ts).
 * From 1e-20 a moment needs over 16 steps even at β = 0.06 to become subnormal.
 */
const FLUSH_EVERY = 16;
const STATE_FLOOR = 1e-20;
/** Size of the ring of recently used views (see knownViews). */
const KNOWN_VIEWS = 48;
/** The activations with element-wise kernels (assembly/elementwise.ts ACT_*). */
const ELEMENTWISE_ACTIVATION: Record<string, number | undefined> = { sigmoid: 1, tanh: 2, relu: 3 };
/**
 * The activations a product's epilogue and the whole-network passes compute (assembly/elementwise.ts
 * ACT_*); the passes also do softmax as the output of cross-entropy.
 */
const FUSED_ACTIVATION: Record<string, number | undefined> = { ...ELEMENTWISE_ACTIVATION, identity: 4 };
const ACT_SOFTMAX = 5;
/** assembly/network.ts DELTA_*. */
const DELTA_RULE: Record<OutputDelta['rule'], number> = { 'softmax-crossentropy': 1, difference: 2, 'difference-derivative': 3 };
/** Fields of one layer-table entry, in assembly/network.ts's `Layer` order. */
const LAYER_FIELDS = 8;
/** Shared memories may grow to wasm32's 4 GiB (the build declares this maximum). */
const SHARED_MAX_PAGES = 65536;
const SHARED_INITIAL_PAGES = 256;
/**
 * Below this many multiply-adds a product is too small to share: handing tiles to a helper costs
 * about as much as it saves (measured on 2 cores: two threads start to win near 64×64×32).
 */
const DEFAULT_PARALLEL_MIN_MADDS = 1 << 17;
/** Gathers of at least this many bytes share the rows with the helper threads (assembly/gather.ts). */
const GATHER_PARALLEL_BYTES = 1 << 16;

export class WasmBackend implements Backend {
  readonly name: string;
  readonly threads: number;
  private readonly arena: WasmArena;
  private readonly policy: ParallelPolicy;
  private readonly adaptive: boolean;
  /** The shape key and start time of the product being timed (-1: none). */
  private timedKey = -1;
  private timedStart = 0;
  private scratch = 0;
  private scratchBytes = 0;
  private convScratchAt = 0;
  private poolRecordAt = 0;
  private convScratchBytes = 0;
  private staging = 0;
  private stagingBytes = 0;
  private stagingUsed = 0;
  /** Outputs of the current call that live outside kernel memory (at most 4 per kernel). */
  private readonly stagedViews: (Float32Array | null)[] = [null, null, null, null];
  private readonly stagedAt = new Float64Array(4);
  private readonly stagedLength = new Float64Array(4);
  private stagedCount = 0;
  /** Kernel memory holding the row numbers of gatherRows [0] and of the background gather [1] (Int32), grown rarely. */
  private readonly gatherIndex: (Int32Array | null)[] = [null, null];
  private disposed = false;
  /**
   * Views recently found in kernel memory and their byte offsets. A training step passes the same
   * few dozen views every time, and V8 (11.x) charges about 25 ns for `.buffer` + `.byteOffset`:
   * an identity scan of this ring is cheaper, which matters for tiny networks' many small calls.
   */
  private readonly knownViews: (Float32Array | null)[] = new Array<Float32Array | null>(KNOWN_VIEWS).fill(null);
  private readonly knownOffsets = new Float64Array(KNOWN_VIEWS);
  private knownNext = 0;

  private constructor(
    private readonly k: KernelExports,
    readonly variant: WasmVariant,
    private readonly helpers: KernelThread[],
    arena: WasmArena,
    parallelMinMadds: number,
    adaptive: boolean,
  ) {
    this.name = variant.name;
    this.threads = helpers.length + 1;
    this.arena = arena;
    this.policy = new ParallelPolicy(parallelMinMadds);
    this.adaptive = adaptive;
  }

  /** Instantiates the kernels, reserves their memory and starts the helper threads. */
  static async create(options: WasmBackendOptions): Promise<WasmBackend> {
    const { module, variant } = options;
    const threads = Math.max(1, Math.floor(options.threads ?? 1));
    if (threads > 1 && !variant.shared) throw new Error(`${variant.file} has private memory: it cannot use ${threads} threads`);
    if (threads > 1 && !options.spawn) throw new Error('more than one thread needs a way to start threads (options.spawn)');
    const memory = variant.shared
      ? new WebAssembly.Memory({ initial: SHARED_INITIAL_PAGES, maximum: SHARED_MAX_PAGES, shared: true })
      : new WebAssembly.Memory({ initial: Math.ceil(((options.reserveMiB ?? 256) * 2 ** 20) / PAGE) });
    const k = await instantiateKernels(module, memory);
    const arena = new WasmArena(memory, k.heapBase(), variant.shared);
    const control = arena.allocBytes(k.controlBytes(threads));
    k.setControl(control);
    const helpers: KernelThread[] = [];
    try {
      for (let tid = 1; tid < threads; tid++) {
        helpers.push(await options.spawn!({ module, memory, control, tid, spin: options.spin ?? 1 << 16 }));
      }
    } catch (e) {
      await stopHelpers(k, helpers);
      throw e;
    }
    return new WasmBackend(k, variant, helpers, arena, options.parallelMinMadds ?? DEFAULT_PARALLEL_MIN_MADDS, options.adaptive ?? true);
  }

  /** A zeroed Float32Array of n elements in the kernels' memory (64-byte aligned). */
  alloc(n: number): Float32Array {
    return this.arena.f32(this.arena.allocBytes(n * 4), n);
  }

  /** The plan that decides this backend's fast paths for a model (wasm-plan.ts). */
  plan(model: Model, capacity: number, training: PlanTraining | null): StepPlan {
    return wasmPlan(this, model, capacity, training);
  }

  /** Units of work (tiles of a product) the helper threads have computed so far: shows sharing. */
  get helperUnits(): number {
    return this.k.helperUnits();
  }

  /** Bytes of kernel memory in use (tensors, scratch and staging). */
  get usedBytes(): number {
    return this.arena.usedBytes;
  }

  matmul(out: Float32Array, a: Float32Array, b: Float32Array, M: number, K: number, N: number, bias?: Float32Array | null): void {
    this.product(out, null, 0, a, b, M, K, N, bias ?? null);
  }

  /**
   * Backend.matmulActivate: z = a·b + bias and act = f(z) for sigmoid, tanh, relu or identity,
   * f applied to each 6×8 tile right after it is stored (still in L1) instead of in a pass over z
   * afterwards, and on every thread the product runs on. False for other activations.
   */
  matmulActivate(z: Float32Array, act: Float32Array, a: Float32Array, b: Float32Array, M: number, K: number, N: number,
    bias: Float32Array | null, name: string): boolean {
    const kind = FUSED_ACTIVATION[name];
    if (kind === undefined) return false;
    this.product(z, act, kind, a, b, M, K, N, bias);
    return true;
  }

  /** out = a·b (+ bias), and act = f(out) when act is given (f: assembly/elementwise.ts kind). */
  private product(out: Float32Array, act: Float32Array | null, kind: number, a: Float32Array, b: Float32Array,
    M: number, K: number, N: number, bias: Float32Array | null): void {
    this.begin();
    const pa = this.input(a, M * K);
    const pb = this.input(b, K * N);
    const pbias = bias ? this.input(bias, N) : 0;
    const po = this.output(out, M * N, false);
    const pact = act ? this.output(act, M * N, false) : 0;
    const scratch = this.gemmScratch(K, N);
    const parallel = this.share(0, M, K, N);
    this.k.matmul(po, pa, pb, M, K, N, pbias, act ? kind : 0, pact, scratch, parallel);
    this.shared(parallel);
    this.end();
  }

  matmulTransA(out: Float32Array, a: Float32Array, b: Float32Array, M: number, K: number, N: number, accumulate: boolean): void {
    this.begin();
    const pa = this.input(a, M * K);
    const pb = this.input(b, M * N);
    const po = this.output(out, K * N, accumulate);
    const scratch = this.gemmScratch(M, N);
    const parallel = this.share(1, M, K, N);
    this.k.matmulTransA(po, pa, pb, M, K, N, accumulate, scratch, parallel);
    this.shared(parallel);
    this.end();
  }

  matmulTransB(out: Float32Array, a: Float32Array, b: Float32Array, M: number, K: number, N: number, accumulate: boolean): void {
    this.begin();
    const pa = this.input(a, M * N);
    const pb = this.input(b, K * N);
    const po = this.output(out, M * K, accumulate);
    const scratch = this.gemmScratch(N, K);
    const parallel = this.share(2, M, K, N);
    this.k.matmulTransB(po, pa, pb, M, K, N, accumulate, scratch, parallel);
    this.shared(parallel);
    this.end();
  }

  sumRows(out: Float32Array, a: Float32Array, M: number, N: number, accumulate: boolean): void {
    this.begin();
    const pa = this.input(a, M * N);
    const po = this.output(out, N, accumulate);
    this.k.sumRows(po, pa, M, N, accumulate);
    this.end();
  }

  /**
   * Backend.conv2dForward: the whole batch in one call (assembly/conv2d.ts), images shared with the
   * helper threads, the bias and the activation (sigmoid, tanh, relu, identity: a, not z) in the products' epilogue.
   */
  conv2dForward(z: Float32Array, inp: Float32Array, weight: Float32Array, bias: Float32Array | null, g: ConvGeometry,
    a: Float32Array | null, activation: string): boolean {
    const kind = a ? FUSED_ACTIVATION[activation] ?? 0 : 0;
    const R = g.C * g.k * g.k, P = g.OH * g.OW, n = g.B * g.OC * P;
    this.begin();
    const pi = this.input(inp, g.B * g.C * g.H * g.W), pw = this.input(weight, g.OC * R);
    const pb = bias ? this.input(bias, g.OC) : 0;
    // Fused, the epilogue overwrites each tile with f(tile) where it was stored: a alone is written.
    const pa = kind ? this.output(a!, n, false) : this.output(z, n, false);
    const scratch = this.convScratch(g);
    const parallel = this.share(3, g.OC, R, g.B * P);
    this.k.convForward(scratch, pa, pi, pw, pb, kind, pa, parallel);
    this.shared(parallel);
    this.end();
    return kind !== 0;
  }

  /** Backend.conv2dBackward: the filter gradient (per-group partials added in a fixed order), then the input gradient. */
  conv2dBackward(dinp: Float32Array | null, dweight: Float32Array, delta: Float32Array, inp: Float32Array, weight: Float32Array,
    g: ConvGeometry): void {
    const R = g.C * g.k * g.k, P = g.OH * g.OW;
    this.begin();
    const pd = this.input(delta, g.B * g.OC * P), pi = this.input(inp, g.B * g.C * g.H * g.W), pw = this.input(weight, g.OC * R);
    const pdw = this.output(dweight, g.OC * R, true);
    const pdi = dinp ? this.output(dinp, g.B * g.C * g.H * g.W, false) : 0;
    const scratch = this.convScratch(g);
    let parallel = this.share(4, g.OC, R, g.B * P);
    this.k.convFilterGradient(scratch, pdw, pd, pi, parallel);
    this.shared(parallel);
    if (dinp) {
      parallel = this.share(5, g.OC, R, g.B * P);
      this.k.convInputGradient(scratch, pdi, pd, pw, parallel);
      this.shared(parallel);
    }
    this.end();
  }

  /** Backend.sumChannels: out[c] (+)= Σ_b Σ_p a[b][c][p]. */
  sumChannels(out: Float32Array, a: Float32Array, B: number, C: number, P: number, accumulate: boolean): void {
    this.begin();
    const pa = this.input(a, B * C * P);
    this.k.sumChannels(this.output(out, C, accumulate), pa, B, C, P, accumulate);
    this.end();
  }

  /**
   * Backend.maxPoolForward: window maxima and their indices (argmax staged like any tensor when
   * outside kernel memory); planes shared with the helper threads when there are many.
   */
  maxPoolForward(out: Float32Array, argmax: Int32Array, inp: Float32Array, planes: number, H: number, W: number,
    size: number, stride: number, OH: number, OW: number): void {
    this.begin();
    const n = planes * OH * OW;
    const pi = this.input(inp, planes * H * W);
    const po = this.output(out, n, false);
    const pa = this.output(asFloats(argmax), n, false);
    const parallel = this.share(6, planes, H, W);
    this.k.maxPoolForward(this.poolRecord(), po, pa, pi, planes, H, W, size, stride, OH, OW, parallel);
    this.shared(parallel);
    this.end();
  }

  /** Backend.maxPoolBackward: dinp = 0, then each output's gradient added at its argmax (where gate[o] > 0, with a gate). */
  maxPoolBackward(dinp: Float32Array, dout: Float32Array, argmax: Int32Array, planes: number, H: number, W: number, OH: number, OW: number,
    gate: Float32Array | null): void {
    this.begin();
    const n = planes * OH * OW;
    const pg = this.input(dout, n), pa = this.input(asFloats(argmax), n), pgate = gate ? this.input(gate, n) : 0;
    const pd = this.output(dinp, planes * H * W, false);
    const parallel = this.share(7, planes, H, W);
    this.k.maxPoolBackward(this.poolRecord(), pd, pg, pa, pgate, planes, H, W, OH, OW, parallel);
    this.shared(parallel);
    this.end();
  }

  /**
   * A mini-batch's rows: out row r = src row index[r] (n floats each), shared with the helper
   * threads when the batch is large. False, doing nothing, when out or src lies outside kernel
   * memory (a dataset is never staged: it is copied once by whoever wants it gathered here).
   */
  gatherRows(out: Float32Array, src: Float32Array, index: Int32Array, rows: number, n: number): boolean {
    this.begin();
    checkLength(out, rows * n);
    const pOut = this.offsetOf(out), pSrc = this.offsetOf(src);
    if (pOut < 0 || pSrc < 0) return false;
    const pIndex = this.rowNumbers(0, index, rows, Math.floor(src.length / n));
    const parallel = this.helpers.length > 0 && rows * n * 4 >= GATHER_PARALLEL_BYTES;
    this.k.gatherRows(pOut, pSrc, pIndex, rows, n * 4, parallel);
    return true;
  }

  /**
   * gatherRows in the background, of one table or two by the same row numbers (`also`: a batch's
   * targets with its inputs): posts the gather and returns; the helper threads copy the rows while
   * they have no other work (assembly/gather.ts), and finishGatherRows completes it. One at a time:
   * starting one finishes the previous. False, doing nothing, where gatherRows would be.
   */
  startGatherRows(out: Float32Array, src: Float32Array, index: Int32Array, rows: number, n: number,
    also?: { out: Float32Array; src: Float32Array; n: number }): boolean {
    this.begin();
    checkLength(out, rows * n);
    const pOut = this.offsetOf(out), pSrc = this.offsetOf(src);
    if (pOut < 0 || pSrc < 0) return false;
    let pOut2 = 0, pSrc2 = 0, bytes2 = 0;
    if (also) {
      checkLength(also.out, rows * also.n);
      pOut2 = this.offsetOf(also.out);
      pSrc2 = this.offsetOf(also.src);
      if (pOut2 < 0 || pSrc2 < 0) return false;
      if (Math.floor(also.src.length / also.n) < Math.floor(src.length / n)) throw new RangeError('startGatherRows: the second table has fewer rows than the first');
      bytes2 = also.n * 4;
    }
    this.k.finishGatherRows(); // an earlier background gather may still read its row numbers
    const pIndex = this.rowNumbers(1, index, rows, Math.floor(src.length / n));
    this.k.startGatherRows(pOut, pSrc, pIndex, rows, n * 4, pOut2, pSrc2, bytes2);
    return true;
  }

  /** The background gather's rows are all in place on return (whatever is left is copied here). */
  finishGatherRows(): void {
    this.begin();
    this.k.finishGatherRows();
  }

  /**
   * out = f(z) over rows×cols, for the activations these kernels have (sigmoid, tanh, relu
   * element-wise, softmax row by row: the formulas of ../activations.ts, e^x to about 1 ulp).
   * Returns false, doing nothing, for others.
   */
  activationForward(name: string, out: Float32Array, z: Float32Array, rows: number, cols: number): boolean {
    const kind = ELEMENTWISE_ACTIVATION[name];
    if (!kind && name !== 'softmax') return false;
    this.begin();
    const n = rows * cols;
    const pz = this.input(z, n), po = this.output(out, n, false);
    if (kind) this.k.activationForward(kind, po, pz, n);
    else this.k.softmaxRows(po, pz, rows, cols);
    this.end();
    return true;
  }

  /** dz = da ⊙ f'(z) (a = f(z)) over n elements; dz may alias da. False for activations it lacks. */
  activationBackward(name: string, dz: Float32Array, da: Float32Array, z: Float32Array, a: Float32Array, n: number): boolean {
    const kind = ELEMENTWISE_ACTIVATION[name];
    if (!kind) return false;
    this.begin();
    const pda = this.input(da, n), pz = this.input(z, n), pa = this.input(a, n);
    this.k.activationBackward(kind, this.output(dz, n, false), pda, pz, pa, n);
    this.end();
    return true;
  }

  /**
   * Whole-network passes of a dense stack, bound to its buffers: the layer table is written once
   * into kernel memory, so a pass is one call (assembly/network.ts), on the calling thread. Null
   * when a layer's activation has no kernel here or a buffer lies outside kernel memory. When
   * they are worth it is the plan's decision (wasm-plan.ts).
   */
  networkPasses(layers: readonly PassLayer[], delta: OutputDelta, capacity: number): NetworkPasses | null {
    const L = layers.length - 1;
    const acts: number[] = [];
    for (const [i, l] of layers.entries()) {
      const act = i === L && l.activation === 'softmax' && delta.rule === 'softmax-crossentropy' ? ACT_SOFTMAX : FUSED_ACTIVATION[l.activation];
      if (act === undefined) return null;
      if (this.offsetOf(l.z) < 0 || this.offsetOf(l.a) < 0 || this.offsetOf(l.delta) < 0) return null;
      acts.push(act);
    }
    const bytes = this.k.networkLayerBytes();
    if (bytes !== LAYER_FIELDS * 4) throw new Error(`the kernels' layer table has ${bytes}-byte entries, ${LAYER_FIELDS * 4} expected`);
    const table = this.arena.allocBytes(layers.length * bytes);
    const fields = new Int32Array(this.arena.memory.buffer, table, layers.length * LAYER_FIELDS);
    let scratchBytes = 0;
    layers.forEach((l, i) => {
      fields.set([l.inputs, l.units, acts[i], l.wOffset * 4, l.bOffset < 0 ? -1 : l.bOffset * 4, l.z.byteOffset, l.a.byteOffset, l.delta.byteOffset], i * LAYER_FIELDS);
      scratchBytes = Math.max(scratchBytes, this.k.gemmScratchBytes(l.inputs, l.units), this.k.gemmScratchBytes(capacity, l.units), this.k.gemmScratchBytes(l.units, l.inputs));
    });
    const scratch = this.arena.allocBytes(scratchBytes);
    const inputs = layers[0].inputs, outputs = layers[L].units, rule = DELTA_RULE[delta.rule];
    const checkRows = (rows: number) => {
      if (!(rows >= 0 && rows <= capacity)) throw new RangeError(`a pass of ${rows} rows over buffers for ${capacity}`);
    };
    return {
      forward: (params, x, rows) => {
        checkRows(rows);
        this.begin();
        const pp = this.input(params, params.length), px = this.input(x, rows * inputs);
        this.k.networkForward(table, layers.length, pp, px, rows, scratch);
        this.end();
      },
      backward: (params, grads, x, t, rows, accumulate, scale) => {
        checkRows(rows);
        this.begin();
        // With grads = params (fused SGD) the weights are an output too: staged, they are copied back.
        const pp = grads === params ? this.output(params, params.length, true) : this.input(params, params.length);
        const pg = grads === params ? pp : this.output(grads, grads.length, accumulate);
        const px = this.input(x, rows * inputs), pt = this.input(t, rows * outputs);
        this.k.networkBackward(table, layers.length, pp, pg, px, pt, rows, rule, (delta.averaged ? scale / rows : scale), accumulate, scratch);
        this.end();
      },
    };
  }

  /** y[0..n) += α·x[0..n) (Backend.axpy: the SGD step w ← w − η·g). */
  axpy(y: Float32Array, x: Float32Array, n: number, alpha: number): void {
    this.begin();
    const px = this.input(x, n);
    this.k.axpy(this.output(y, n, true), px, n, alpha);
    this.end();
  }

  /**
   * One Adam/AdamW step over n parameters (Backend.adam: the optimizer folds the bias corrections
   * into stepSize and invSqrtBc2, and the decoupled decay into decay). 1−β is computed here in
   * float64: 1 − float32(0.999) would be off by 1e-5 relative.
   */
  adam(w: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, n: number,
    beta1: number, beta2: number, eps: number, stepSize: number, invSqrtBc2: number, decay: number, step: number): void {
    this.begin();
    const pg = this.input(g, n);
    const pw = this.output(w, n, true), pm = this.output(m, n, true), pv = this.output(v, n, true);
    this.k.adamUpdate(pw, pg, pm, pv, n, beta1, 1 - beta1, beta2, 1 - beta2, eps, stepSize, invSqrtBc2, decay);
    if (step % FLUSH_EVERY === 0) this.tidyState(pm, pv, n);
    this.end();
  }

  /**
   * Stops the helper threads (they leave their loop when told; any that have not within 2 s are
   * terminated, and counted). The backend must not be used afterwards.
   */
  async dispose(): Promise<{ terminated: number }> {
    if (this.disposed) return { terminated: 0 };
    this.disposed = true;
    this.k.finishGatherRows(); // helpers leave their loop only between units
    return stopHelpers(this.k, this.helpers);
  }

  /** Checks the row numbers of a gather and copies them into kernel memory (slot 0 or 1); returns their offset. */
  private rowNumbers(slot: 0 | 1, index: Int32Array, rows: number, srcRows: number): number {
    checkLength(index, rows);
    let idx = this.gatherIndex[slot];
    if (idx === null || idx.length < rows) {
      const f = this.alloc(Math.max(rows, 256));
      idx = this.gatherIndex[slot] = new Int32Array(f.buffer, f.byteOffset, f.length);
    }
    for (let r = 0; r < rows; r++) {
      const s = index[r];
      if (!(s >= 0 && s < srcRows)) throw new RangeError(`gatherRows: row ${s} of a source with ${srcRows} rows`);
      idx[r] = s;
    }
    return idx.byteOffset;
  }

  /** Zeroes the moments m and v below STATE_FLOOR. */
  private tidyState(m: number, v: number, n: number): void {
    this.k.flushTiny(m, n, STATE_FLOOR);
    this.k.flushTiny(v, n, STATE_FLOOR);
  }

  /**
   * Whether to share this call with the helpers (products: form 0 A·B, 1 Aᵀ·B, 2 A·Bᵀ; convolutions
   * 3–5, pooling 6–7, sized M·K·N as their loops are); starts timing it when the policy is learning from it.
   */
  private share(form: number, M: number, K: number, N: number): boolean {
    const madds = M * K * N;
    if (this.helpers.length === 0 || madds < this.policy.minMadds) return false;
    if (!this.adaptive) return true;
    this.timedKey = ParallelPolicy.key(form, M, K, N);
    const parallel = this.policy.choose(this.timedKey, madds);
    this.timedStart = performance.now();
    return parallel;
  }

  /** Ends the timing started by share(). */
  private shared(parallel: boolean): void {
    if (this.timedKey < 0) return;
    this.policy.record(this.timedKey, parallel, performance.now() - this.timedStart);
    this.timedKey = -1;
  }

  /** The pooling kernels' argument record (allocated once). */
  private poolRecord(): number {
    if (this.poolRecordAt === 0) this.poolRecordAt = this.arena.allocBytes(this.k.poolRecordBytes());
    return this.poolRecordAt;
  }

  /** A convolution's scratch (its geometry, offset tables, partial sums, each thread's panels), grown rarely. */
  private convScratch(g: ConvGeometry): number {
    const k = this.k;
    const bytes = k.convScratchBytes(g.B, g.C, g.H, g.W, g.OC, g.k, g.stride, g.padTop, g.padLeft, g.OH, g.OW, this.threads);
    if (bytes > this.convScratchBytes) {
      this.convScratchBytes = Math.max(bytes, this.convScratchBytes * 2);
      this.convScratchAt = this.arena.allocBytes(this.convScratchBytes);
    }
    k.convSetup(this.convScratchAt, g.B, g.C, g.H, g.W, g.OC, g.k, g.stride, g.padTop, g.padLeft, g.OH, g.OW, this.threads);
    return this.convScratchAt;
  }

  /** Scratch for a GEMM with `red` terms and `cols` output columns (packed B), grown rarely. */
  private gemmScratch(red: number, cols: number): number {
    const bytes = this.k.gemmScratchBytes(red, cols);
    if (bytes > this.scratchBytes) {
      this.scratchBytes = Math.max(bytes, this.scratchBytes * 2);
      this.scratch = this.arena.allocBytes(this.scratchBytes);
    }
    return this.scratch;
  }

  private begin(): void {
    if (this.disposed) throw new Error('this WebAssembly backend has been disposed');
    this.stagingUsed = 0;
    this.stagedCount = 0;
  }

  /** The byte offset of `view` in kernel memory, copying it into staging when it lives elsewhere. */
  private input(view: Float32Array, n: number): number {
    checkLength(view, n);
    const at = this.offsetOf(view);
    if (at >= 0) return at;
    const ptr = this.stage(n);
    this.arena.f32(ptr, n).set(view.subarray(0, n));
    return ptr;
  }

  /** The byte offset for an output; a foreign array is staged (with its contents when the kernel reads them). */
  private output(view: Float32Array, n: number, readsOld: boolean): number {
    checkLength(view, n);
    const at = this.offsetOf(view);
    if (at >= 0) return at;
    const ptr = this.stage(n);
    if (readsOld) this.arena.f32(ptr, n).set(view.subarray(0, n));
    const k = this.stagedCount++;
    this.stagedViews[k] = view;
    this.stagedAt[k] = ptr;
    this.stagedLength[k] = n;
    return ptr;
  }

  /** The byte offset of a view into kernel memory, or -1 for any other array. */
  private offsetOf(view: Float32Array): number {
    const views = this.knownViews;
    for (let i = 0; i < KNOWN_VIEWS; i++) if (views[i] === view) return this.knownOffsets[i];
    if (!this.arena.owns(view)) return -1;
    const k = this.knownNext;
    this.knownNext = (k + 1) % KNOWN_VIEWS;
    views[k] = view;
    return (this.knownOffsets[k] = view.byteOffset);
  }

  /** Copies staged outputs back to the caller's arrays. */
  private end(): void {
    for (let k = 0; k < this.stagedCount; k++) {
      this.stagedViews[k]!.set(this.arena.f32(this.stagedAt[k], this.stagedLength[k]));
      this.stagedViews[k] = null;
    }
    this.stagedCount = 0;
  }

  private stage(n: number): number {
    const bytes = Math.ceil((n * 4) / 64) * 64;
    if (this.stagingUsed + bytes > this.stagingBytes) {
      // Grow to hold everything this call stages; earlier operands of this call were staged in
      // the old area, which stays valid (blocks are never reused), so only new ones go here.
      this.stagingBytes = Math.max(2 * this.stagingBytes, 4 * bytes, 1 << 16);
      this.staging = this.arena.allocBytes(this.stagingBytes);
      this.stagingUsed = 0;
    }
    const ptr = this.staging + this.stagingUsed;
    this.stagingUsed += bytes;
    return ptr;
  }
}

/** The same bytes as Float32 (copies of a same-typed array move bytes, so staging keeps every index exact). */
function asFloats(x: Int32Array): Float32Array {
  return new Float32Array(x.buffer, x.byteOffset, x.length);
}

function checkLength(view: { readonly length: number }, n: number): void {
  if (view.length < n) throw new RangeError(`a kernel operand has ${view.length} elements, ${n} expected`);
}

async function stopHelpers(k: KernelExports, helpers: KernelThread[]): Promise<{ terminated: number }> {
  if (helpers.length === 0) return { terminated: 0 };
  k.postExit();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), 2000)));
  const settled = await Promise.race([Promise.all(helpers.map((h) => h.exited)).then(() => 'ok' as const), timeout]);
  clearTimeout(timer);
  if (settled === 'ok') return { terminated: 0 };
  await Promise.all(helpers.map((h) => h.terminate()));
  return { terminated: helpers.length };
}
