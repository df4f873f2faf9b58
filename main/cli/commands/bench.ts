/** `nn-studio bench`: the engine benchmark, the workloads of ../shared/bench/peers.py on synthetic data. */
import { UsageError, type Command } from '../command.js';
import { BACKEND_CHOICES, openBackend, type BackendChoice } from '../../engine/backends.js';
import { peerRatios, runPeers, type PeerRatio } from '../../engine/peers.js';
import { runWorkload, WORKLOADS, type BenchResult, type WorkloadName } from '../../../shared/nn/bench.js';

/**
 * The peers' throughput (samples/s) that studio-design.md records for these machines, shown
 * beside ours in the human-readable table. The targets are ratios measured in one run on the same
 * machine: run ../shared/bench/peers.py next to this for a fair comparison.
 */
const PEERS: Record<WorkloadName, { numpy: number; target: number }> = {
  tiny: { numpy: 168e3, target: 10 },
  seed2layer: { numpy: 194e3, target: 1 },
  mlp: { numpy: 42e3, target: 1 },
  lenet: { numpy: 3.7e3, target: 1.5 },
  cnn: { numpy: 1.6e3, target: 1 },
};

export const bench: Command = {
  name: 'bench',
  summary: 'benchmark the engine on the tiny, seed2layer, mlp, lenet and cnn workloads (samples/s)',
  usage: [
    'Usage: nn-studio bench [--workload tiny|seed2layer|mlp|lenet|cnn] [--json] [--backend auto|wasm|js] [--threads N] [--scale F] [--compare]',
    '',
    'Trains the benchmark workloads of the design doc (the same shapes, hyperparameters and synthetic',
    'data as ../shared/bench/peers.py) and reports training throughput:',
    '  tiny        2-8(tanh)-8(tanh)-1(sigmoid), 500 points, SGD lr 0.03, batch 10, 50 epochs',
    '  seed2layer  784-50(sigmoid)-10(softmax), SGD lr 0.1, batch 100, 2000 random mini-batches',
    '  mlp         784-256(relu)-128(relu)-10, Adam lr 1e-3, batch 128, 3 epochs of 60000 rows',
    '  lenet       LeNet-5 on 1×28×28 (conv 6@5×5 pad 2, pool, conv 16@5×5, pool, 120, 84, 10), Adam 1e-3, batch 64, 300 steps',
    '  cnn         conv 32@3×3, pool, conv 64@3×3, pool, dense 128, 10 on 1×28×28, Adam 1e-3, batch 128, 80 steps',
    '',
    '  --workload NAME   run one workload (default: all five)',
    '  --json            one JSON line per workload: {"workload","samples_per_s","seconds","backend","threads","gflops","runs","plan",…}',
    '  --backend NAME    auto (default: the fastest available), wasm or js',
    '  --scale F         do only this fraction (0–1] of the work, for a quick look (default 1)',
    '  --threads N       threads of the wasm backend (default: every core)',
    '  --compare         then run ../shared/bench/peers.py (NumPy, PyTorch, …) here and print our ratio to each',
  ].join('\n'),
  options: {
    workload: { type: 'string' },
    json: { type: 'boolean' },
    backend: { type: 'string' },
    scale: { type: 'string' },
    threads: { type: 'string' },
    compare: { type: 'boolean' },
  },
  async run({ values, out, err }) {
    const workloads = values.workload === undefined ? [...WORKLOADS] : [oneOf('--workload', values.workload, WORKLOADS)];
    const choice = oneOf('--backend', values.backend ?? 'auto', BACKEND_CHOICES) as BackendChoice;
    const scale = values.scale === undefined ? 1 : Number(values.scale);
    if (!(scale > 0 && scale <= 1)) throw new UsageError(`--scale expects a number in (0, 1], got '${String(values.scale)}'`);
    const threads = values.threads === undefined ? undefined : Number(values.threads);
    if (threads !== undefined && !(Number.isInteger(threads) && threads >= 1)) throw new UsageError(`--threads expects a whole number of at least 1, got '${String(values.threads)}'`);
    const opened = await openBackend(choice, { threads });
    const results: BenchResult[] = [];
    if (opened.fallback) err(`nn-studio bench: using the JS backend (${opened.fallback})`);
    try {
      if (!values.json) out(`${'workload'.padEnd(11)} ${'samples/s'.padStart(12)} ${'seconds'.padStart(8)} ${'GFLOP/s'.padStart(8)}  backend`);
      for (const name of workloads) {
        const result = runWorkload(name, { backend: opened.backend, scale });
        results.push(result);
        out(values.json ? JSON.stringify(result) : describe(result));
      }
    } finally {
      await opened.dispose();
    }
    if (values.compare) await comparePeers(workloads, results, Boolean(values.json), out, err);
    return 0;
  },
};

/** Runs the Python peers on the same workloads and prints our ratio to each (JSON lines with --json). */
async function comparePeers(workloads: WorkloadName[], results: BenchResult[], json: boolean, out: (line: string) => void, err: (line: string) => void): Promise<void> {
  const peers = await runPeers(workloads);
  if ('unavailable' in peers) {
    err(`nn-studio bench: no peer comparison: ${peers.unavailable}`);
    return;
  }
  const ratios = peerRatios(results, peers);
  if (json) {
    for (const r of ratios) out(JSON.stringify({ type: 'ratio', ...r }));
    return;
  }
  out('');
  out(`${'workload'.padEnd(11)} ${'peer'.padEnd(14)} ${'peer samples/s'.padStart(14)}  ratio`);
  for (const r of ratios) out(describeRatio(r));
}

function describeRatio(r: PeerRatio): string {
  return `${r.workload.padEnd(11)} ${r.peer.padEnd(14)} ${Math.round(r.peer_samples_per_s).toLocaleString('en-US').padStart(14)}  ${r.ratio.toFixed(2)}×`;
}

function describe(r: BenchResult): string {
  const peer = PEERS[r.workload];
  const ratio = r.samples_per_s / peer.numpy;
  return `${r.workload.padEnd(11)} ${Math.round(r.samples_per_s).toLocaleString('en-US').padStart(12)} ${r.seconds.toFixed(3).padStart(8)} ${r.gflops.toFixed(2).padStart(8)}  ` +
    `${r.backend}${r.threads > 1 ? ` ×${r.threads} threads` : ''}   (${ratio.toFixed(1)}× the NumPy figure in the design doc, target ${peer.target}×)`;
}

function oneOf<T extends string>(flag: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new UsageError(`${flag} expects one of ${allowed.join(', ')}; got '${String(value)}'`);
  }
  return value as T;
}
