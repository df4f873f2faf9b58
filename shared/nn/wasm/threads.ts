/**
 * Helper threads for the WebAssembly backend, independent of how a platform starts a thread.
 * A helper instantiates the same module on the same shared memory and runs the module's
 * `workerLoop(control, tid, spin)` until the backend is disposed; all coordination then happens
 * inside WebAssembly through atomics on the control block (assembly/job.ts), never by messages.
 *
 * Node: main/engine/wasm-threads.ts (worker_threads). A browser would use a Web Worker with the
 * same three lines (`instantiate`, post 'ready', `workerLoop`).
 */

/** What a helper thread needs to start. Module and memory are shareable between threads. */
export interface KernelThreadInit {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  /** Byte offset of the control block. */
  control: number;
  /** This helper's thread index (1, 2, …; the calling thread is 0). */
  tid: number;
  /** Spins on the control word before sleeping between jobs. */
  spin: number;
}

/** A started helper. */
export interface KernelThread {
  /** Resolves when the thread has returned from workerLoop and ended. */
  readonly exited: Promise<void>;
  /** Ends the thread forcibly (after exited has not resolved in time). */
  terminate(): Promise<void>;
}

/** Starts one helper; resolves once its instance exists and it is entering workerLoop. */
export type SpawnKernelThread = (init: KernelThreadInit) => Promise<KernelThread>;
