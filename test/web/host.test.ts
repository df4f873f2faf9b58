import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startWebHost, type WebHost } from '../../main/web/host.js';
import { wsProtocols } from '../../shared/ipc/websocket.js';

/** Opens a WebSocket and resolves with 'open' or the HTTP status it was refused with. */
function tryConnect(url: string, headers: Record<string, string>, protocols: string[] = []): Promise<{ socket?: WebSocket; refused?: number }> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url, protocols, { headers });
    socket.once('open', () => resolve({ socket }));
    socket.once('unexpected-response', (_req, res) => resolve({ refused: res.statusCode }));
    socket.once('error', () => resolve({ refused: -1 }));
  });
}

function call(socket: WebSocket, id: number, channel: string, payload?: unknown): Promise<any> {
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData) => {
      const message = JSON.parse(data.toString());
      if (message.kind === 'reply' && message.id === id) {
        socket.off('message', onMessage);
        resolve(message.result);
      }
    };
    socket.on('message', onMessage);
    socket.send(JSON.stringify({ id, channel, payload }));
  });
}

describe('web host', () => {
  let host: WebHost;
  let origin: string;
  beforeAll(async () => {
    host = await startWebHost({ port: 0 });
    origin = `http://127.0.0.1:${host.port}`;
  });
  afterAll(() => host.close());

  it('listens on 127.0.0.1 only and prints a URL carrying a random token', () => {
    expect(host.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${host.port}/\\?token=[0-9a-f]{48}$`));
  });

  it('serves the studio without a token (a reload has none in its address), under a Content-Security-Policy, and sets no cookie', async () => {
    const page = await fetch(`${origin}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(page.headers.get('set-cookie')).toBeNull();
    const html = await page.text();
    expect(html).toContain('<div id="app">');
    const script = /src="\.\/(assets\/[^"]+\.js)"/.exec(html)![1];
    expect((await fetch(`${origin}/${script}`)).status).toBe(200);
    expect((await fetch(host.url)).headers.get('set-cookie')).toBeNull();
  });

  it('stores an uploaded dataset on this machine and answers its path; refuses uploads without the token header or from another origin', async () => {
    expect((await fetch(`${origin}/upload?name=points.csv`, { method: 'POST', body: 'x,y\n1,2\n', headers: { origin } })).status).toBe(403);
    expect((await fetch(`${origin}/upload?name=points.csv`, { method: 'POST', body: 'x,y\n1,2\n', headers: { origin: 'http://evil.example', 'x-nn-studio-token': host.token } })).status).toBe(403);
    const body = 'x,y\n1,2\n3,4\n';
    const stored = await fetch(`${origin}/upload?name=${encodeURIComponent('../../etc/points.csv')}`, { method: 'POST', body, headers: { origin, 'x-nn-studio-token': host.token } });
    expect(stored.status).toBe(200);
    const { path } = (await stored.json()) as { path: string };
    expect(path.endsWith('/points.csv')).toBe(true); // the name's folders are dropped: no writing outside the upload folder
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(path, 'utf8')).toBe(body);
  });

  it('refuses a foreign Host header (DNS rebinding)', async () => {
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve) => {
      request({ host: '127.0.0.1', port: host.port, path: `/?token=${host.token}`, headers: { Host: `evil.example:${host.port}` } }, (res) => resolve(res.statusCode!)).end();
    });
    expect(status).toBe(403);
  });

  it('refuses a WebSocket from a foreign origin or without the token', async () => {
    expect(await tryConnect(`ws://127.0.0.1:${host.port}/api`, { Origin: 'http://evil.example' }, wsProtocols(host.token))).toEqual({ refused: 403 });
    // The token in the address (as it is in the page's URL) is not how a socket authenticates.
    expect(await tryConnect(`ws://127.0.0.1:${host.port}/api?token=${host.token}`, { Origin: origin })).toEqual({ refused: 403 });
    expect(await tryConnect(`ws://127.0.0.1:${host.port}/api`, { Origin: origin })).toEqual({ refused: 403 });
  });

  it('answers contract requests over the WebSocket, typed errors included', async () => {
    const { socket } = await tryConnect(`ws://127.0.0.1:${host.port}/api`, { Origin: origin }, wsProtocols(host.token));
    expect(socket!.protocol).toBe('nn-studio'); // the token is not echoed back
    expect(socket).toBeDefined();
    const info = await call(socket!, 1, 'app:info');
    expect(info.ok).toBe(true);
    expect(info.value).toMatchObject({ name: 'NN Studio', mode: 'web' });
    const bad = await call(socket!, 2, 'runs:ping', { message: ['not', 'a', 'string'] });
    expect(bad).toMatchObject({ ok: false, error: { name: 'InvalidPayload' } });
    const ping = await call(socket!, 3, 'runs:ping', { message: 'over the socket' });
    expect(ping.value.message).toBe('over the socket');
    expect(ping.value.workerPid).not.toBe(process.pid);
    socket!.close();
  });
});
