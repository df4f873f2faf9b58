/**
 * Web mode: the renderer served to a browser, and the same backend over a WebSocket.
 *
 * Only for the person at this machine: it listens on 127.0.0.1 alone, and the Host header must
 * name this host (which defeats DNS rebinding). The page's build assets are public; everything
 * else needs the random token printed in the start URL, sent explicitly — never as a cookie, which
 * browsers would also send to every other server on 127.0.0.1 (cookies ignore ports). The page
 * takes it from its URL once (renderer/src/lib/token.ts) and sends it in the WebSocket handshake's
 * Sec-WebSocket-Protocol header and in the `X-NN-Studio-Token` header of uploads. Every WebSocket and every state-changing
 * request must come from this origin. Anything else gets 403.
 *
 * One client cannot bring the host down: each socket has its own error handler, so an invalid
 * UTF-8 frame or an oversize message closes that connection alone.
 *
 * What the backend may read and write follows the grant model (main/services/grants.ts): the
 * workspace folder (`--root`, default the folder serve started in) and the uploads.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { createBackend, type Backend } from '../backend.js';
import { rendererDir } from '../paths.js';
import { contentTypeFor, rendererCsp } from '../renderer-serving.js';
import { Grants } from '../services/grants.js';
import type { ForkWorker } from '../workers/process.js';
import { forkNodeWorker } from '../workers/process.js';
import { TOKEN_HEADER, WS_PATH, WS_PROTOCOL, WS_TOKEN_PREFIX, type WsFromServer, WsToServer } from '../../shared/ipc/websocket.js';
import type { Result } from '../../shared/ipc/contract.js';
import { Downloads } from './downloads.js';
import { DEFAULT_MAX_UPLOAD_BYTES, DEFAULT_UPLOAD_MAX_AGE_MS, receiveUpload, removeOldUploads } from './uploads.js';

export interface WebHostOptions {
  /** 0 picks a free port. */
  port?: number;
  /** Where uploaded datasets are written (default: a folder under the system's temp directory). */
  uploadDir?: string;
  /** The workspace: the folder the studio may read and write besides uploads (default: the current folder). */
  root?: string;
  /** Largest upload accepted, in bytes (default 2 GiB). */
  maxUploadBytes?: number;
  /** Uploads older than this are removed (default six hours). */
  uploadMaxAgeMs?: number;
  /** Where the studio keeps autosaves and unpacked datasets (default ~/.nn-studio). */
  dataDir?: string;
  forkWorker?: ForkWorker;
  /** Serve the renderer from here (defaults to the built renderer). */
  staticDir?: string;
  log?: (line: string) => void;
}

export interface WebHost {
  url: string;
  port: number;
  token: string;
  /** The workspace folder (absolute). */
  root: string;
  backend: Backend;
  close(): Promise<void>;
}

/**
 * The largest WebSocket message accepted. Requests are small: projects travel without their run
 * weights (the backend holds them, main/runs/weights.ts) and datasets are uploaded over HTTP.
 */
export const MAX_WS_MESSAGE_BYTES = 16 * 1024 * 1024;

/** The desktop app's policy, with the WebSocket back to this host allowed. */
const contentSecurityPolicy = (port: number) => rendererCsp([`ws://127.0.0.1:${port}`, `ws://localhost:${port}`]);

