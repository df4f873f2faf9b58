/**
 * How the renderer names a run's state and how full its progress bar is, on runs trained by the
 * real backend: one stopped by hand part-way, one that completed.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createBackend } from '../../main/backend.js';
import { forkNodeWorker } from '../../main/workers/process.js';
import { Grants } from '../../main/services/grants.js';
import type { RunRecord } from '../../shared/runs/results.js';
import { previewApplies, runFraction, runStatus } from '../../renderer/src/lib/runinfo.js';

const backend = createBackend({ mode: 'web', forkWorker: forkNodeWorker, maxConcurrentRuns: 2, grants: Grants.unrestricted() });
afterAll(() => backend.dispose());

async function start(epochs: number, sample = 'moons'): Promise<string> {
  const reply = await backend.router('runs:start', { dataset: { source: `sample:${sample}` }, training: { epochs, batchSize: 8, patience: 0 }, seed: 4 });
  if (!reply.ok) throw new Error(reply.error.message);
  return (reply.value as RunRecord).id;
}

describe('run status and progress as shown', () => {
  it('a run stopped part-way is "stopped", its bar as full as the epochs it did', async () => {
    const id = await start(100_000);
    while ((backend.runs.get(id).progress?.epoch ?? 0) < 3) await new Promise((r) => setTimeout(r, 20));
    await backend.router('runs:stop', { runId: id });
    const run = await backend.runs.whenDone(id);
    expect(run.state).toBe('finished'); // the backend's word: it has an outcome
    expect(run.outcome!.reason).toBe('stopped');
    expect(runStatus(run)).toBe('stopped');
    const fraction = runFraction(run);
    expect(fraction).toBeGreaterThan(0);
    expect(fraction).toBeLessThan(0.01); // a few epochs of 100,000
  });

  it('a run that completed is "finished" with a full bar', async () => {
    const run = await backend.runs.whenDone(await start(4));
    expect(run.outcome!.reason).toBe('completed');
    expect(runStatus(run)).toBe('finished');
    expect(runFraction(run)).toBe(1);
  });

  it('offers a live picture only where one exists: 2-input classification, 1-input regression', async () => {
    const [moons, iris, sine] = await Promise.all(['moons', 'iris', 'sine'].map(async (s) => backend.runs.whenDone(await start(2, s))));
    expect(previewApplies(moons)).toBe(true); // the decision boundary
    expect(previewApplies(iris)).toBe(false); // 4 measurements: no plane to draw
    expect(previewApplies(sine)).toBe(true); // the fitted curve
  });
});
