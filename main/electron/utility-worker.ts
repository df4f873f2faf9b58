/** The app's way of starting a worker: Electron's utility process (a Node process Electron manages). */
import { utilityProcess } from 'electron';
import { workerEntry } from '../paths.js';
import type { ForkWorker } from '../workers/process.js';

export const forkUtilityWorker: ForkWorker = () => {
  const child = utilityProcess.fork(workerEntry, [], { serviceName: 'NN Studio training worker', stdio: 'inherit' });
  if (child.pid === undefined) throw new Error(`could not start the worker process ${workerEntry}`);
  const pid = child.pid;
  let exited = false;
  return {
    pid,
    send: (message) => {
      if (!exited) child.postMessage(message);
    },
    onMessage: (listener) => void child.on('message', listener),
    onExit: (listener) =>
      void child.once('exit', (code) => {
        exited = true;
        // A utility process reports only a code; a crash shows as a non-zero one.
        listener(code, null);
      }),
    kill: () => void child.kill(),
  };
};