/** Starts the web host; resolves once it listens. */
export async function startWebHost(options: WebHostOptions = {}): Promise<WebHost> {
  const { port: wantedPort = 0, forkWorker = forkNodeWorker, staticDir = rendererDir, log = () => {} } = options;
  const uploadDir = resolve(options.uploadDir ?? join(tmpdir(), 'nn-studio-uploads'));
  const root = resolve(options.root ?? process.cwd());
  const maxUploadBytes = options.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES;
  const uploadMaxAgeMs = options.uploadMaxAgeMs ?? DEFAULT_UPLOAD_MAX_AGE_MS;
  if (!existsSync(join(staticDir, 'index.html'))) {
    throw new Error(`the renderer is not built (no ${join(staticDir, 'index.html')}); run 'npm run build'`);
  }
  if (!existsSync(root) || !statSync(root).isDirectory()) throw new Error(`the workspace ${root} is not a folder (--root)`);
  const token = randomBytes(24).toString('hex');
  await mkdir(uploadDir, { recursive: true });
  const grants = new Grants({ base: root, remedy: `in web mode the studio reads only uploaded files and the workspace ${root} (nn-studio serve --root DIR)` });
  await grants.grant(root, 'folder', ['read', 'write']);
  await grants.grant(uploadDir, 'folder', ['read']);
  // This host's own folder: what it stages for the browser is removed when it closes.
  const downloadDir = await mkdtemp(join(tmpdir(), 'nn-studio-downloads-'));
  const downloads = new Downloads(downloadDir);
  const backend = createBackend({ mode: 'web', forkWorker, log, grants, dataDir: options.dataDir, downloads });
  let port = wantedPort;

  const sweep = () => removeOldUploads(uploadDir, uploadMaxAgeMs).then((n) => n && log(`web host: removed ${n} old upload(s)`), () => {});
  await sweep();
  const sweeper = setInterval(sweep, Math.min(uploadMaxAgeMs, 3600 * 1000));
  sweeper.unref();

  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  const allowedOrigins = () => new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);
  const tokenMatches = (candidate: unknown) => {
    if (typeof candidate !== 'string' || candidate.length !== token.length) return false;
    return timingSafeEqual(Buffer.from(candidate), Buffer.from(token));
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (!allowedHosts().has(req.headers.host ?? '')) {
      return refuse(res, 'NN Studio refused this request: open the exact address printed by `nn-studio serve`.');
    }
    if (url.pathname === '/upload') {
      if (req.method !== 'POST') {
        res.writeHead(405, { Allow: 'POST' }).end();
        return;
      }
      // State-changing: from this origin only, with the token in its header (never a cookie).
      if (!allowedOrigins().has(req.headers.origin ?? '') || !tokenMatches(req.headers[TOKEN_HEADER])) {
        return refuse(res, `NN Studio refused this upload: it must come from the studio's own page, with its access token in the ${TOKEN_HEADER} header.`);
      }
      void receiveUpload(req, res, url.searchParams.get('name'), uploadDir, { maxBytes: maxUploadBytes });
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    if (url.pathname === '/download') {
      // Saves and exports: the token in its header (a link or an <img> from another page cannot set one).
      if (!tokenMatches(req.headers[TOKEN_HEADER])) {
        return refuse(res, `NN Studio refused this download: the studio's own page fetches it, with its access token in the ${TOKEN_HEADER} header.`);
      }
      downloads.serve(url.searchParams.get('id'), res);
      return;
    }
    // The build's files hold nothing secret: served without the token (a reload has none in its URL).
    serveStatic(staticDir, url.pathname, res, {
      'Content-Security-Policy': contentSecurityPolicy(port),
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'no-store',
    });
  });
  server.on('clientError', (_e, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    else socket.destroy();
  });

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_WS_MESSAGE_BYTES,
    // Answer with the plain protocol name, never echoing the token.
    handleProtocols: (offered) => (offered.has(WS_PROTOCOL) ? WS_PROTOCOL : false),
  });
  wss.on('error', (e) => log(`web host: WebSocket server error: ${e.message}`));
  server.on('upgrade', (req, socket, head) => {
    socket.on('error', () => socket.destroy());
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const ok = url.pathname === WS_PATH
      && allowedHosts().has(req.headers.host ?? '')
      && allowedOrigins().has(req.headers.origin ?? '')
      && tokenMatches(offeredToken(req.headers['sec-websocket-protocol']));
    if (!ok) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => connect(ws, backend, log, uploadFolderHider(uploadDir)));
  });

  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(wantedPort, '127.0.0.1', () => done());
  });
  port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    root,
    backend,
    async close() {
      clearInterval(sweeper);
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((done) => server.close(() => done()));
      server.closeAllConnections();
      await backend.dispose();
      await rm(downloadDir, { recursive: true, force: true });
    },
  };
}

/** The token a WebSocket handshake offers as a subprotocol (see shared/ipc/websocket.ts). */
function offeredToken(header: string | undefined): string | undefined {
  return header?.split(',').map((p) => p.trim()).find((p) => p.startsWith(WS_TOKEN_PREFIX))?.slice(WS_TOKEN_PREFIX.length);
}

/** One browser tab: requests in, replies and every backend event out. */
function connect(ws: WebSocket, backend: Backend, log: (line: string) => void, hide: UploadFolderHider): void {
  const send = (message: WsFromServer) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
  };
  const unsubscribe = backend.onEvent((event, payload) => send({ kind: 'event', event, payload: hide.inErrors(payload) }));
  // A frame the protocol refuses (invalid UTF-8, larger than maxPayload, a bad opcode): ws closes
  // this connection with the matching code; without a listener the error would end the process.
  ws.on('error', (e) => {
    log(`web host: closed a WebSocket connection: ${e.message}`);
    ws.terminate();
  });
  ws.on('close', unsubscribe);
  ws.on('message', async (data, isBinary) => {
    let request: WsToServer;
    try {
      if (isBinary) throw new Error('binary');
      request = WsToServer.parse(JSON.parse(data.toString()));
    } catch {
      log('web host: dropped a WebSocket message that is not a request');
      return;
    }
    const result = await backend.router(request.channel, request.payload);
    send({ kind: 'reply', id: request.id, result: result.ok ? result : { ok: false, error: hide.inErrors(result.error) as typeof result.error } });
  });
}

/**
 * Errors name an uploaded file by its name alone ('points.csv row 3: …'), not by where this
 * machine stored it: the upload folder is the server's business. That holds for failed replies and
 * for the errors events carry (a run that failed on an upload). Everything else keeps its paths,
 * which the page sends back as dataset sources.
 */
interface UploadFolderHider {
  /** `value` with the upload folder taken out of every string under an `error` (or of it all, for an error itself). */
  inErrors(value: unknown): unknown;
}

function uploadFolderHider(uploadDir: string): UploadFolderHider {
  const escaped = uploadDir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const stored = new RegExp(`${escaped}[\\\\/][0-9a-f]{16}[\\\\/]`, 'g');
  const hide = (value: unknown): unknown => {
    if (typeof value === 'string') return value.replace(stored, '');
    if (Array.isArray(value)) return value.map(hide);
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, hide(v)]));
    return value;
  };
  const inside = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(inside);
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, k === 'error' ? hide(v) : inside(v)]));
    return value;
  };
  return { inErrors: (value) => (value && typeof value === 'object' && 'message' in value && 'name' in value ? hide(value) : inside(value)) };
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
