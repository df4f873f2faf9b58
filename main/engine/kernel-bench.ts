/**
 * A micro-benchmark of a backend's matrix products on the shapes the engine benchmark's
 * workloads run (../shared/bench/peers.py): the forward product, the weight gradient (Aᵀ·B) and
 * the input delta (A·Bᵀ) of seed2layer's and mlp's big layers. GFLOP/s = 2·M·K·N / time.
 * Each shape is timed in several rounds of back-to-back calls; the best and the median round are
 * reported (other processes on a shared machine only ever make a round slower).
 */
import type { Backend } from '../../shared/nn/backend.js';

export type MatmulForm = 'A·B' | 'Aᵀ·B' | 'A·Bᵀ';

export interface MatmulShape {
  /** Which workload's layer this is. */
  label: string;
  form: MatmulForm;
  /** Sizes as in backend.ts: a[M×K]·b[K×N]; Aᵀ·B: a[M×K], b[M×N]; A·Bᵀ: a[M×N], b[K×N]. */
  M: number;
  K: number;
  N: number;
}

export interface MatmulBenchRow extends MatmulShape {
  backend: string;
  threads: number;
  /** Best round. */
  gflops: number;
  /** Median round. */
  gflopsMedian: number;
  /** Time of one call in the best round. */
  microseconds: number;
}

/** The benchmark workloads' products (batch 100 for seed2layer, 128 for mlp). */
export const BENCH_MATMULS: readonly MatmulShape[] = [
  { label: 'seed2layer forward 784→50', form: 'A·B', M: 100, K: 784, N: 50 },
  { label: 'seed2layer ∂W 784×50', form: 'Aᵀ·B', M: 100, K: 784, N: 50 },
  { label: 'mlp forward 784→256', form: 'A·B', M: 128, K: 784, N: 256 },
  { label: 'mlp ∂W 784×256', form: 'Aᵀ·B', M: 128, K: 784, N: 256 },
  { label: 'mlp forward 256→128', form: 'A·B', M: 128, K: 256, N: 128 },
  { label: 'mlp δ 128→256', form: 'A·Bᵀ', M: 128, K: 256, N: 128 },
];

/** Times every shape on `backend`; `roundMs` per round, `rounds` rounds. */
export function benchMatmuls(backend: Backend, shapes: readonly MatmulShape[] = BENCH_MATMULS, { roundMs = 60, rounds = 7 } = {}): MatmulBenchRow[] {
  return shapes.map((shape) => {
    const call = prepare(backend, shape);
    const flop = 2 * shape.M * shape.K * shape.N;
    // Warm up (tier-up to optimised code) and find how many calls fill a round.
    let calls = 1;
    for (let t = time(call, 1); t < roundMs / 4; t = time(call, calls)) calls *= 2;
    calls = Math.max(1, Math.round((calls * roundMs) / Math.max(time(call, calls), 1e-3)));
    const perCall = Array.from({ length: rounds }, () => time(call, calls) / calls).sort((a, b) => a - b);
    const best = perCall[0];
    const median = perCall[Math.floor(rounds / 2)];
    return { ...shape, backend: backend.name, threads: backend.threads, gflops: flop / best / 1e6, gflopsMedian: flop / median / 1e6, microseconds: best * 1000 };
  });
}

/** Operands on the backend (random, as real weights are) and the call to time. */
function prepare(be: Backend, { form, M, K, N }: MatmulShape): () => void {
  const fill = (n: number) => {
    const x = be.alloc(n);
    for (let i = 0; i < n; i++) x[i] = Math.sin(i * 12.9898) * 0.5;
    return x;
  };
  if (form === 'A·B') {
    const a = fill(M * K), b = fill(K * N), bias = fill(N), out = be.alloc(M * N);
    return () => be.matmul(out, a, b, M, K, N, bias);
  }
  if (form === 'Aᵀ·B') {
    const a = fill(M * K), b = fill(M * N), out = be.alloc(K * N);
    return () => be.matmulTransA(out, a, b, M, K, N, false);
  }
  const a = fill(M * N), b = fill(K * N), out = be.alloc(M * K);
  return () => be.matmulTransB(out, a, b, M, K, N, false);
}

/** Milliseconds for `n` calls. */
function time(call: () => void, n: number): number {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) call();
  return performance.now() - t0;
}
