/**
 * THE contract between the renderer and the backend (Electron main, or the web host in web mode).
 * Every request channel and every event is declared here once, each with a runtime schema;
 * main's router, the preload, the web host and the renderer's client all derive from this file.
 *
 *   invoke:  renderer → backend, one request, one reply   ('app:info', 'runs:ping', …)
 *   events:  backend → renderer, pushed                     ('workers:exited', …)
 *
 * A reply travels as a `Result` envelope so errors keep their name across every transport
 * (Electron's ipcRenderer.invoke would otherwise flatten them into one string).
 */
import { z } from 'zod';

// ---------------------------------------------------------------------------------------------
// Payload schemas

export const AppInfo = z.object({
  name: z.string(),
  version: z.string(),
  /** 'electron' in the desktop app, 'web' when served to a browser by `nn-studio serve`. */
  mode: z.enum(['electron', 'web']),
  platform: z.string(),
  arch: z.string(),
  cores: z.number().int().positive(),
  versions: z.object({ node: z.string(), electron: z.string().optional(), chrome: z.string().optional() }),
  engine: z.object({
    /** Kernel backend training runs use: 'js', 'wasm-simd', 'wasm-relaxed-simd'. */
    backend: z.string(),
    simd: z.boolean(),
    threads: z.number().int().positive(),
  }),
});
export type AppInfo = z.infer<typeof AppInfo>;

export const PingRequest = z.object({
  /** Echoed back by the worker, to prove the round trip carried data. */
  message: z.string().max(1000),
});

export const PingReply = z.object({
  message: z.string(),
  workerPid: z.number().int().positive(),
  /** Milliseconds from the backend sending the ping to the worker's answer arriving. */
  roundTripMs: z.number().nonnegative(),
});
export type PingReply = z.infer<typeof PingReply>;

export const WorkerExited = z.object({
  pid: z.number().int(),
  code: z.number().int().nullable(),
  signal: z.string().nullable(),
  /** False when the backend itself stopped the worker. */
  unexpected: z.boolean(),
});
export type WorkerExited = z.infer<typeof WorkerExited>;

// ---------------------------------------------------------------------------------------------
// Channels

const NoPayload = z.undefined();

/** Request channels: name → request and response schemas. */
export const invokeChannels = {
  'app:info': { request: NoPayload, response: AppInfo },
  'runs:ping': { request: PingRequest, response: PingReply },
} as const;

/** Event channels: name → payload schema. */
export const eventChannels = {
  'workers:exited': WorkerExited,
} as const;

export type InvokeChannel = keyof typeof invokeChannels;
export type EventChannel = keyof typeof eventChannels;
export type RequestOf<C extends InvokeChannel> = z.input<(typeof invokeChannels)[C]['request']>;
export type ResponseOf<C extends InvokeChannel> = z.output<(typeof invokeChannels)[C]['response']>;
export type EventOf<C extends EventChannel> = z.output<(typeof eventChannels)[C]>;

export function isInvokeChannel(name: unknown): name is InvokeChannel {
  return typeof name === 'string' && Object.hasOwn(invokeChannels, name);
}

export function isEventChannel(name: unknown): name is EventChannel {
  return typeof name === 'string' && Object.hasOwn(eventChannels, name);
}

// ---------------------------------------------------------------------------------------------
// Errors and the reply envelope

/** How an error crosses a process boundary: a name a program can switch on and a sentence for a person. */
export const SerializedError = z.object({ name: z.string(), message: z.string() });
export type SerializedError = z.infer<typeof SerializedError>;

export type Result<T> = { ok: true; value: T } | { ok: false; error: SerializedError };

/** Error names the backend uses; the renderer shows `message` and may switch on `name`. */
export const ErrorNames = {
  /** The channel is not in this contract. */
  UnknownChannel: 'UnknownChannel',
  /** The payload failed the channel's schema. */
  InvalidPayload: 'InvalidPayload',
  /** A worker process died or could not be started. */
  WorkerFailed: 'WorkerFailed',
  /** Something inside the backend failed that is not the caller's fault. */
  InternalError: 'InternalError',
} as const;

/** An error carrying a contract error name, thrown by services and rebuilt by the client. */
export class StudioError extends Error {
  constructor(override readonly name: string, message: string) {
    super(message);
  }
  toJSON(): SerializedError {
    return { name: this.name, message: this.message };
  }
}

/** Formats a zod error as one sentence naming each bad field and what was expected. */
export function describeSchemaError(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.length ? issue.path.join('.') : 'payload'}: ${issue.message}`)
    .join('; ');
}
