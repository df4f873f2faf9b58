/**
 * The typed client every caller of the backend uses. It rides a `Transport`: Electron IPC through
 * the preload's `window.studio`, or a WebSocket in web mode. Calls return promises that reject
 * with a `StudioError` (name + message); subscriptions return an unsubscribe function.
 */
import {
  StudioError,
  type EventChannel,
  type EventOf,
  type InvokeChannel,
  type RequestOf,
  type ResponseOf,
  type Result,
} from './contract.js';

/** What a transport must do: send one request and get its envelope; deliver pushed events. */
export interface Transport {
  invoke(channel: string, payload: unknown): Promise<Result<unknown>>;
  on(channel: string, listener: (payload: unknown) => void): () => void;
}

export interface StudioClient {
  call<C extends InvokeChannel>(channel: C, ...payload: RequestOf<C> extends undefined ? [] : [RequestOf<C>]): Promise<ResponseOf<C>>;
  listen<C extends EventChannel>(channel: C, listener: (payload: EventOf<C>) => void): () => void;
}

export function createClient(transport: Transport): StudioClient {
  return {
    async call(channel, ...payload) {
      const result = await transport.invoke(channel, payload[0]);
      if (!result.ok) throw new StudioError(result.error.name, result.error.message);
      return result.value as never;
    },
    listen(channel, listener) {
      return transport.on(channel, listener as (payload: unknown) => void);
    },
  };
}
