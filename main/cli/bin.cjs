#!/usr/bin/env node
// The `nn-studio` command. Builds the Node parts of a source checkout when they are missing or
// older than their sources (a fresh clone needs no separate build step), then runs the CLI.
'use strict';
const { join } = require('node:path');
const { pathToFileURL } = require('node:url');
const { existsSync } = require('node:fs');

const root = join(__dirname, '..', '..');
(async () => {
  const builder = join(root, 'build', 'scripts', 'build.mjs');
  const cli = join(root, 'out', 'cli.mjs');
  // A packaged install has out/ and no build tools: run what is there.
  if (existsSync(builder) && existsSync(join(root, 'node_modules', 'esbuild'))) {
    const { ensureBuilt } = await import(pathToFileURL(builder).href);
    await ensureBuilt({ only: ['node'], ifStale: true });
  }
  await import(pathToFileURL(cli).href);
})().catch((e) => {
  process.stderr.write(`nn-studio: could not start: ${e && e.message ? e.message : e}\n`);
  process.exitCode = 1;
});
