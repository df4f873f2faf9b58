/**
 * `nn-studio` — the headless face of the studio. Every command runs the same services and worker
 * processes as the app (design rule 4). Usage errors exit 2 with one line on stderr.
 */
import { parseArgs } from 'node:util';
import type { Command } from './command.js';
import { joinNegativeValues, userErrorOf } from './user-errors.js';
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
  let subject: string | undefined;
  try {
    const args = joinNegativeValues(rest, command.options as Record<string, { type: 'string' | 'boolean' }>);
    const { values, positionals } = parseArgs({ args, options: command.options, allowPositionals: true, strict: true });
    subject = positionals[0];
    return await command.run({ values, positionals, out, err });
  } catch (e) {
    // Every mistake of the person's, from any layer, ends here as one line (user-errors.ts).
    const mistake = userErrorOf(e, subject);
    if (!mistake) throw e;
    const hint = (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') ? ` (see 'nn-studio ${command.name} --help')` : '';
    err(`nn-studio ${command.name}: ${mistake.line}${hint}`);
    return mistake.exitCode;
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
