/**
 * The one place that turns a person's mistake into one line on stderr and exit code 2, whatever
 * layer noticed it: a UsageError, a flag `parseArgs` refused, a setting a schema refused (named
 * by its flag and limit, never a ZodError dump), a file the system refused to open or write, a
 * dataset, project or export problem, or data nested deeper than can be read. Anything else is
 * not the person's mistake and stays a bug report (exit 70, with its stack).
 */
import { z } from 'zod';
import { UsageError } from './command.js';

/** What the person is told: one line, and the exit code. */
export interface UserError {
  line: string;
  exitCode: number;
}

/** Error names the services throw for problems with the person's files or settings. */
const USER_ERROR_NAMES = new Set(['DatasetError', 'ProjectError', 'ExportError', 'SpecError', 'InvalidConfig']);

/** System error codes about a path the person gave, as a person says them. */
const SYSTEM_ERRORS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'the file system is read-only',
  ENOENT: 'no such file or folder',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EISDIR: 'it is a folder, not a file',
  ELOOP: 'too many symbolic links',
  ENAMETOOLONG: 'the name is too long',
  ENOSPC: 'the disk is full',
  EIO: 'the device could not be read or written',
  ENXIO: 'no such device',
};

/** A system error code as a person says it ('EACCES' → 'permission denied'); the code itself when unknown. */
export function systemErrorReason(code: string): string {
  return SYSTEM_ERRORS[code] ?? code;
}

/**
 * The flag a RunConfig field comes from (`training.epochs` → `--epochs`); null for a field no
 * flag sets.
 */
export function flagOfConfigPath(path: readonly PropertyKey[]): string | null {
  const [section, field, index] = path;
  if (section === 'training') {
    const flags: Record<string, string> = { learningRate: '--lr', batchSize: '--batch', epochs: '--epochs', l1: '--l1', l2: '--l2', dropout: '--dropout', patience: '--patience', optimizer: '--optimizer' };
    return typeof field === 'string' ? (flags[field] ?? `--${field}`) : null;
  }
  if (section === 'model') {
    if (field === 'hidden') return typeof index === 'number' ? `--layers (layer ${index + 1})` : '--layers';
    if (field === 'loss') return '--loss';
    return null;
  }
  if (section === 'seed') return '--seed';
  if (section === 'dataset' && field === 'options') {
    const option = path[3] !== undefined && path[2] === 'split' ? '--split' : path[2];
    return typeof option === 'string' ? (option.startsWith('--') ? option : `--${option}`) : null;
  }
  return null;
}

/** A schema issue as its limit in words: "at most 100000", "at least 1", else zod's own message. */
function limitOf(issue: z.core.$ZodIssue): string {
  if (issue.code === 'too_big') return `must be at most ${String(issue.maximum)}`;
  if (issue.code === 'too_small') return `must be at least ${String(issue.minimum)}`;
  return issue.message.toLowerCase();
}

/** One sentence for a schema failure, naming the flag (or the field) of its first issue. */
export function describeConfigError(error: z.ZodError): string {
  const issue = error.issues[0];
  const flag = flagOfConfigPath(issue.path) ?? (issue.path.length ? issue.path.join('.') : 'the settings');
  const more = error.issues.length > 1 ? ` (and ${error.issues.length - 1} more)` : '';
  return `${flag}: ${limitOf(issue)}${more}`;
}

/** The person's mistake behind `e`, or null when `e` is a bug. `subject` is the file the command was given. */
export function userErrorOf(e: unknown, subject?: string): UserError | null {
  const firstLine = (text: string) => text.split('\n')[0];
  if (e instanceof UsageError) return { line: firstLine(e.message), exitCode: e.exitCode };
  if (e instanceof z.ZodError) return { line: describeConfigError(e), exitCode: 2 };
  if (!(e instanceof Error)) return null;
  const { code, path } = e as Error & { code?: string; path?: string };
  if (code?.startsWith('ERR_PARSE_ARGS')) return { line: firstLine(e.message), exitCode: 2 };
  if (code && SYSTEM_ERRORS[code] && path) return { line: `${path}: ${SYSTEM_ERRORS[code]}`, exitCode: 2 };
  if (USER_ERROR_NAMES.has(e.name)) return { line: firstLine(e.message), exitCode: 2 };
  // Data nested so deeply (100,000 brackets) that reading it overflows the stack.
  if (e instanceof RangeError && /call stack/i.test(e.message)) {
    return { line: `${subject ?? 'the input'}: nested too deeply to read (lists or objects inside each other thousands of levels deep)`, exitCode: 2 };
  }
  return null;
}

/**
 * parseArgs reads `--lr -1` as the flag followed by another option and refuses it as ambiguous:
 * a negative number after a flag that takes a value is that flag's value (`--lr=-1`), so the
 * command's own check can say what the value must be.
 */
export function joinNegativeValues(args: readonly string[], options: Record<string, { type: 'string' | 'boolean' }>): string[] {
  const joined: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const name = arg.startsWith('--') && !arg.includes('=') ? arg.slice(2) : null;
    const next = args[i + 1];
    if (name && options[name]?.type === 'string' && next !== undefined && /^-(\d|\.\d|Infinity)/.test(next)) {
      joined.push(`${arg}=${next}`);
      i++;
    } else joined.push(arg);
  }
  return joined;
}
