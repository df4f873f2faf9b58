import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appRoot, appVersion } from '../../main/paths.js';

/** Runs `nn-studio …` exactly as `npx nn-studio` does: through the package's bin. */
export function nnStudio(args: string[], options: { input?: string; timeout?: number } = {}) {
  const result = spawnSync(process.execPath, [join(appRoot, 'main', 'cli', 'bin.cjs'), ...args], {
    cwd: appRoot,
    encoding: 'utf8',
    timeout: options.timeout ?? 60_000,
    input: options.input,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('nn-studio CLI', () => {
  it('prints help listing its commands', () => {
    const { code, stdout } = nnStudio(['--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('Usage: nn-studio <command>');
    expect(stdout).toMatch(/^\s+serve\s/m);
  });

  it('prints the version from package.json', () => {
    expect(nnStudio(['--version'])).toMatchObject({ code: 0, stdout: `${appVersion()}\n` });
  });

  it('exits 2 with one line on stderr for an unknown option or command', () => {
    for (const args of [['--bogus'], ['frobnicate'], ['serve', '--port', 'eighty']]) {
      const { code, stderr, stdout } = nnStudio(args);
      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(stderr).not.toMatch(/\bat .*\(.*:\d+:\d+\)/); // no stack trace
    }
  });
});
