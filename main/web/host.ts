/**
 * Web mode: the renderer served to a browser, and the same backend over a WebSocket.
 *
 * Only for the person at this machine: it listens on 127.0.0.1 alone, and every request must
 * carry the random token printed in the start URL (as `?token=` or, for the page's own assets, the
 * cookie the first request set). The Host header must name this host, which defeats DNS
 * rebinding, and a WebSocket must come from this origin. Anything else gets 403.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, statSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { pipeline } from 'node:stream/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename, extname, join, normalize, sep } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { createBackend, type Backend } from '../backend.js';
import { rendererDir } from '../paths.js';
import { contentTypeFor, rendererCsp } from '../renderer-serving.js';
import type { ForkWorker } from '../workers/process.js';
import { forkNodeWorker } from '../workers/process.js';
import { WS_PATH, type WsFromServer, WsToServer } from '../../shared/ipc/websocket.js';

export interface WebHostOptions {
  /** 0 picks a free port. */
  port?: number;
  /** Where uploaded datasets are written (default: a folder under the system's temp directory). */
  uploadDir?: string;
  forkWorker?: ForkWorker;
  /** Serve the renderer from here (defaults to the built renderer). */
  staticDir?: string;
  log?: (line: string) => void;
}

export interface WebHost {
  url: string;
  port: number;
  token: string;
  backend: Backend;
  close(): Promise<void>;
}

const COOKIE = 'nn_studio_token';
/** The desktop app's policy, with the WebSocket back to this host allowed. */
const contentSecurityPolicy = (port: number) => rendererCsp([`ws://127.0.0.1:${port}`, `ws://localhost:${port}`]);

export async function startWebHost(options: WebHostOptions = {}): Promise<WebHost> {
  const { port: wantedPort = 0, forkWorker = forkNodeWorker, staticDir = rendererDir, log = () => {} } = options;
  const uploadDir = options.uploadDir ?? join(tmpdir(), 'nn-studio-uploads');
  if (!existsSync(join(staticDir, 'index.html'))) {
    throw new Error(`the renderer is not built (no ${join(staticDir, 'index.html')}); run 'npm run build'`);
  }
  const token = randomBytes(24).toString('hex');
  const backend = createBackend({ mode: 'web', forkWorker, log });
  let port = wantedPort;

  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  const allowedOrigins = () => new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);
  const tokenMatches = (candidate: string | null | undefined) => {
    if (!candidate || candidate.length !== token.length) return false;
    return timingSafeEqual(Buffer.from(candidate), Buffer.from(token));
  };
  const requestToken = (req: IncomingMessage, url: URL) =>
    url.searchParams.get('token') ?? /(?:^|;\s*)nn_studio_token=([0-9a-f]+)/.exec(req.headers.cookie ?? '')?.[1];

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (!allowedHosts().has(req.headers.host ?? '') || !tokenMatches(requestToken(req, url))) {
      return refuse(res, 'NN Studio refused this request: open the exact address printed by `nn-studio serve` (it carries the access token).');
    }
    if (url.pathname === '/upload') {
      if (req.method !== 'POST') {
        res.writeHead(405, { Allow: 'POST' }).end();
        return;
      }
      void receiveUpload(req, res, url.searchParams.get('name'), uploadDir);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    serveStatic(staticDir, url.pathname, res, {
      'Content-Security-Policy': contentSecurityPolicy(port),
      'Set-Cookie': `${COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'no-store',
    });
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 * 1024 });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const ok = url.pathname === WS_PATH
      && allowedHosts().has(req.headers.host ?? '')
      && allowedOrigins().has(req.headers.origin ?? '')
      && tokenMatches(url.searchParams.get('token'));
    if (!ok) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => connect(ws, backend, log));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(wantedPort, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    backend,
    async close() {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await backend.dispose();
    },
  };
}

/** One browser tab: requests in, replies and every backend event out. */
function connect(ws: WebSocket, backend: Backend, log: (line: string) => void): void {
  const send = (message: WsFromServer) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
  };
  const unsubscribe = backend.onEvent((event, payload) => send({ kind: 'event', event, payload }));
  ws.on('close', unsubscribe);
  ws.on('message', async (data) => {
    let request: WsToServer;
    try {
      request = WsToServer.parse(JSON.parse(data.toString()));
    } catch {
      log('web host: dropped a WebSocket message that is not a request');
      return;
    }
    send({ kind: 'reply', id: request.id, result: await backend.router(request.channel, request.payload) });
  });
}

/**
 * Web mode's stand-in for a dropped file's path: the browser POSTs the file's bytes, they are
 * streamed to a fresh folder on this machine, and the reply names the path to use as the dataset
 * source (workers load datasets from paths, never over IPC).
 */
async function receiveUpload(req: IncomingMessage, res: ServerResponse, name: string | null, uploadDir: string): Promise<void> {
  const safeName = name ? basename(name.replace(/\\/g, '/')).replace(/[\u0000-\u001f]/g, '') : '';
  if (!safeName || safeName === '.' || safeName === '..') {
    res.writeHead(400, { 'Content-Type': 'application/json' }).end(JSON.stringify({ error: 'the upload needs a file name (?name=…)' }));
    return;
  }
  const folder = join(uploadDir, randomBytes(8).toString('hex'));
  const path = join(folder, safeName);
  try {
    await mkdir(folder, { recursive: true });
    await pipeline(req, createWriteStream(path));
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ path }));
  } catch (e) {
    res.writeHead(500, { 'Content-Type': 'application/json' }).end(JSON.stringify({ error: `could not store ${safeName}: ${(e as Error).message}` }));
  }
}

function refuse(res: ServerResponse, message: string): void {
  res.writeHead(403, { 'Content-Type': 'text/plain; charset=utf-8' }).end(message + '\n');
}

function serveStatic(root: string, pathname: string, res: ServerResponse, headers: Record<string, string>): void {
  let relative: string;
  try {
    relative = normalize(decodeURIComponent(pathname)).replace(/^([/\\])+/, '');
  } catch {
    res.writeHead(400).end();
    return;
  }
  let file = join(root, relative || 'index.html');
  if (!file.startsWith(root + sep) && file !== root) {
    res.writeHead(404).end();
    return;
  }
  if (!existsSync(file) || statSync(file).isDirectory()) {
    // Unknown paths without an extension are the app's own routes: give them the app.
    if (extname(relative)) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n');
      return;
    }
    file = join(root, 'index.html');
  }
  res.writeHead(200, { ...headers, 'Content-Type': contentTypeFor(file) });
  createReadStream(file).pipe(res);
}
