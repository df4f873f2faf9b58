import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createBackend, type Backend } from '../../main/backend.js';
import { forkNodeWorker } from '../../main/workers/process.js';
import { Grants } from '../../main/services/grants.js';
import type { EventChannel } from '../../shared/ipc/contract.js';
import type { RunConfigInput } from '../../shared/runs/config.js';
import type { RunProgress, RunRecord } from '../../shared/runs/results.js';

/** A backend with real worker processes, recording every event it pushes. */
function studio(maxConcurrentRuns = 2) {
  const backend = createBackend({ mode: 'web', forkWorker: forkNodeWorker, maxConcurrentRuns, grants: Grants.unrestricted() });
  const events: { channel: EventChannel; payload: any }[] = [];
  backend.onEvent((channel, payload) => events.push({ channel, payload }));
  return { backend, events };
}

async function call<T = RunRecord>(backend: Backend, channel: string, payload?: unknown): Promise<T> {
  const result = await backend.router(channel, payload);
  if (!result.ok) throw new Error(`${result.error.name}: ${result.error.message}`);
  return result.value as T;
}

function waitForEvent(events: { channel: string; payload: any }[], test: (e: { channel: string; payload: any }) => boolean, timeoutMs = 60_000): Promise<{ channel: string; payload: any }> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const poll = setInterval(() => {
      const hit = events.find(test);
      if (hit) { clearInterval(poll); resolve(hit); }
      else if (Date.now() - started > timeoutMs) { clearInterval(poll); reject(new Error('event never came')); }
    }, 5);
  });
}

const moons: RunConfigInput = {
  dataset: { source: 'sample:moons' },
  model: { hidden: [{ units: 16, activation: 'tanh' }] },
  training: { epochs: 40, batchSize: 16, learningRate: 0.02, patience: 0 },
  seed: 7,
};

const backends: Backend[] = [];
afterAll(() => Promise.all(backends.map((b) => b.dispose())));

