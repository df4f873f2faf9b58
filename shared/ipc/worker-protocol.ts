/**
 * Messages between the backend and a worker process (one per training run). Both directions are
 * discriminated unions on `type`, validated on arrival; an unknown type is refused, never guessed.
 * The runs issue grows these unions (start, pause, resume, stop, progress, finished, failed).
 */
import { z } from 'zod';
import { RunData, RunOutcome, RunProgress } from '../runs/results.js';
import { ModelSpecSchema } from '../nn/spec.js';
import { PreprocessingState } from '../data/preprocess.js';
import { SerializedError } from './contract.js';

/** Backend → worker. */
export const ToWorker = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ping'), id: z.number().int(), message: z.string() }),
  z.object({ type: z.literal('shutdown') }),
  /** Train one run (its config is validated by the worker, which owns the defaults). */
  z.object({ type: z.literal('run:start'), runId: z.string(), config: z.unknown() }),
  /** Pause at the next batch boundary. */
  z.object({ type: z.literal('run:pause') }),
  /** Resume, optionally with a new base learning rate. */
  z.object({ type: z.literal('run:resume'), learningRate: z.number().positive().optional() }),
  /** Stop at the next batch boundary, keeping the weights reached, and finish the run. */
  z.object({ type: z.literal('run:stop') }),
]);
export type ToWorker = z.infer<typeof ToWorker>;

/** Worker → backend. */
export const FromWorker = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready'), pid: z.number().int() }),
  z.object({ type: z.literal('pong'), id: z.number().int(), message: z.string(), pid: z.number().int() }),
  /** The worker could not understand a message it was sent. */
  z.object({ type: z.literal('protocol-error'), message: z.string() }),
  z.object({ type: z.literal('run:loading'), runId: z.string(), fraction: z.number().min(0).max(1).nullable() }),
  z.object({
    type: z.literal('run:started'), runId: z.string(), data: RunData, paramCount: z.number().int(),
    spec: ModelSpecSchema, preprocessing: PreprocessingState, training: z.unknown(),
  }),
  z.object({ type: z.literal('run:progress'), progress: RunProgress }),
  z.object({ type: z.literal('run:paused'), runId: z.string() }),
  z.object({ type: z.literal('run:resumed'), runId: z.string(), learningRate: z.number() }),
  z.object({ type: z.literal('run:finished'), runId: z.string(), outcome: RunOutcome }),
  z.object({ type: z.literal('run:failed'), runId: z.string(), error: SerializedError }),
]);
export type FromWorker = z.infer<typeof FromWorker>;
