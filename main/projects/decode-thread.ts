/**
 * The thread that decodes project files (shared/project/codec.ts), so that inflating and checking
 * a large or hostile file never holds up the process that serves the studio: in web mode another
 * client's requests are answered meanwhile, and a desktop window keeps repainting.
 * One message in ({ bytes, file, limits }), one out ({ ok, value } or { ok: false, error }).
 */
import { parentPort, threadId } from 'node:worker_threads';
import { decodeProject } from '../../shared/project/codec.js';
import { ProjectError } from '../../shared/project/errors.js';
import type { DecodeRequest, DecodeReply } from './decode.js';

parentPort!.once('message', ({ bytes, file, limits }: DecodeRequest) => {
  let reply: DecodeReply;
  try {
    reply = { ok: true, value: decodeProject(bytes, file, { limits }), threadId };
  } catch (e) {
    const error = e instanceof ProjectError
      ? { name: 'ProjectError' as const, code: e.code, file: e.file, detail: e.message.slice(e.file.length + 2) }
      : { name: 'Error' as const, message: e instanceof Error ? e.message : String(e) };
    reply = { ok: false, error, threadId };
  }
  parentPort!.postMessage(reply);
});
