/** The IPC contract over a WebSocket (web mode): request ids matched to replies, events fanned out. */
import type { Transport } from '../../../shared/ipc/client.js';
import type { Result } from '../../../shared/ipc/contract.js';
import type { WsFromServer, WsToServer } from '../../../shared/ipc/websocket.js';

/** `protocols`: the subprotocols to offer (web mode's carry the access token). */
export function webSocketTransport(url: string, protocols: string[] = []): Transport {
  let nextId = 1;
  const pending = new Map<number, (result: Result<unknown>) => void>();
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const socket = new WebSocket(url, protocols);
  const opened = new Promise<void>((resolve, reject) => {
    socket.addEventListener('open', () => resolve(), { once: true });
    socket.addEventListener('error', () => reject(new Error('cannot reach the NN Studio backend')), { once: true });
  });

  socket.addEventListener('message', (event) => {
    const message = JSON.parse(String(event.data)) as WsFromServer;
    if (message.kind === 'reply') {
      pending.get(message.id)?.(message.result);
      pending.delete(message.id);
    } else {
      listeners.get(message.event)?.forEach((listener) => listener(message.payload));
    }
  });
  socket.addEventListener('close', () => {
    const lost: Result<unknown> = { ok: false, error: { name: 'Disconnected', message: 'the connection to the NN Studio backend was lost; restart `nn-studio serve` and reload' } };
    pending.forEach((settle) => settle(lost));
    pending.clear();
  });

  return {
    async invoke(channel, payload) {
      try {
        await opened;
      } catch (e) {
        return { ok: false, error: { name: 'Disconnected', message: (e as Error).message } };
      }
      if (socket.readyState !== WebSocket.OPEN) {
        return { ok: false, error: { name: 'Disconnected', message: 'the connection to the NN Studio backend is closed; reload the page' } };
      }
      const id = nextId++;
      const request: WsToServer = { id, channel, payload };
      return new Promise((resolve) => {
        pending.set(id, resolve);
        socket.send(JSON.stringify(request));
      });
    },
    on(channel, listener) {
      const set = listeners.get(channel) ?? new Set();
      listeners.set(channel, set);
      set.add(listener);
      return () => set.delete(listener);
    },
  };
}
