/** A web host over real HTTP and WebSocket, with a workspace, a secret beside it, and a client. */
import { mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { wsProtocols } from '../../shared/ipc/websocket.js';
import { startWebHost, type WebHost, type WebHostOptions } from '../../main/web/host.js';

export const SECRET = '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n';

export interface Site {
  host: WebHost;
  origin: string;
  /** The workspace (serve --root). */
  root: string;
  /** A folder outside the workspace holding `secret`. */
  home: string;
  secret: string;
  uploadDir: string;
}

export async function startSite(options: WebHostOptions = {}): Promise<Site> {
  const base = realpathSync(mkdtempSync(join(tmpdir(), 'nn-attack-')));
  const root = join(base, 'workspace');
  const home = join(base, 'home');
  const uploadDir = join(base, 'uploads');
  mkdirSync(root);
  mkdirSync(join(home, '.ssh'), { recursive: true });
  const secret = join(home, '.ssh', 'id_rsa');
  writeFileSync(secret, SECRET, { mode: 0o600 });
  writeFileSync(join(root, 'points.csv'), 'x,y,label\n' + Array.from({ length: 40 }, (_, i) => `${i},${(i * 7) % 11},${i % 2 ? 'a' : 'b'}`).join('\n') + '\n');
  const host = await startWebHost({ port: 0, root, uploadDir, dataDir: join(base, 'data'), ...options });
  return { host, origin: `http://127.0.0.1:${host.port}`, root, home, secret, uploadDir };
}

/** A WebSocket client as the page opens it. */
export async function openClient(site: Site): Promise<Client> {
  const socket = new WebSocket(`ws://127.0.0.1:${site.host.port}/api`, wsProtocols(site.host.token), { headers: { Origin: site.origin } });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  return new Client(socket);
}

export class Client {
  private nextId = 1;
  constructor(readonly socket: WebSocket) {}

  /** One request; resolves with its Result envelope. */
  call(channel: string, payload?: unknown): Promise<any> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const onMessage = (data: WebSocket.RawData) => {
        const message = JSON.parse(data.toString());
        if (message.kind === 'reply' && message.id === id) {
          this.socket.off('message', onMessage);
          resolve(message.result);
        }
      };
      this.socket.on('message', onMessage);
      this.socket.once('close', () => reject(new Error('closed')));
      this.socket.send(JSON.stringify({ id, channel, payload }));
    });
  }

  /** The value of a request that must succeed. */
  async value(channel: string, payload?: unknown): Promise<any> {
    const result = await this.call(channel, payload);
    if (!result.ok) throw new Error(`${channel} failed: ${result.error.name}: ${result.error.message}`);
    return result.value;
  }

  /** Resolves with the first event on `channel` that `test` accepts. */
  event(channel: string, test: (payload: any) => boolean = () => true): Promise<any> {
    return new Promise((resolve) => {
      const onMessage = (data: WebSocket.RawData) => {
        const message = JSON.parse(data.toString());
        if (message.kind === 'event' && message.event === channel && test(message.payload)) {
          this.socket.off('message', onMessage);
          resolve(message.payload);
        }
      };
      this.socket.on('message', onMessage);
    });
  }

  /** Resolves with the close code once the server closes this connection. */
  closed(): Promise<number> {
    return new Promise((resolve) => this.socket.once('close', (code) => resolve(code)));
  }

  close(): void {
    this.socket.close();
  }
}

/** Trains a small run on a built-in sample and resolves with its finished record. */
export async function trainSmallRun(client: Client, model: object = { hidden: [{ units: 8, activation: 'tanh' }] }, source = 'sample:iris'): Promise<any> {
  const done = new Map<string, any>();
  const waiters = new Map<string, (run: any) => void>();
  const onMessage = (data: WebSocket.RawData) => {
    const message = JSON.parse(data.toString());
    if (message.kind !== 'event' || (message.event !== 'run:finished' && message.event !== 'run:failed')) return;
    const run = message.payload.run ?? { id: message.payload.runId, error: message.payload.error };
    done.set(run.id, run);
    waiters.get(run.id)?.(run);
  };
  client.socket.on('message', onMessage);
  try {
    const started = await client.value('runs:start', { dataset: { source }, model, training: { epochs: 2, batchSize: 16, learningRate: 0.01, patience: 0 }, seed: 3 });
    const run = done.get(started.id) ?? (await new Promise((resolve) => waiters.set(started.id, resolve)));
    if (!run.outcome) throw new Error(`the run did not finish: ${JSON.stringify(run.error)}`);
    return run;
  } finally {
    client.socket.off('message', onMessage);
  }
}
