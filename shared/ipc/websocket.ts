/**
 * The WebSocket framing of the IPC contract in web mode: requests carry an id, replies echo it,
 * events are pushed. The payloads themselves are the contract's (shared/ipc/contract.ts); this
 * file only wraps them. Imported by the web host and by the renderer's WebSocket transport.
 */
import { z } from 'zod';
import type { Result } from './contract.js';

export const WS_PATH = '/api';
/** The header that carries the access token on HTTP requests (uploads): lower case, as Node sees it. */
export const TOKEN_HEADER = 'x-nn-studio-token';
/**
 * A browser's WebSocket can set one header, Sec-WebSocket-Protocol: the page offers two
 * subprotocols, WS_PROTOCOL (which the host picks) and WS_TOKEN_PREFIX + the token.
 */
export const WS_PROTOCOL = 'nn-studio';
export const WS_TOKEN_PREFIX = 'nn-studio-token.';

/** The subprotocols a client offers to authenticate with `token`. */
export function wsProtocols(token: string): string[] {
  return [WS_PROTOCOL, WS_TOKEN_PREFIX + token];
}

export const WsToServer = z.object({ id: z.number().int(), channel: z.string(), payload: z.unknown().optional() });
export type WsToServer = z.infer<typeof WsToServer>;

export type WsFromServer =
  | { kind: 'reply'; id: number; result: Result<unknown> }
  | { kind: 'event'; event: string; payload: unknown };
