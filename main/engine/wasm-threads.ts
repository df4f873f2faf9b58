/**
 * Helper threads for the WebAssembly backend under Node (and Electron's utility processes):
 * worker_threads running the kernels' `workerLoop` on the shared memory. The worker's code is
 * three lines evaluated from a string, so the bundled CLI and worker need no extra file.
 */
import { Worker } from 'node:worker_threads';
import type { KernelThread, KernelThreadInit, SpawnKernelThread } from '../../shared/nn/wasm/threads.js';

const HELPER_SOURCE = `
const { workerData, parentPort } = require('node:worker_threads');
const { module, memory, control, tid, spin } = workerData;
WebAssembly.instantiate(module, { env: { memory } }).then((instance) => {
  parentPort.postMessage('ready');
  instance.exports.workerLoop(control, tid, spin);
});
`;

/** Starts one helper thread (see shared/nn/wasm/threads.ts). It never keeps the process alive. */
export const spawnNodeKernelThread: SpawnKernelThread = (init: KernelThreadInit) =>
  new Promise<KernelThread>((resolve, reject) => {
    const worker = new Worker(HELPER_SOURCE, { eval: true, workerData: init, name: `nn-kernels-${init.tid}` });
    worker.unref();
    const exited = new Promise<void>((done) => worker.once('exit', () => done()));
    worker.once('error', reject);
    worker.once('message', () =>
      resolve({
        exited,
        terminate: async () => {
          await worker.terminate();
        },
      }),
    );
    worker.once('exit', (code) => reject(new Error(`a kernel helper thread exited (code ${code}) before it was ready`)));
  });
