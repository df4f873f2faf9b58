/**
 * Messages between the backend and a worker process (one per training run). Both directions are
 * discriminated unions on `type`, validated on arrival; an unknown type is refused, never guessed.
 * The runs issue grows these unions (start, pause, resume, stop, progress, finished, failed).
 */
import { z } from 'zod';

/** Backend → worker. */
export const ToWorker = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ping'), id: z.number().int(), message: z.string() }),
  z.object({ type: z.literal('shutdown') }),
]);
export type ToWorker = z.infer<typeof ToWorker>;

/** Worker → backend. */
export const FromWorker = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready'), pid: z.number().int() }),
  z.object({ type: z.literal('pong'), id: z.number().int(), message: z.string(), pid: z.number().int() }),
  /** The worker could not understand a message it was sent. */
  z.object({ type: z.literal('protocol-error'), message: z.string() }),
]);
export type FromWorker = z.infer<typeof FromWorker>;
