/**
 * The engine benchmark's workloads, identical to ../shared/bench/peers.py (same shapes,
 * hyperparameters and synthetic data sizes; the data is random, only speed is measured):
 *   tiny        2-8(tanh)-8(tanh)-1(sigmoid), 500 'circles' points, BCE, SGD lr 0.03, batch 10,
 *               weights N(0, 0.5²), 50 epochs of shuffled batches
 *   seed2layer  784-50(sigmoid)-10(softmax), CE, SGD lr 0.1, batch 100, weights N(0, 0.01²),
 *               2000 iterations of random mini-batches (the tutorials' TwoLayerNet recipe)
 *   mlp         784-256(relu)-128(relu)-10(softmax), CE, Adam lr 1e-3, batch 128, He-normal
 *               weights, 3 epochs of shuffled batches
 *   lenet       LeNet-5 on 1×28×28: conv 6@5×5 pad 2 relu, maxpool 2, conv 16@5×5 relu, maxpool 2,
 *               dense 120 relu, 84 relu, 10 softmax; Adam 1e-3, batch 64, 300 steps (PyTorch's count)
 *   cnn         conv 32@3×3 relu, maxpool 2, conv 64@3×3 relu, maxpool 2, dense 128 relu, 10 softmax;
 *               Adam 1e-3, batch 128, 80 steps (PyTorch's count)
 * on 60000×784 uniform [0, 1) floats with random labels (seed2layer, mlp; lenet and cnn read them
 * as 1×28×28 images).
 * Only training is timed (the trainer's step and epoch bookkeeping), not making the data. A short
 * untimed warm-up on a little data comes first, so V8 has compiled the kernels before the clock
 * starts (as any benchmark of a JIT-compiled runtime does; the Python peers need none). A workload
 * that trains in less than half a second (tiny: ~6 ms) is run again, each run from a new model,
 * until the timed runs add up to that, and samples/s is taken over all of them: a few
 * milliseconds cannot be measured on a shared machine.
 */
import type { ActivationName } from './activations.js';
import type { Backend } from './backend.js';
import { jsBackend } from './backend-js.js';
import { oneHot, type Dataset } from './dataset.js';
import type { InitSpec } from './init.js';
import { Model } from './model.js';
import { Random } from './random.js';
import { inferShapes, parseModelSpec, type LayerSpecInput, type ModelSpecInput, type TrainConfigInput } from './spec.js';
import { planSummary } from './plans/plan.js';
import { Trainer } from './trainer.js';

export const WORKLOADS = ['tiny', 'seed2layer', 'mlp', 'lenet', 'cnn'] as const;
export type WorkloadName = (typeof WORKLOADS)[number];

export interface BenchResult {
  workload: WorkloadName;
  samples_per_s: number;
  seconds: number;
  backend: string;
  threads: number;
  /** Useful floating-point work per second (forward, weight gradients, input deltas; 2 per multiply-add). */
  gflops: number;
  samples: number;
  /** Whole runs of the workload timed (more than 1 when one run is shorter than minSeconds). */
  runs: number;
  final_loss: number;
  /** Which path the backend's step plan ran (Backend.plan → describe). */
  plan: string;
}

export interface BenchOptions {
  backend?: Backend;
  /** Fraction of the default amount of work, for quick runs (default 1 = exactly peers.py's). */
  scale?: number;
  /** Run a short untimed warm-up first (default true). */
  warmup?: boolean;
  /** Repeat the workload until the timed runs add up to this many seconds (default MIN_TIMED_SECONDS). */
  minSeconds?: number;
}

/** The shortest timed span the benchmark reports on. */
export const MIN_TIMED_SECONDS = 0.5;

/** Work of one untimed warm-up run, as a fraction of the full workload (and of its data, below). */
const WARMUP_SCALE = 0.02;
/**
 * Warm-up runs repeat for at least this long. Measured on seed2layer: after 300 ms of warm-up the
 * first ~1500 steps of a run still ran ~8% below the steady speed (V8 finishing its optimising
 * compiles in the background while both cores train); after ~1.5 s they no longer do.
 */
