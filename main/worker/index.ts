/**
 * The worker process: one per training run. Started by Electron's `utilityProcess.fork` in the app
 * and by `child_process.fork` in the CLI, the web host and the tests; both give it a message port,
 * which `parentPort` below hides.
 */
import { FromWorker, ToWorker } from '../../shared/ipc/worker-protocol.js';
import { describeSchemaError } from '../../shared/ipc/contract.js';
import { RunSession } from './run.js';
import { TorchSession } from './torch-run.js';

interface ParentPort {
  send(message: FromWorker): void;
  onMessage(listener: (message: unknown) => void): void;
}

/** Electron's utility process exposes `process.parentPort`; a Node child process has `process.send`. */
function connectToParent(): ParentPort {
  const electronPort = (process as unknown as { parentPort?: { postMessage(m: unknown): void; on(e: 'message', l: (ev: { data: unknown }) => void): void } }).parentPort;
  if (electronPort) {
    return {
      send: (message) => electronPort.postMessage(message),
      onMessage: (listener) => electronPort.on('message', (event) => listener(event.data)),
    };
  }
  if (!process.send) throw new Error('the NN Studio worker must be started by the studio (no IPC channel to its parent)');
  return {
    send: (message) => void process.send!(message),
    onMessage: (listener) => void process.on('message', listener),
  };
}

const parent = connectToParent();
/** The run this worker trains (one per process, so a crash touches no other run). */
let session: RunSession | TorchSession | null = null;

function handle(raw: unknown): void {
  const parsed = ToWorker.safeParse(raw);
  if (!parsed.success) {
    parent.send({ type: 'protocol-error', message: `refused message: ${describeSchemaError(parsed.error)}` });
    return;
  }
  const message = parsed.data;
  switch (message.type) {
    case 'ping':
      parent.send({ type: 'pong', id: message.id, message: message.message, pid: process.pid });
      break;
    case 'shutdown':
      if (session instanceof TorchSession) session.kill();
      process.exit(0);
      break;
    case 'run:start':
      if (session) {
        parent.send({ type: 'protocol-error', message: `this worker is already training run ${session.runId}` });
        break;
      }
      // "PyTorch on this machine" runs the exported job in Python; anything else trains with the engine.
      session = usesPytorch(message.config) ? new TorchSession(message.runId, (m) => parent.send(m)) : new RunSession(message.runId, (m) => parent.send(m));
      void session.run(message.config);
      break;
    case 'run:pause':
      session?.pause();
      break;
    case 'run:resume':
      session?.resume(message.learningRate);
      break;
    case 'run:stop':
      session?.stop();
      break;
    default:
      throw new Error(`unhandled worker message ${JSON.stringify(message satisfies never)}`);
  }
}

/** The run asks for the PyTorch engine (the config itself is validated by the session). */
function usesPytorch(config: unknown): boolean {
  return (config as { training?: { engine?: unknown } } | null)?.training?.engine === 'pytorch';
}

// A worker stopped by the backend takes its PyTorch job with it.
process.on('SIGTERM', () => {
  if (session instanceof TorchSession) session.kill();
  process.exit(0);
});

parent.onMessage(handle);
parent.send({ type: 'ready', pid: process.pid });
