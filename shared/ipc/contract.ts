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
import { DatasetProblem } from '../data/errors.js';
import { DatasetOptions } from '../data/options.js';
import { DatasetSummary } from '../data/summary.js';
import { RunConfig } from '../runs/config.js';
import { desktopEventChannels, desktopInvokeChannels } from './desktop.js';
import { projectInvokeChannels } from '../project/ipc.js';
import { CellSamples, RunData, RunProgress, RunRecord } from '../runs/results.js';
import { ModelSpecSchema } from '../nn/spec.js';
import { PreprocessingState } from '../data/preprocess.js';

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
  /** How often unsaved work is autosaved for crash recovery (NN_STUDIO_AUTOSAVE_SECONDS; default 120). */
  autosaveSeconds: z.number().positive(),
  engine: z.object({
    /** Kernel backend training runs use: 'js', 'wasm-simd', 'wasm-relaxed-simd'. */
    backend: z.string(),
    simd: z.boolean(),
    threads: z.number().int().positive(),
    /** The backend's step plan (Backend.plan): 'layers' (one by one), 'wasm', or 'wasm-threads' (with background gathering). */
    plan: z.enum(['layers', 'wasm', 'wasm-threads']).optional(),
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

/** How an error crosses a process boundary: a name a program can switch on and a sentence for a person. */
export const SerializedError = z.object({
  name: z.string(),
  message: z.string(),
  /** A dataset problem's fields and remedies (file, row, column, what to try), for the UI's buttons. */
  problem: DatasetProblem.optional(),
});
export type SerializedError = z.infer<typeof SerializedError>;

const RunId = z.object({ runId: z.string().min(1).max(64) });

/** A built-in sample dataset, as `nn-studio samples` lists it. */
export const SampleInfo = z.object({
  name: z.string(),
  /** One line: what it is and what it teaches. */
  description: z.string(),
  task: z.enum(['classification', 'regression']),
});
export type SampleInfo = z.infer<typeof SampleInfo>;

/** Where a dataset comes from: a path on this machine (file or folder) or `sample:NAME`. */
export const DatasetSource = z.string().min(1).max(4096);

/** One row typed into the Predict form: column name → value as typed (null = missing). */
export const RawRow = z.record(z.string(), z.union([z.string(), z.number(), z.null()]));

export const Prediction = z.object({
  /** The class name, or the predicted value (first output) for regression. */
  prediction: z.union([z.string(), z.number()]),
  /** Class probabilities in class order (classification), or every output (regression). */
  outputs: z.array(z.number()),
});
export type Prediction = z.infer<typeof Prediction>;

// ---------------------------------------------------------------------------------------------
// Channels

const NoPayload = z.undefined();

/** Request channels: name → request and response schemas. */
export const invokeChannels = {
  'app:info': { request: NoPayload, response: AppInfo },
  'runs:ping': { request: PingRequest, response: PingReply },
  /** Queue a training run; it starts in its own worker process as soon as a slot is free. */
  'runs:start': { request: RunConfig, response: RunRecord },
  'runs:pause': { request: RunId, response: RunRecord },
  /** Resume a paused run, optionally with a new learning rate. */
  'runs:resume': { request: RunId.extend({ learningRate: z.number().positive().max(1e3).optional() }), response: RunRecord },
  /** Stop a run, keeping the weights it reached (a queued run is dropped). */
  'runs:stop': { request: RunId, response: RunRecord },
  'runs:list': { request: NoPayload, response: z.array(RunRecord) },
  'runs:get': { request: RunId, response: RunRecord },
  'runs:remove': { request: RunId, response: z.null() },
  /** Predictions of a finished run for raw rows (the Predict form), through its fitted preprocessing. */
  'runs:predict': { request: RunId.extend({ rows: z.array(RawRow).max(10_000) }), response: z.array(Prediction) },
  /** The test rows (or images) behind one confusion-matrix cell of a finished run. */
  'runs:samples': {
    request: RunId.extend({ actual: z.number().int().min(0), predicted: z.number().int().min(0), limit: z.number().int().min(1).max(200).default(60) }),
    response: CellSamples,
  },
  'datasets:samples': { request: NoPayload, response: z.array(SampleInfo) },
  /** Load a dataset and summarise it (columns, types, stats, classes, first rows, thumbnails). */
  'datasets:inspect': {
    request: z.object({ source: DatasetSource, options: DatasetOptions.default({}), requestId: z.string().max(64).optional() }),
    response: DatasetSummary,
  },
  /** Stop loading the `datasets:inspect` that carried this requestId (it then fails with 'Cancelled'). */
  'datasets:cancel': { request: z.object({ requestId: z.string().max(64) }), response: z.null() },
  ...projectInvokeChannels,
  ...desktopInvokeChannels,
} as const;

/** Event channels: name → payload schema. */
export const eventChannels = {
  'workers:exited': WorkerExited,
  'run:queued': z.object({ run: RunRecord }),
  /** The model built and its preprocessing fitted: enough for live previews before the run ends. */
  'run:started': RunId.extend({ data: RunData, paramCount: z.number().int(), spec: ModelSpecSchema, preprocessing: PreprocessingState }),
  /** Throttled to at most ~20 a second; per-epoch reports are never dropped. */
  'run:progress': RunProgress,
  'run:paused': RunId,
  'run:resumed': RunId.extend({ learningRate: z.number() }),
  'run:finished': z.object({ run: RunRecord }),
  'run:failed': RunId.extend({ error: SerializedError }),
  /** Loading progress of a `datasets:inspect` that carried a requestId. */
  'datasets:progress': z.object({ requestId: z.string(), fraction: z.number().min(0).max(1) }),
  ...desktopEventChannels,
} as const;

export type InvokeChannel = keyof typeof invokeChannels;
export type EventChannel = keyof typeof eventChannels;
/** A request as a caller writes it (defaults may be left out). */
export type RequestOf<C extends InvokeChannel> = z.input<(typeof invokeChannels)[C]['request']>;
/** A request as a handler receives it: validated, defaults filled in. */
export type ParsedRequestOf<C extends InvokeChannel> = z.output<(typeof invokeChannels)[C]['request']>;
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
  /** The channel exists but not in this mode (a native dialog in web mode). */
  Unsupported: 'Unsupported',
} as const;

/** An error carrying a contract error name, thrown by services and rebuilt by the client. */
export class StudioError extends Error {
  constructor(override readonly name: string, message: string, readonly problem?: DatasetProblem) {
    super(message);
  }
  toJSON(): SerializedError {
    return { name: this.name, message: this.message, ...(this.problem ? { problem: this.problem } : {}) };
  }
}

/** Errors a person can act on keep their name (and a dataset problem its details); anything else is internal. */
export function serializeError(e: unknown): SerializedError & { internal: boolean } {
  const error = e instanceof Error ? e : new Error(String(e));
  const internal = error.name === 'Error' || error.name === 'TypeError' || error.name === 'RangeError' || error.name === 'ReferenceError';
  const json = (error as { toJSON?: () => unknown }).toJSON?.();
  const problem = DatasetProblem.safeParse(json);
  return {
    name: internal ? ErrorNames.InternalError : error.name,
    message: error.message,
    ...(problem.success ? { problem: problem.data } : {}),
    internal,
  };
}

export { describeSchemaError } from './schema-error.js';
