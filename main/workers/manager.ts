/**
 * Starts worker processes, checks what they say against the worker protocol, and reports every
 * exit the backend did not ask for — a crashed or killed worker never takes the backend with it.
 */
import { ErrorNames, StudioError, type WorkerExited } from '../../shared/ipc/contract.js';
import { FromWorker, type ToWorker } from '../../shared/ipc/worker-protocol.js';
import type { ForkWorker, WorkerProcess } from './process.js';

/** A live worker: typed send, typed messages, and a promise that settles when it exits. */
export class Worker {
  private listeners = new Set<(message: FromWorker) => void>();
  private stopping = false;
  /** Resolves when the process has exited (expectedly or not). */
  readonly exited: Promise<WorkerExited>;
  readonly ready: Promise<void>;

  constructor(private readonly process: WorkerProcess, onExit: (event: WorkerExited) => void, log: (line: string) => void) {
    this.exited = new Promise((resolve) => {
      process.onExit((code, signal) => {
        const event = { pid: process.pid, code, signal, unexpected: !this.stopping };
        onExit(event);
        resolve(event);
      });
    });
    process.onMessage((raw) => {
      const parsed = FromWorker.safeParse(raw);
      if (!parsed.success) {
        log(`worker ${process.pid} sent a message outside the protocol; ignored`);
        return;
      }
      for (const listener of this.listeners) listener(parsed.data);
    });
    this.ready = new Promise((resolve, reject) => {
      const off = this.onMessage((m) => {
        if (m.type === 'ready') { off(); resolve(); }
      });
      void this.exited.then((e) => reject(workerDied(e)));
    });
  }

  get pid(): number {
    return this.process.pid;
  }

  send(message: ToWorker): void {
    this.process.send(message);
  }

  onMessage(listener: (message: FromWorker) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Waits for the first message that `pick` accepts; rejects if the worker exits first. */
  waitFor<T>(pick: (message: FromWorker) => T | undefined): Promise<T> {
    return new Promise((resolve, reject) => {
      const off = this.onMessage((m) => {
        const value = pick(m);
        if (value !== undefined) { off(); resolve(value); }
      });
      void this.exited.then((e) => { off(); reject(workerDied(e)); });
    });
  }

  /** Asks the worker to exit; kills it if it has not within `graceMs`. */
  async stop(graceMs = 2000): Promise<WorkerExited> {
    if (this.stopping) return this.exited;
    this.stopping = true;
    this.send({ type: 'shutdown' });
    const timer = setTimeout(() => this.process.kill('SIGKILL'), graceMs);
    const event = await this.exited;
    clearTimeout(timer);
    return event;
  }

  /** Kills the process now (SIGKILL by default); the exit is reported as unexpected unless stopping. */
  kill(signal: NodeJS.Signals = 'SIGKILL'): void {
    this.process.kill(signal);
  }
}

export function workerDied(e: WorkerExited): StudioError {
  const how = e.signal ? `was killed by ${e.signal}` : `exited with code ${e.code}`;
  return new StudioError(ErrorNames.WorkerFailed, `the worker process ${e.pid} ${how}`);
}

export class WorkerManager {
  private live = new Set<Worker>();

  constructor(
    private readonly forkWorker: ForkWorker,
    private readonly onExit: (event: WorkerExited) => void,
    private readonly log: (line: string) => void = () => {},
  ) {}

  /** Starts a worker and resolves once it has said it is ready. */
  async start(): Promise<Worker> {
    let worker: Worker | undefined;
    const process = this.forkWorker();
    worker = new Worker(process, (event) => {
      this.live.delete(worker!);
      this.onExit(event);
    }, this.log);
    this.live.add(worker);
    await worker.ready;
    return worker;
  }

  /** Stops every live worker (app quit, host shutdown). */
  async stopAll(): Promise<void> {
    await Promise.all([...this.live].map((w) => w.stop()));
  }

  get count(): number {
    return this.live.size;
  }
}
