/**
 * The shape every `nn-studio` sub-command has. The dispatcher (`main/cli/index.ts`) parses nothing
 * itself: each command declares its options for `node:util`'s `parseArgs` and gets them back typed
 * loosely, so a command file reads top to bottom like its `--help` text.
 */
import type { ParseArgsConfig } from 'node:util';

export interface CommandContext {
  /** Positional arguments after the command name. */
  positionals: string[];
  /** Parsed options (`--name value`, `--flag`). */
  values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  /** Write one line to stdout. */
  out: (line: string) => void;
  /** Write one line to stderr. */
  err: (line: string) => void;
}

export interface Command {
  name: string;
  /** One line shown in `nn-studio --help`. */
  summary: string;
  /** Usage text shown by `nn-studio <command> --help`. */
  usage: string;
  options: NonNullable<ParseArgsConfig['options']>;
  /** Returns the process exit code (0 ok, 1 a check failed, 2 bad usage or bad input). */
  run(ctx: CommandContext): Promise<number>;
}

/**
 * A user's mistake (bad flag, missing file, malformed data). The dispatcher prints its message as
 * one line on stderr and exits with `exitCode`, never with a stack trace.
 */
export class UsageError extends Error {
  override name = 'UsageError';
  constructor(message: string, readonly exitCode = 2) {
    super(message);
  }
}
