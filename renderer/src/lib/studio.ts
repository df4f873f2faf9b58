/**
 * The renderer's one way to reach the backend. In the desktop app the preload provides
 * `window.studio`; in web mode the same calls ride a WebSocket back to `nn-studio serve`.
 * Only stores (`*.svelte.ts`) import this module.
 */
import { createClient, type StudioClient, type Transport } from '../../../shared/ipc/client.js';
import { webSocketTransport } from './ws-transport.js';
import { accessToken } from './token.js';
import { WS_PATH, wsProtocols } from '../../../shared/ipc/websocket.js';

function connectTransport(): Transport {
  if (window.studio) return window.studio;
  const token = accessToken();
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${WS_PATH}`;
  return webSocketTransport(url, wsProtocols(token));
}

export const studio: StudioClient = createClient(connectTransport());
