/**
 * Pause, resume and stop that reach the backend after the run has ended (the person clicked during
 * the last epoch, the display a moment behind): the reply is the run as it ended, never a failure.
 * Real router, real worker processes.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createBackend, type Backend } from '../../main/backend.js';
import { forkNodeWorker } from '../../main/workers/process.js';
import { Grants } from '../../main/services/grants.js';
import type { RunRecord } from '../../shared/runs/results.js';

const backends: Backend[] = [];
afterAll(() => Promise.all(backends.map((b) => b.dispose())));

function studio() {
  const backend = createBackend({ mode: 'web', forkWorker: forkNodeWorker, maxConcurrentRuns: 1, grants: Grants.unrestricted() });
  backends.push(backend);
  const failed: unknown[] = [];
  backend.onEvent((channel, payload) => { if (channel === 'run:failed') failed.push(payload); });
  return { backend, failed };
}

describe('controls that lose the race with the end of a run', () => {
  it('pause, resume and stop of a finished run answer with the finished record', async () => {
    const { backend, failed } = studio();
    const started = await backend.router('runs:start', { dataset: { source: 'sample:iris' }, training: { epochs: 3 }, seed: 1 });
    if (!started.ok) throw new Error(started.error.message);
    const id = (started.value as RunRecord).id;
    const done = await backend.runs.whenDone(id);
    expect(done.state).toBe('finished');
    for (const channel of ['runs:pause', 'runs:resume', 'runs:stop'] as const) {
      const reply = await backend.router(channel, { runId: id });
      expect(reply, channel).toMatchObject({ ok: true, value: { id, state: 'finished', outcome: { reason: 'completed' } } });
    }
    expect(failed).toEqual([]);
    expect(backend.runs.get(id).state).toBe('finished');
  });

  it('a stop sent while the run is ending leaves it finished, with no failure', async () => {
    const { backend, failed } = studio();
    const started = await backend.router('runs:start', { dataset: { source: 'sample:moons' }, training: { epochs: 20, batchSize: 8 }, seed: 2 });
    if (!started.ok) throw new Error(started.error.message);
    const id = (started.value as RunRecord).id;
    // Pause and stop hammered from the first epoch until past the end: every reply is a record, none an error.
    const replies: { ok: boolean }[] = [];
    let over = false;
    void backend.runs.whenDone(id).then(() => (over = true));
    while (backend.runs.get(id).state !== 'training' && !over) await new Promise((r) => setTimeout(r, 2));
    while (!over) {
      replies.push(await backend.router('runs:pause', { runId: id }));
      replies.push(await backend.router('runs:stop', { runId: id }));
      await new Promise((r) => setTimeout(r, 2));
    }
    replies.push(await backend.router('runs:stop', { runId: id }));
    expect(replies.filter((r) => !r.ok)).toEqual([]);
    expect(failed).toEqual([]);
    expect(backend.runs.get(id).state).toBe('finished');
  });
});
