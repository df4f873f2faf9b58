import { describe, expect, it } from 'vitest';
import { createRouter, type Handlers } from '../../main/ipc/router.js';
import { createClient, type Transport } from '../../shared/ipc/client.js';
import { StudioError } from '../../shared/ipc/contract.js';
import { appInfo } from '../../main/services/app.js';

// Only the channels these tests call; the backend itself must implement every one (checked by its type).
const handlers = {
  'app:info': () => appInfo('web'),
  'runs:ping': ({ message }: { message: string }) => ({ message, workerPid: 4242, roundTripMs: 1 }),
} as unknown as Handlers;

describe('IPC router', () => {
  const router = createRouter(handlers);

  it('answers a valid request with the service value', async () => {
    const result = await router('runs:ping', { message: 'hi' });
    expect(result).toEqual({ ok: true, value: { message: 'hi', workerPid: 4242, roundTripMs: 1 } });
  });

  it('refuses an unknown channel with a typed error', async () => {
    const result = await router('fs:readAnything', { path: '/etc/passwd' });
    expect(result).toEqual({ ok: false, error: { name: 'UnknownChannel', message: 'unknown request channel "fs:readAnything"' } });
  });

  it('refuses a payload that fails its schema, naming the field and what was expected', async () => {
    const result = await router('runs:ping', { message: 42 });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.name).toBe('InvalidPayload');
    expect(result.error.message).toMatch(/^runs:ping: message: .*expected string/i);
  });

  it('refuses a missing payload and a payload where none is expected', async () => {
    expect((await router('runs:ping', undefined)).ok).toBe(false);
    const extra = await router('app:info', { surprise: true });
    expect(extra.ok).toBe(false);
  });

  it('turns a service failure into an error reply instead of throwing', async () => {
    const failing = createRouter({ ...handlers, 'runs:ping': () => { throw new StudioError('WorkerFailed', 'no worker'); } });
    expect(await failing('runs:ping', { message: 'x' })).toEqual({ ok: false, error: { name: 'WorkerFailed', message: 'no worker' } });
    const buggy = createRouter({ ...handlers, 'runs:ping': () => { throw new TypeError('oops'); } });
    expect(await buggy('runs:ping', { message: 'x' })).toEqual({ ok: false, error: { name: 'InternalError', message: 'oops' } });
  });

  it('gives the typed client a StudioError with the same name and message', async () => {
    const transport: Transport = { invoke: (channel, payload) => router(channel, payload), on: () => () => {} };
    const client = createClient(transport);
    expect((await client.call('app:info')).name).toBe('NN Studio');
    // @ts-expect-error — the contract forbids this payload at compile time; the router refuses it at run time too
    const error = await client.call('runs:ping', { message: 7 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StudioError);
    expect((error as StudioError).name).toBe('InvalidPayload');
  });
});
