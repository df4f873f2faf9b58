/** Runs `nn-studio …` exactly as `npx nn-studio` does: through the package's bin, in a child process. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { appRoot } from '../../main/paths.js';

export function nnStudio(args: string[], options: { cwd?: string; input?: string; timeout?: number } = {}) {
  const result = spawnSync(process.execPath, [join(appRoot, 'main', 'cli', 'bin.cjs'), ...args], {
    cwd: options.cwd ?? appRoot,
    encoding: 'utf8',
    timeout: options.timeout ?? 120_000,
    input: options.input,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}
