/**
 * Serves the built renderer on `app://nn-studio/…` (app-protocol.ts resolves a URL to a file and
 * names the headers): a file inside the renderer's folder with the CSP header, anything else a
 * 404. Takes Electron's `protocol` as a parameter, so it is tested under Node with a fake.
 */
import type { Protocol } from 'electron';
import { readFile } from 'node:fs/promises';
import { APP_SCHEME, resolveAppRequest, responseHeaders } from './app-protocol.js';

/** The answer to one request: the file's bytes, or 404 when it is outside `root` or unreadable. */
export function appRequestHandler(root: string, read: (path: string) => Promise<Buffer<ArrayBuffer>> = readFile): (request: { url: string }) => Promise<Response> {
  return async (request) => {
    const file = resolveAppRequest(root, request.url);
    if (!file) return new Response('Not found', { status: 404 });
    try {
      return new Response(await read(file), { headers: responseHeaders(file) });
    } catch {
      return new Response('Not found', { status: 404 });
    }
  };
}

/** Installs the handler for the app's scheme (after `ready`). */
export function serveAppProtocol(electron: { protocol: Pick<Protocol, 'handle'> }, root: string): void {
  electron.protocol.handle(APP_SCHEME, appRequestHandler(root));
}
