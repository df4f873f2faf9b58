/**
 * The backend's one entry point for requests, shared by Electron's ipcMain and the web host:
 * validate → service → reply. Nothing a caller sends can crash it: an unknown channel or a payload
 * that fails its schema gets a typed error reply, and a service's own failure is reported the
 * same way.
 */
import {
  ErrorNames,
  describeSchemaError,
  serializeError,
  invokeChannels,
  isInvokeChannel,
  type InvokeChannel,
  type ParsedRequestOf,
  type ResponseOf,
  type Result,
} from '../../shared/ipc/contract.js';

/**
 * One function per request channel, taking the validated request and the caller's context (in the
 * desktop app, the window that asked; nothing for the backend's channels).
 */
export type Handlers<Ctx = void> = {
  [C in InvokeChannel]: (request: ParsedRequestOf<C>, context: Ctx) => Promise<ResponseOf<C>> | ResponseOf<C>;
};

export type Router<Ctx = void> = (channel: unknown, payload: unknown, context: Ctx) => Promise<Result<unknown>>;

/** A router for the channels `handlers` answers (any other channel is refused as unknown). */
export function createRouter<Ctx = void>(handlers: Partial<Handlers<Ctx>>, log: (line: string) => void = () => {}): Router<Ctx> {
  return async (channel, payload, context) => {
    if (!isInvokeChannel(channel) || !handlers[channel]) {
      return fail(ErrorNames.UnknownChannel, `unknown request channel ${JSON.stringify(channel)}`);
    }
    const parsed = invokeChannels[channel].request.safeParse(payload);
    if (!parsed.success) {
      return fail(ErrorNames.InvalidPayload, `${channel}: ${describeSchemaError(parsed.error)}`);
    }
    try {
      const handler = handlers[channel] as (request: unknown, context: Ctx) => unknown;
      return { ok: true, value: await handler(parsed.data, context) };
    } catch (e) {
      // Services throw named errors for expected failures; anything else is a bug worth logging.
      const { internal, ...error } = serializeError(e);
      if (internal) log(`${channel} failed: ${(e as Error).stack ?? error.message}`);
      return { ok: false, error };
    }
  };
}

function fail(name: string, message: string): Result<never> {
  return { ok: false, error: { name, message } };
}
