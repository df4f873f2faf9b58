import { describe, expect, it } from 'vitest';
import { appVersion } from '../../main/paths.js';
import { nnStudio } from './run.js';

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
