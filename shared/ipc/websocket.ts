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

export const WsToServer = z.object({ id: z.number().int(), channel: z.string(), payload: z.unknown().optional() });
export type WsToServer = z.infer<typeof WsToServer>;

export type WsFromServer =
  | { kind: 'reply'; id: number; result: Result<unknown> }
  | { kind: 'event'; event: string; payload: unknown };
