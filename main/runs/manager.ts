/**
 * The run manager: every training run in its own worker process, as many at once as there are
 * cores (the rest wait in a queue), each isolated — one run's crash, stop or divergence never
 * touches another's. It keeps each run's record (state, history, outcome) and reports every
 * change as an event.
 */
import { randomUUID } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { ErrorNames, StudioError, type EventChannel, type EventOf } from '../../shared/ipc/contract.js';
import type { FromWorker } from '../../shared/ipc/worker-protocol.js';
import { RunConfig, withSplitSeed, type RunConfigInput } from '../../shared/runs/config.js';
import type { RunRecord } from '../../shared/runs/results.js';
import type { Worker, WorkerManager } from '../workers/manager.js';

type Emit = <C extends EventChannel>(channel: C, payload: EventOf<C>) => void;

interface LiveRun {
  record: RunRecord;
  worker: Worker | null;
  /** Stopped while its worker was still starting. */
  cancelled: boolean;
  /** Settled when the run is finished or failed. */
  done: Promise<RunRecord>;
  settle: (record: RunRecord) => void;
}

export class RunManager {
  private runs = new Map<string, LiveRun>();
  private queue: string[] = [];
  private active = 0;

  constructor(
    private readonly workers: WorkerManager,
    private readonly emit: Emit,
    readonly maxConcurrent: number = availableParallelism(),
  ) {}

  /** Queues a run and starts it as soon as a slot is free. */
  start(input: RunConfigInput): RunRecord {
    // The split seed is written into the run, so it re-splits alike whatever its training seed.
    const config = withSplitSeed(RunConfig.parse(input));
    const id = randomUUID().slice(0, 8);
    let settle!: (record: RunRecord) => void;
    const done = new Promise<RunRecord>((resolve) => (settle = resolve));
    const record: RunRecord = { id, config, state: 'queued', createdAt: new Date().toISOString(), history: [] };
    this.runs.set(id, { record, worker: null, cancelled: false, done, settle });
    this.queue.push(id);
    this.emit('run:queued', { run: record });
    this.pump();
    return record;
  }

  pause(id: string): RunRecord {
    const run = this.live(id, ['training', 'loading']);
    run.worker?.send({ type: 'run:pause' });
    return run.record;
  }

  /** Resumes a paused run, optionally with a new learning rate. */
  resume(id: string, learningRate?: number): RunRecord {
    const run = this.live(id, ['paused']);
    run.worker?.send({ type: 'run:resume', learningRate });
    return run.record;
  }

  /** Stops a run: a queued one is dropped, a training one finishes with the weights it reached. */
  stop(id: string): RunRecord {
    const run = this.get(id);
    if (run.state === 'queued') {
      const waiting = this.queue.includes(id);
      this.queue = this.queue.filter((q) => q !== id);
      if (!waiting) this.runs.get(id)!.cancelled = true; // its worker is starting: `launch` stops it
      this.fail(id, { name: 'Stopped', message: 'the run was stopped before it started' });
      return this.get(id);
    }
    this.live(id, ['loading', 'training', 'paused']).worker?.send({ type: 'run:stop' });
    return run;
  }

  get(id: string): RunRecord {
    const run = this.runs.get(id);
    if (!run) throw new StudioError('UnknownRun', `there is no run ${JSON.stringify(id)}`);
    return run.record;
  }

  list(): RunRecord[] {
    return [...this.runs.values()].map((r) => r.record);
  }

  /** Resolves when the run has finished or failed. */
  whenDone(id: string): Promise<RunRecord> {
    this.get(id);
    return this.runs.get(id)!.done;
  }

  /**
   * Takes in runs that ended elsewhere (an opened or recovered project), so predictions and exports
   * can use them. Runs already known keep their live state; only finished or failed runs are taken.
   */
  adopt(records: readonly RunRecord[]): void {
    for (const record of records) {
      if (this.runs.has(record.id) || (record.state !== 'finished' && record.state !== 'failed')) continue;
      this.runs.set(record.id, { record, worker: null, cancelled: false, done: Promise.resolve(record), settle: () => {} });
    }
  }

