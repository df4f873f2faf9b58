import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { WorkerExited } from '../../shared/ipc/contract.js';
import { WorkerManager } from '../../main/workers/manager.js';
import { forkNodeWorker } from '../../main/workers/process.js';
import { Grants } from '../../main/services/grants.js';
import { createBackend } from '../../main/backend.js';

describe('worker processes', () => {
  const exits: WorkerExited[] = [];
  const manager = new WorkerManager(forkNodeWorker, (e) => exits.push(e));
  afterEach(() => manager.stopAll());

  it('round-trips a ping through a real worker process', async () => {
    const worker = await manager.start();
    expect(worker.pid).not.toBe(process.pid);
    worker.send({ type: 'ping', id: 7, message: 'hello' });
    const pong = await worker.waitFor((m) => (m.type === 'pong' ? m : undefined));
    expect(pong).toEqual({ type: 'pong', id: 7, message: 'hello', pid: worker.pid });
    const exit = await worker.stop();
    expect(exit).toMatchObject({ pid: worker.pid, code: 0, unexpected: false });
  });

  it('reports a killed worker with its signal, as unexpected', async () => {
    const worker = await manager.start();
    worker.kill('SIGKILL');
    const exit = await worker.exited;
    expect(exit).toEqual({ pid: worker.pid, code: null, signal: 'SIGKILL', unexpected: true });
    expect(exits).toContainEqual(exit);
  });

  it('makes a pending request fail with the reason when its worker dies', async () => {
    const worker = await manager.start();
    const waiting = worker.waitFor((m) => (m.type === 'pong' ? m : undefined));
    worker.kill('SIGKILL');
    await expect(waiting).rejects.toThrow(`the worker process ${worker.pid} was killed by SIGKILL`);
  });

  it('takes a message sent to a worker that has just exited without failing (its exit is what counts)', async () => {
    const worker = await manager.start();
    worker.send({ type: 'shutdown' });
    // Hold this thread until the worker has exited but has not been reaped (state Z in /proc): its
    // end of the channel is closed, yet the backend has not seen it close, so the next send really
    // hits a closed pipe (EPIPE), as a second stop() did in CI.
    const until = Date.now() + 10_000;
    let state = '';
    while (Date.now() < until && state !== 'Z') state = processState(worker.pid);
    expect(state, 'the worker exited while this thread held the event loop').toBe('Z');
    worker.send({ type: 'ping', id: 0, message: 'too late' });
    const exit = await worker.exited;
    await new Promise((r) => setTimeout(r, 100));
    expect(exit.code).toBe(0);
  });

  it('refuses a message of an unknown type and keeps working', async () => {
    const worker = await manager.start();
    (worker as unknown as { process: { send(m: unknown): void } }).process.send({ type: 'format-disk' });
    const refusal = await worker.waitFor((m) => (m.type === 'protocol-error' ? m : undefined));
    expect(refusal.message).toMatch(/refused message/);
    worker.send({ type: 'ping', id: 1, message: 'still there?' });
    expect((await worker.waitFor((m) => (m.type === 'pong' ? m : undefined))).message).toBe('still there?');
  });

  it('answers runs:ping through the backend with a worker process id, and emits its exit', async () => {
    const backend = createBackend({ mode: 'web', forkWorker: forkNodeWorker, grants: new Grants() });
    const events: unknown[] = [];
    backend.onEvent((channel, payload) => events.push({ channel, payload }));
    const result = await backend.router('runs:ping', { message: 'round trip' });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const reply = result.value as { workerPid: number; message: string };
    expect(reply.message).toBe('round trip');
    expect(reply.workerPid).toBeGreaterThan(0);
    expect(reply.workerPid).not.toBe(process.pid);
    expect(events).toContainEqual({ channel: 'workers:exited', payload: { pid: reply.workerPid, code: 0, signal: null, unexpected: false } });
    await backend.dispose();
  });
});

/** The process state letter from /proc/PID/stat (R, S, Z …; '' once it is gone). */
function processState(pid: number): string {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  } catch {
    return '';
  }
}