describe('training runs in worker processes', () => {
  it('streams progress, then finishes with weights, history and test metrics', async () => {
    const { backend, events } = studio();
    backends.push(backend);
    const started = await call(backend, 'runs:start', { dataset: { source: 'sample:iris' }, seed: 3 });
    expect(started.state).toBe('queued');
    const done = await backend.runs.whenDone(started.id);
    expect(done.error).toBeUndefined();
    expect(done.state).toBe('finished');
    const progress = events.filter((e) => e.channel === 'run:progress').map((e) => e.payload as RunProgress);
    const epochs = progress.filter((p) => p.kind === 'epoch');
    expect(epochs.length).toBe(done.history.length);
    expect(epochs.map((p) => p.epoch)).toEqual(done.history.map((h) => h.epoch)); // no epoch report dropped
    expect(events.map((e) => e.channel)).toEqual(expect.arrayContaining(['run:queued', 'run:started', 'run:progress', 'run:finished']));
    const test = done.outcome!.evaluation.test!.metrics;
    expect(test.kind).toBe('classification');
    if (test.kind === 'classification') {
      expect(test.accuracy).toBeGreaterThanOrEqual(0.9);
      expect(test.labels).toEqual(['setosa', 'versicolor', 'virginica']);
    }
    const prediction = await call<{ prediction: string }[]>(backend, 'runs:predict', {
      runId: started.id,
      rows: [{ sepal_length: 5.1, sepal_width: 3.5, petal_length: 1.4, petal_width: 0.2 }],
    });
    expect(prediction[0].prediction).toBe('setosa');
  });

  it('pausing and resuming gives exactly the result of an uninterrupted run', async () => {
    const { backend, events } = studio();
    backends.push(backend);
    // Long enough (seconds, not milliseconds) that the pause lands mid-run on any machine.
    const digits: RunConfigInput = {
      dataset: { source: 'sample:mnist' },
      model: { hidden: [{ units: 32, activation: 'relu' }] },
      training: { epochs: 12, batchSize: 32, learningRate: 0.005, patience: 0 },
      seed: 11,
    };
    const straight = await call(backend, 'runs:start', digits);
    const interrupted = await call(backend, 'runs:start', digits);
    await waitForEvent(events, (e) => e.channel === 'run:progress' && e.payload.runId === interrupted.id && e.payload.kind === 'batch' && e.payload.epoch >= 2);
    await call(backend, 'runs:pause', { runId: interrupted.id });
    await waitForEvent(events, (e) => e.channel === 'run:paused' && e.payload.runId === interrupted.id);
    expect(backend.runs.get(interrupted.id).state).toBe('paused');
    await new Promise((r) => setTimeout(r, 300));
    await call(backend, 'runs:resume', { runId: interrupted.id });
    const [a, b] = await Promise.all([backend.runs.whenDone(straight.id), backend.runs.whenDone(interrupted.id)]);
    expect(a.state).toBe('finished');
    expect(b.state).toBe('finished');
    expect(b.history).toHaveLength(12);
    expect(b.outcome!.weights).toBe(a.outcome!.weights);
    expect(b.history.map((h) => h.loss)).toEqual(a.history.map((h) => h.loss));
  });

  it('a learning-rate change while paused takes effect on resume', async () => {
    const { backend, events } = studio();
    backends.push(backend);
    const run = await call(backend, 'runs:start', { ...moons, training: { ...moons.training, epochs: 100_000 } });
    await waitForEvent(events, (e) => e.channel === 'run:progress' && e.payload.runId === run.id && e.payload.epoch >= 2);
    await call(backend, 'runs:pause', { runId: run.id });
    await waitForEvent(events, (e) => e.channel === 'run:paused');
    await call(backend, 'runs:resume', { runId: run.id, learningRate: 0.001 });
    const resumed = await waitForEvent(events, (e) => e.channel === 'run:resumed');
    expect(resumed.payload.learningRate).toBeCloseTo(0.001, 9);
    await waitForEvent(events, (e) => e.channel === 'run:progress' && e.payload.runId === run.id && e.payload.learningRate === resumed.payload.learningRate);
    await call(backend, 'runs:stop', { runId: run.id });
    await backend.runs.whenDone(run.id);
  });

  it('stop keeps the weights reached and still evaluates them', async () => {
    const { backend, events } = studio();
    backends.push(backend);
    const run = await call(backend, 'runs:start', { ...moons, training: { ...moons.training, epochs: 100_000 } });
    await waitForEvent(events, (e) => e.channel === 'run:progress' && e.payload.runId === run.id && e.payload.epoch >= 2);
    await call(backend, 'runs:stop', { runId: run.id });
    const done = await backend.runs.whenDone(run.id);
    expect(done.state).toBe('finished');
    expect(done.outcome!.reason).toBe('stopped');
    expect(done.outcome!.epochs).toBeLessThan(100_000);
    expect(done.outcome!.weights.length).toBeGreaterThan(0);
    expect(done.outcome!.evaluation.test).not.toBeNull();
  });

  it('a worker killed by SIGKILL fails its run with the signal while another run finishes', async () => {
    const { backend, events } = studio();
    backends.push(backend);
    const victim = await call(backend, 'runs:start', { ...moons, training: { ...moons.training, epochs: 100_000 } });
    const survivor = await call(backend, 'runs:start', moons);
    await waitForEvent(events, (e) => e.channel === 'run:progress' && e.payload.runId === victim.id && e.payload.kind === 'epoch');
    process.kill(workerPidOf(backend, victim.id), 'SIGKILL');
    const failed = await backend.runs.whenDone(victim.id);
    expect(failed.state).toBe('failed');
    expect(failed.error!.message).toMatch(/killed by SIGKILL/);
    expect(failed.history.length).toBeGreaterThan(0); // progress until the crash is kept
    const ok = await backend.runs.whenDone(survivor.id);
    expect(ok.state).toBe('finished');
  });

  it('runs beyond the concurrency limit wait in the queue, then start', async () => {
    const { backend } = studio(1);
    backends.push(backend);
    const first = await call(backend, 'runs:start', { ...moons, training: { ...moons.training, epochs: 5 } });
    const second = await call(backend, 'runs:start', { ...moons, training: { ...moons.training, epochs: 5 } });
    expect(backend.runs.get(second.id).state).toBe('queued');
    const [a, b] = await Promise.all([backend.runs.whenDone(first.id), backend.runs.whenDone(second.id)]);
    expect([a.state, b.state]).toEqual(['finished', 'finished']);
  });

  it('a diverging run fails naming the epoch and batch and suggesting a lower learning rate', async () => {
    const { backend } = studio();
    backends.push(backend);
    const run = await call(backend, 'runs:start', {
      dataset: { source: 'sample:sine' },
      model: { hidden: [{ units: 32, activation: 'relu' }] },
      training: { optimizer: 'sgd', learningRate: 1e3, epochs: 50, patience: 0 },
    });
    const done = await backend.runs.whenDone(run.id);
    expect(done.state).toBe('failed');
    expect(done.error!.name).toBe('Diverged');
    expect(done.error!.message).toMatch(/epoch \d+, batch \d+/);
    expect(done.error!.message).toMatch(/lower learning rate/);
  });

  it('a dataset file deleted before its run loads it fails with a message naming the file', async () => {
    const { backend, events } = studio(1);
    backends.push(backend);
    const dir = mkdtempSync(join(tmpdir(), 'nn-runs-'));
    const csv = join(dir, 'points.csv');
    writeFileSync(csv, 'x,y\n' + Array.from({ length: 50 }, (_, i) => `${i},${i % 2 ? 'a' : 'b'}`).join('\n'));
    const blocker = await call(backend, 'runs:start', { ...moons, training: { ...moons.training, epochs: 100_000 } });
    const queued = await call(backend, 'runs:start', { dataset: { source: csv } });
    await waitForEvent(events, (e) => e.channel === 'run:progress' && e.payload.runId === blocker.id);
    expect(backend.runs.get(queued.id).state).toBe('queued');
    rmSync(csv);
    await call(backend, 'runs:stop', { runId: blocker.id });
    const done = await backend.runs.whenDone(queued.id);
    expect(done.state).toBe('failed');
    expect(done.error!.message).toContain(csv);
    rmSync(dir, { recursive: true });
  });

  it('refuses a run whose settings fail the contract, naming the field', async () => {
    const { backend } = studio();
    backends.push(backend);
    const result = await backend.router('runs:start', { dataset: { source: 'sample:iris' }, training: { batchSize: -3 } });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toMatch(/training\.batchSize/);
  });
});

function workerPidOf(backend: Backend, runId: string): number {
  return (backend.runs as unknown as { runs: Map<string, { worker: { pid: number } | null }> }).runs.get(runId)!.worker!.pid;
}
