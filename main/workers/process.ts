/**
 * A worker process as the backend sees it, whichever way it was started: Electron's
 * `utilityProcess.fork` in the app (see main/electron/utility-worker.ts) or `child_process.fork`
 * everywhere else (here).
 */
import { fork } from 'node:child_process';
import { workerEntry } from '../paths.js';

export interface WorkerProcess {
  readonly pid: number;
  send(message: unknown): void;
  onMessage(listener: (message: unknown) => void): void;
  /** Called once when the process has gone, with its exit code or the signal that ended it. */
  onExit(listener: (code: number | null, signal: string | null) => void): void;
  kill(signal?: NodeJS.Signals): void;
}

/** Starts a worker process; the app passes Electron's variant, everything else uses `forkNodeWorker`. */
export type ForkWorker = () => WorkerProcess;

export const forkNodeWorker: ForkWorker = () => {
  const child = fork(workerEntry, [], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    serialization: 'advanced', // structured clone: typed arrays cross without JSON.
  });
  if (child.pid === undefined) throw new Error(`could not start the worker process ${workerEntry}`);
  const pid = child.pid;
  // A worker that is exiting may close its channel before 'exit' arrives: a message sent then
  // fails with EPIPE. That is not the backend's failure — the exit itself is reported — so it must
  // not surface as an uncaught 'error' event that would bring the backend down.
  child.on('error', () => {});
  return {
    pid,
    send: (message) => {
      if (child.connected) child.send(message as never, undefined, undefined, () => {});
    },
    onMessage: (listener) => void child.on('message', listener),
    onExit: (listener) => void child.once('exit', (code, signal) => listener(code, signal)),
    kill: (signal = 'SIGTERM') => void child.kill(signal),
  };
};