const WARMUP_MS = 1500;

/** peers.py's `load()`: rows of 784 uniform [0, 1) floats with random labels 0–9 (one-hot). */
export function syntheticImages(rows: number, seed = 0): Dataset {
  const rng = new Random(seed);
  const x = new Float32Array(rows * 784);
  for (let i = 0; i < x.length; i++) x[i] = rng.uniform();
  const labels = new Int32Array(rows);
  for (let r = 0; r < rows; r++) labels[r] = rng.int(10);
  return { x, y: oneHot(labels, 10), rows };
}

/** peers.py's `circles()`: n/2 points of radius U(0, 2) labelled 1, n/2 of radius U(3, 5) labelled 0. */
export function circles(n = 500, seed = 0): Dataset {
  const rng = new Random(seed);
  const x = new Float32Array(n * 2), y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const inner = i < n / 2;
    const r = inner ? rng.range(0, 2) : rng.range(3, 5);
    const a = rng.range(0, 2 * Math.PI);
    x[2 * i] = r * Math.cos(a);
    x[2 * i + 1] = r * Math.sin(a);
    y[i] = inner ? 1 : 0;
  }
  return { x, y, rows: n };
}

interface Workload {
  spec: ModelSpecInput;
  config: TrainConfigInput;
  /** The training data; `warmup` asks for a little of it. */
  data: (warmup: boolean) => Dataset;
}

const dense = (units: number, activation: ActivationName, init: InitSpec): LayerSpecInput => ({ type: 'dense', units, activation, init });

function workload(name: WorkloadName, scale: number): Workload {
  switch (name) {
    case 'tiny': {
      const init = { name: 'normal', std: 0.5 } as const;
      return {
        spec: { version: 2, input: [2], layers: [dense(8, 'tanh', init), dense(8, 'tanh', init), dense(1, 'sigmoid', init)], loss: 'binary-crossentropy', task: 'classification' },
        config: { optimizer: { name: 'sgd', lr: 0.03 }, batchSize: 10, sampling: 'shuffle', epochs: Math.max(1, Math.round(50 * scale)), seed: 0 },
        data: () => circles(500, 0),
      };
    }
    case 'seed2layer': {
      const init = { name: 'normal', std: 0.01 } as const;
      return {
        spec: { version: 2, input: [784], layers: [dense(50, 'sigmoid', init), dense(10, 'softmax', init)], loss: 'categorical-crossentropy', task: 'classification' },
        config: { optimizer: { name: 'sgd', lr: 0.1 }, batchSize: 100, sampling: 'random', iterations: Math.max(1, Math.round(2000 * scale)), seed: 0 },
        data: (warmup) => syntheticImages(warmup ? 1000 : 60000, 0),
      };
    }
    case 'mlp': {
      const init = { name: 'he-normal' } as const;
      return {
        spec: { version: 2, input: [784], layers: [dense(256, 'relu', init), dense(128, 'relu', init), dense(10, 'softmax', init)], loss: 'categorical-crossentropy', task: 'classification' },
        config: { optimizer: { name: 'adam', lr: 1e-3 }, batchSize: 128, sampling: 'shuffle', epochs: 3, seed: 0 },
        // Scaled runs keep the 3 epochs and shrink the data.
        data: (warmup) => syntheticImages(Math.max(128, Math.round(60000 * (warmup ? WARMUP_SCALE : scale))), 0),
      };
    }
    case 'lenet':
    case 'cnn': {
      const he = { name: 'he-normal' } as const;
      const conv = (filters: number, kernel: number, padding: 'valid' | 'same'): LayerSpecInput => ({ type: 'conv2d', filters, kernel, padding, activation: 'relu', init: he });
      const pool: LayerSpecInput = { type: 'maxpool2d', size: 2 };
      const layers = name === 'lenet'
        ? [conv(6, 5, 'same'), pool, conv(16, 5, 'valid'), pool, dense(120, 'relu', he), dense(84, 'relu', he), dense(10, 'softmax', he)]
        : [conv(32, 3, 'valid'), pool, conv(64, 3, 'valid'), pool, dense(128, 'relu', he), dense(10, 'softmax', he)];
      const batchSize = name === 'lenet' ? 64 : 128;
      const steps = name === 'lenet' ? 300 : 80;
      return {
        spec: { version: 2, input: [1, 28, 28], layers, loss: 'categorical-crossentropy', task: 'classification' },
        config: { optimizer: { name: 'adam', lr: 1e-3 }, batchSize, sampling: 'shuffle', iterations: Math.max(1, Math.round(steps * scale)), seed: 0 },
        data: (warmup) => syntheticImages(warmup ? 2000 : 60000, 0),
      };
    }
    default: throw new Error(`unknown workload ${String(name satisfies never)}`);
  }
}

