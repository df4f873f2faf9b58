/**
 * The backend's one entry point for requests, shared by Electron's ipcMain and the web host:
 * validate → service → reply. Nothing a caller sends can crash it: an unknown channel or a payload
 * that fails its schema gets a typed error reply, and a service's own failure is reported the
 * same way.
 */
import {
  ErrorNames,
  describeSchemaError,
  invokeChannels,
  isInvokeChannel,
  type InvokeChannel,
  type RequestOf,
  type ResponseOf,
  type Result,
} from '../../shared/ipc/contract.js';

/** One function per request channel, taking the validated request. */
export type Handlers = { [C in InvokeChannel]: (request: RequestOf<C>) => Promise<ResponseOf<C>> | ResponseOf<C> };

export type Router = (channel: unknown, payload: unknown) => Promise<Result<unknown>>;

export function createRouter(handlers: Handlers, log: (line: string) => void = () => {}): Router {
  return async (channel, payload) => {
    if (!isInvokeChannel(channel)) {
      return fail(ErrorNames.UnknownChannel, `unknown request channel ${JSON.stringify(channel)}`);
    }
    const parsed = invokeChannels[channel].request.safeParse(payload);
    if (!parsed.success) {
      return fail(ErrorNames.InvalidPayload, `${channel}: ${describeSchemaError(parsed.error)}`);
    }
    try {
      const handler = handlers[channel] as (request: unknown) => unknown;
      return { ok: true, value: await handler(parsed.data) };
    } catch (e) {
      const error = e instanceof Error ? e : new Error(String(e));
      // Services throw StudioError for expected failures; anything else is a bug worth logging.
      const known = error.name !== 'Error' && error.name !== 'TypeError' && error.name !== 'RangeError';
      if (!known) log(`${channel} failed: ${error.stack ?? error.message}`);
      return fail(known ? error.name : ErrorNames.InternalError, error.message);
    }
  };
}

function fail(name: string, message: string): Result<never> {
  return { ok: false, error: { name, message } };
}
