/**
 * Checks, before any work starts, that a command can write its output where the person asked: a
 * run that trains for an hour and then cannot save is lost. The target must be a new or regular
 * file in an existing folder that accepts new files (probed by creating and removing one, which
 * answers for permissions, read-only mounts and special file systems alike).
 */
import { randomBytes } from 'node:crypto';
import { access, constants, open, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { describeKind, realTarget } from '../projects/atomic.js';
import { UsageError } from './command.js';
import { systemErrorReason } from './user-errors.js';

/** Resolves `path` and throws a UsageError naming `flag` when a file cannot be written there. */
export async function checkOutputFile(path: string, flag: string, example: string): Promise<string> {
  // The file a save will really write: through symbolic links, as writeFileAtomic does.
  const target = await realTarget(resolve(path));
  const refuse = (why: string) => new UsageError(`${flag} ${path}: ${why}`);
  const existing = await stat(target).catch(() => null);
  if (existing?.isDirectory()) throw refuse(`is a folder; name a file inside it, like ${join(path, example)}`);
  if (existing && !existing.isFile()) throw refuse(`${describeKind(existing)}, not a regular file`);
  const folder = dirname(target);
  const parent = await stat(folder).catch(() => null);
  if (!parent) throw refuse(`the folder ${folder} does not exist`);
  if (!parent.isDirectory()) throw refuse(`${folder} is a file, not a folder`);
  const probe = join(folder, `.nn-studio-write-check-${randomBytes(4).toString('hex')}`);
  try {
    await (await open(probe, 'wx')).close();
    await rm(probe, { force: true });
    if (existing) await access(target, constants.W_OK);
  } catch (e) {
    const code = (e as { code?: string }).code ?? '';
    throw refuse(`cannot be written (${systemErrorReason(code)})`);
  }
  return target;
}
