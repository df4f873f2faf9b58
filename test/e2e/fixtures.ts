/**
 * The studio as a person starts it: `nn-studio serve` in a child process, the URL it prints
 * (with its access token) opened in Chromium.
 */
import { test as base } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Studio {
  url: string;
  origin: string;
  token: string;
  /** The workspace it was started with (--root): the only folder it reads and writes besides uploads. */
  root: string;
}

/**
 * Starts `nn-studio serve` with its own data folder (autosaves, recovery), so a developer's own
 * ~/.nn-studio never leaks into a test; `env` adds or overrides variables.
 */
export async function startStudio(env: Record<string, string> = {}): Promise<{ studio: Studio; child: ChildProcess }> {
  const dataDir = env.NN_STUDIO_USER_DATA ?? mkdtempSync(join(tmpdir(), 'nn-e2e-data-'));
  const root = mkdtempSync(join(tmpdir(), 'nn-e2e-workspace-'));
  const child = spawn(process.execPath, [join(process.cwd(), 'main', 'cli', 'bin.cjs'), 'serve', '--port', '0', '--root', root], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NN_STUDIO_USER_DATA: dataDir, ...env },
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`nn-studio serve printed no URL in 60 s:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /(http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]+)/.exec(output);
      if (match) { clearTimeout(timer); resolve(match[1]); }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`nn-studio serve exited with ${code}:\n${output}`)));
  });
  const parsed = new URL(url);
  return { studio: { url, origin: parsed.origin, token: parsed.searchParams.get('token')!, root }, child };
}

/** Each test gets a studio of its own, so no test's leftovers (runs, uploads, autosaves) reach another. */
export const test = base.extend<{ studio: Studio }>({
  studio: async ({}, use) => {
    const { studio, child } = await startStudio();
    await use(studio);
    child.kill('SIGTERM');
  },
});

export { expect } from '@playwright/test';
