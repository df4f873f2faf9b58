/**
 * `bench --compare`'s peers: ratios are ours ÷ theirs per workload, a missing Python is reported
 * (not thrown), and where Debian's python3 with NumPy is installed the real peers.py runs.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { peerRatios, peersScript, runPeers } from '../../../main/engine/peers.js';

function hasNumpy(): boolean {
  try {
    execFileSync('/usr/bin/python3', ['-c', 'import numpy'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('peers', () => {
  it('divides our samples/s by each peer’s, workload by workload', () => {
    const ratios = peerRatios(
      [{ workload: 'tiny', samples_per_s: 300_000 }, { workload: 'mlp', samples_per_s: 40_000 }],
      [
        { workload: 'tiny', peer: 'numpy-scratch', samples_per_s: 150_000, seconds: 1 },
        { workload: 'mlp', peer: 'pytorch-cpu', samples_per_s: 50_000, seconds: 1 },
        { workload: 'seed2layer', peer: 'numpy-scratch', samples_per_s: 1, seconds: 1 },
      ],
    );
    expect(ratios).toEqual([
      { workload: 'tiny', peer: 'numpy-scratch', peer_samples_per_s: 150_000, samples_per_s: 300_000, ratio: 2 },
      { workload: 'mlp', peer: 'pytorch-cpu', peer_samples_per_s: 50_000, samples_per_s: 40_000, ratio: 0.8 },
    ]);
  });

  it('reports a missing Python instead of failing', async () => {
    expect(await runPeers(['tiny'], '/nonexistent/python3')).toEqual({ unavailable: '/nonexistent/python3 is not installed' });
  });

  // Without the script (a clone without ../shared) or without NumPy there is nothing real to run:
  // the test is skipped, and says why, rather than passing on the "unavailable" answer.
  const missing = !peersScript() ? 'peers.py is not beside the checkout (../shared/bench/peers.py)'
    : !hasNumpy() ? '/usr/bin/python3 has no NumPy (apt-get install python3-numpy)' : null;
  if (missing) console.warn(`skipping the real peers.py run: ${missing}`);
  it.skipIf(missing !== null)('runs the real peers.py where Python and NumPy are installed', async () => {
    const result = await runPeers(['tiny']);
    expect(Array.isArray(result), JSON.stringify(result)).toBe(true);
    const numpy = (result as Array<{ peer: string; workload: string; samples_per_s: number }>).find((r) => r.peer === 'numpy-scratch');
    expect(numpy?.workload).toBe('tiny');
    expect(numpy!.samples_per_s).toBeGreaterThan(0);
  }, 60_000);
});
