/**
 * Decodes a project file on a worker thread (decode-thread.ts), never on the calling thread: a
 * zip of hundreds of megabytes takes seconds to inflate and check, and the web host serves every
 * client from one event loop. The bytes are transferred, not copied. Where the built thread file
 * is missing (a test importing the sources without a build) it decodes in place.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { decodeProject, type DecodedProject } from '../../shared/project/codec.js';
import { ProjectError, type ProjectErrorCode } from '../../shared/project/errors.js';
import type { ZipLimits } from '../../shared/project/zip.js';
import { outDir } from '../paths.js';

export interface DecodeRequest { bytes: Uint8Array; file: string; limits: ZipLimits }
export type DecodeReply =
  | { ok: true; value: DecodedProject; threadId: number }
  | { ok: false; error: { name: 'ProjectError'; code: ProjectErrorCode; file: string; detail: string } | { name: 'Error'; message: string }; threadId: number };

const threadEntry = join(outDir, 'decode-thread.mjs');

/** The decoded project and the id of the thread that decoded it (0 is the main thread). */
export async function decodeOffThread(bytes: Uint8Array, file: string, limits: ZipLimits): Promise<{ decoded: DecodedProject; threadId: number }> {
  if (!existsSync(threadEntry)) return { decoded: decodeProject(bytes, file, { limits }), threadId: 0 };
  const worker = new Worker(threadEntry);
  try {
    const reply = await new Promise<DecodeReply>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`the project decoder stopped (exit code ${code}) before answering`)));
      const transferable = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
      worker.postMessage({ bytes, file, limits } satisfies DecodeRequest, transferable ? [bytes.buffer as ArrayBuffer] : []);
    });
    if (reply.ok) return { decoded: reply.value, threadId: reply.threadId };
    const { error } = reply;
    throw error.name === 'ProjectError' ? new ProjectError(error.code, error.file, error.detail) : new Error(error.message);
  } finally {
    void worker.terminate();
  }
}