  /** Forgets a run that is over. */
  remove(id: string): void {
    const record = this.get(id);
    if (record.state !== 'finished' && record.state !== 'failed') {
      throw new StudioError('RunBusy', `run ${id} is ${record.state}; stop it before removing it`);
    }
    this.runs.delete(id);
  }

  /** Stops every run's worker (app quit). */
  async dispose(): Promise<void> {
    this.queue = [];
    await Promise.all([...this.runs.values()].map((r) => r.worker?.stop()));
  }

  private live(id: string, states: RunRecord['state'][]): LiveRun {
    const record = this.get(id);
    if (!states.includes(record.state)) {
      throw new StudioError('RunNotReady', `run ${id} is ${record.state}, so it cannot do that now`);
    }
    return this.runs.get(id)!;
  }

  private pump(): void {
    while (this.active < this.maxConcurrent && this.queue.length > 0) {
      const id = this.queue.shift()!;
      this.active++;
      void this.launch(id);
    }
  }

  private async launch(id: string): Promise<void> {
    const run = this.runs.get(id)!;
    let worker: Worker;
    try {
      worker = await this.workers.start();
    } catch (e) {
      this.fail(id, { name: ErrorNames.WorkerFailed, message: `could not start a worker process: ${(e as Error).message}` });
      this.release();
      return;
    }
    if (run.cancelled) {
      await worker.stop();
      this.release();
      return;
    }
    run.worker = worker;
    this.update(id, { state: 'loading' });
    const off = worker.onMessage((message) => this.onWorkerMessage(id, message));
    void worker.exited.then((exit) => {
      off();
      const state = this.get(id).state;
      if (state !== 'finished' && state !== 'failed') {
        const how = exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
        const hint = exit.signal === 'SIGKILL' ? ' (the system may have run out of memory)' : '';
        this.fail(id, { name: ErrorNames.WorkerFailed, message: `the training process ${how}${hint}; the run's progress until then is kept in its history` });
      }
      run.worker = null;
      this.release();
    });
    worker.send({ type: 'run:start', runId: id, config: run.record.config });
  }

  private release(): void {
    this.active--;
    this.pump();
  }

  private onWorkerMessage(id: string, message: FromWorker): void {
    switch (message.type) {
      case 'run:loading':
        break;
      case 'run:started':
        this.update(id, { state: 'training', data: message.data });
        this.emit('run:started', { runId: id, data: message.data, paramCount: message.paramCount, spec: message.spec, preprocessing: message.preprocessing });
        break;
      case 'run:progress': {
        const { point } = message.progress;
        const record = this.get(id);
        this.update(id, { progress: message.progress, history: point ? [...record.history, point] : record.history });
        this.emit('run:progress', message.progress);
        break;
      }
      case 'run:paused':
        this.update(id, { state: 'paused' });
        this.emit('run:paused', { runId: id });
        break;
      case 'run:resumed':
        this.update(id, { state: 'training' });
        this.emit('run:resumed', { runId: id, learningRate: message.learningRate });
        break;
      case 'run:finished': {
        const record = this.update(id, { state: 'finished', outcome: message.outcome, history: message.outcome.history });
        this.emit('run:finished', { run: record });
        this.runs.get(id)!.settle(record);
        void this.runs.get(id)!.worker?.stop();
        break;
      }
      case 'run:failed':
        this.fail(id, message.error);
        void this.runs.get(id)!.worker?.stop();
        break;
      case 'ready':
      case 'pong':
        break;
      case 'protocol-error':
        this.fail(id, { name: ErrorNames.InternalError, message: `the worker refused a message: ${message.message}` });
        break;
      default:
        throw new Error(`unhandled worker message ${JSON.stringify(message satisfies never)}`);
    }
  }

  private update(id: string, patch: Partial<RunRecord>): RunRecord {
    const run = this.runs.get(id)!;
    run.record = { ...run.record, ...patch };
    return run.record;
  }

  private fail(id: string, error: { name: string; message: string }): void {
    const record = this.update(id, { state: 'failed', error });
    this.emit('run:failed', { runId: id, error });
    this.runs.get(id)!.settle(record);
  }
}
