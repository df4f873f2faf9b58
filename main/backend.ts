/**
 * The backend the renderer talks to, assembled once and shared by both transports: Electron's
 * ipcMain (main/index.ts) and the web host's WebSocket (main/web/host.ts). It owns the router,
 * the services behind it and the event stream the renderer subscribes to.
 */
import { performance } from 'node:perf_hooks';
import { eventChannels, type AppInfo, type EventChannel, type EventOf } from '../shared/ipc/contract.js';
import { createRouter, type Router } from './ipc/router.js';
import { appInfo } from './services/app.js';
import type { ForkWorker } from './workers/process.js';
import { WorkerManager } from './workers/manager.js';

export interface BackendOptions {
  mode: AppInfo['mode'];
  forkWorker: ForkWorker;
  log?: (line: string) => void;
}

export type EventListener = <C extends EventChannel>(channel: C, payload: EventOf<C>) => void;

export interface Backend {
  router: Router;
  /** Subscribes to every event the backend pushes; returns the unsubscribe function. */
  onEvent(listener: EventListener): () => void;
  dispose(): Promise<void>;
}

export function createBackend({ mode, forkWorker, log = () => {} }: BackendOptions): Backend {
  const listeners = new Set<EventListener>();
  const emit: EventListener = (channel, payload) => {
    eventChannels[channel].parse(payload); // a malformed event is our bug: fail loudly here, not in the renderer
    for (const listener of listeners) listener(channel, payload);
  };
  const workers = new WorkerManager(forkWorker, (event) => {
    if (event.unexpected) log(`worker ${event.pid} exited unexpectedly (code ${event.code}, signal ${event.signal})`);
    emit('workers:exited', event);
  }, log);

  let nextPingId = 1;
  const router = createRouter({
    'app:info': () => appInfo(mode),
    'runs:ping': async ({ message }) => {
      const worker = await workers.start();
      try {
        const id = nextPingId++;
        const sent = performance.now();
        worker.send({ type: 'ping', id, message });
        const pong = await worker.waitFor((m) => (m.type === 'pong' && m.id === id ? m : undefined));
        return { message: pong.message, workerPid: pong.pid, roundTripMs: performance.now() - sent };
      } finally {
        await worker.stop();
      }
    },
  }, log);

  return {
    router,
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    dispose: () => workers.stopAll(),
  };
}