/**
 * Floating-point operations per training sample in the products of dense and convolution layers
 * (2 per multiply-add): the forward pass, ∂W, and ∂X except for the first layer. A convolution
 * is a product of [OC × C·k·k] by [C·k·k × OH·OW] per image.
 */
export function trainingFlopsPerSample(model: Model): number {
  const spec = parseModelSpec(model.spec);
  const shapes = inferShapes(spec);
  let flops = 0;
  let first = true;
  spec.layers.forEach((layer, i) => {
    const input = i === 0 ? spec.input : shapes[i - 1];
    const inputs = input.reduce((a, b) => a * b, 1);
    let multiplyAdds = 0;
    if (layer.type === 'dense') multiplyAdds = inputs * layer.units;
    else if (layer.type === 'conv2d') {
      const [, oh, ow] = shapes[i] as [number, number, number];
      multiplyAdds = layer.filters * input[0] * layer.kernel * layer.kernel * oh * ow;
    } else return;
    flops += 2 * multiplyAdds * (first ? 2 : 3);
    first = false;
  });
  return flops;
}

/** Runs one workload and measures its training throughput. */
export function runWorkload(name: WorkloadName, options: BenchOptions = {}): BenchResult {
  const scale = options.scale ?? 1;
  if (!(scale > 0 && scale <= 1)) throw new RangeError(`scale must be in (0, 1], got ${scale}`);
  const backend = options.backend ?? jsBackend;
  if (options.warmup ?? true) {
    // Small runs until V8 has had WARMUP_MS to profile and optimise the hot loops.
    const until = performance.now() + WARMUP_MS;
    do train(workload(name, WARMUP_SCALE), true, backend);
    while (performance.now() < until);
  }
  const minSeconds = options.minSeconds ?? MIN_TIMED_SECONDS;
  let seconds = 0, samples = 0, runs = 0;
  let last: ReturnType<typeof train>;
  do {
    last = train(workload(name, scale), false, backend);
    seconds += last.seconds;
    samples += last.trainer.samplesSeen;
    runs++;
  } while (seconds < minSeconds);
  return {
    workload: name,
    samples_per_s: samples / seconds,
    seconds,
    backend: backend.name,
    threads: backend.threads,
    gflops: (trainingFlopsPerSample(last.model) * samples) / seconds / 1e9,
    samples,
    runs,
    final_loss: last.loss,
    plan: planSummary(last.trainer.describePlan()),
  };
}

/** Trains a workload to the end; only the training loop is timed. */
function train(w: Workload, warmup: boolean, backend: Backend) {
  const model = Model.create(w.spec, { seed: 0, backend });
  const trainer = new Trainer(model, w.data(warmup), w.config);
  let loss = NaN;
  const started = performance.now();
  while (!trainer.done) {
    loss = trainer.step();
    if (trainer.epochDone) trainer.endEpoch();
  }
  return { model, trainer, loss, seconds: (performance.now() - started) / 1000 };
}
