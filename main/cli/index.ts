/**
 * `nn-studio` — the headless face of the studio. Every command runs the same services and worker
 * processes as the app (design rule 4). Usage errors exit 2 with one line on stderr.
 */
import { parseArgs } from 'node:util';
import { UsageError, type Command } from './command.js';
import { commands } from './commands/index.js';
import { appVersion } from '../paths.js';

function helpText(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    `NN Studio ${appVersion()} — build, train, inspect and export neural networks written from scratch.`,
    '',
    'Usage: nn-studio <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Options:',
    '  --help, -h     show help (also: nn-studio <command> --help)',
    '  --version, -v  print the version',
  ].join('\n');
}

const out = (line: string) => void process.stdout.write(line + '\n');
const err = (line: string) => void process.stderr.write(line + '\n');

export async function main(argv: string[]): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    out(helpText());
    return 0;
  }
  if (first === '--version' || first === '-v') {
    out(appVersion());
    return 0;
  }
  const command: Command | undefined = commands.find((c) => c.name === first);
  if (!command) {
    err(first.startsWith('-')
      ? `nn-studio: unknown option '${first}' (see 'nn-studio --help')`
      : `nn-studio: unknown command '${first}' (see 'nn-studio --help')`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    out(command.usage);
    return 0;
  }
  try {
    const { values, positionals } = parseArgs({ args: rest, options: command.options, allowPositionals: true, strict: true });
    return await command.run({ values, positionals, out, err });
  } catch (e) {
    const error = e as Error & { code?: string };
    if (e instanceof UsageError) {
      err(`nn-studio ${command.name}: ${e.message}`);
      return e.exitCode;
    }
    if (error.code?.startsWith('ERR_PARSE_ARGS')) {
      err(`nn-studio ${command.name}: ${error.message.split('\n')[0]} (see 'nn-studio ${command.name} --help')`);
      return 2;
    }
    throw e;
  }
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (e: unknown) => {
    // Not the user's mistake: keep the stack, it is a bug report.
    err(`nn-studio: internal error: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
    process.exitCode = 70;
  },
);
