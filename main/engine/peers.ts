/**
 * The Python peers of the engine benchmark (../shared/bench/peers.py: NumPy from scratch, PyTorch,
 * scikit-learn), run on the same machine for `nn-studio bench --compare`, and the ratios of NN
 * Studio's throughput to theirs. OpenBLAS is left to pick its own kernels and cache sizes: the
 * variables some environments set to pin them (OPENBLAS_CORETYPE, OPENBLAS_L2_SIZE) are removed
 * for the peers' process only.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { appRoot } from '../paths.js';

/** One line of peers.py's output. */
export interface PeerResult {
  workload: string;
  peer: string;
  samples_per_s: number;
  seconds: number;
}

/** NN Studio's result against one peer on one workload. */
export interface PeerRatio {
  workload: string;
  peer: string;
  peer_samples_per_s: number;
  samples_per_s: number;
  /** NN Studio ÷ peer (above 1: NN Studio is faster). */
  ratio: number;
}

/** peers.py beside the repository (../shared/bench/), or NN_STUDIO_PEERS. */
export function peersScript(): string | null {
  const path = process.env.NN_STUDIO_PEERS ?? join(appRoot, '..', 'shared', 'bench', 'peers.py');
  return existsSync(path) ? path : null;
}

/**
 * Runs peers.py for the given workloads; resolves to its results, or to the reason the peers could
 * not run (no script, no Python with NumPy). Lines a missing optional peer fails to print are
 * simply absent.
 */
export async function runPeers(workloads: readonly string[], python = process.env.NN_STUDIO_PYTHON ?? '/usr/bin/python3'): Promise<PeerResult[] | { unavailable: string }> {
  if (!existsSync(python)) return { unavailable: `${python} is not installed` };
  const script = peersScript();
  if (!script) return { unavailable: 'the peers script ../shared/bench/peers.py is not there' };
  const env = { ...process.env };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  const { code, stdout, stderr } = await run(python, [script, ...workloads], env);
  const results = stdout.split('\n').flatMap((line) => parsePeerLine(line));
  if (results.length === 0) {
    const why = stderr.trim().split('\n').pop() ?? `exit code ${code}`;
    return { unavailable: `peers.py printed no results (${why})` };
  }
  return results;
}

function parsePeerLine(line: string): PeerResult[] {
  if (!line.startsWith('{')) return [];
  try {
    const r = JSON.parse(line) as Partial<PeerResult>;
    return typeof r.workload === 'string' && typeof r.peer === 'string' && typeof r.samples_per_s === 'number'
      ? [{ workload: r.workload, peer: r.peer, samples_per_s: r.samples_per_s, seconds: r.seconds ?? NaN }]
      : [];
  } catch {
    return [];
  }
}

/** Ratios of our samples/s to each peer's, workload by workload. */
export function peerRatios(ours: ReadonlyArray<{ workload: string; samples_per_s: number }>, peers: readonly PeerResult[]): PeerRatio[] {
  return peers.flatMap((p) => {
    const mine = ours.find((o) => o.workload === p.workload);
    return mine ? [{ workload: p.workload, peer: p.peer, peer_samples_per_s: p.samples_per_s, samples_per_s: mine.samples_per_s, ratio: mine.samples_per_s / p.samples_per_s }] : [];
  });
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('error', (e) => resolve({ code: null, stdout, stderr: stderr + e.message }));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
