#!/usr/bin/env node
/**
 * Builds NN Studio into out/:
 *   out/cli.mjs, out/worker.mjs       Node entries (CLI + web host, training worker), ESM
 *   out/main/index.cjs, preload.cjs   Electron main and the sandboxed preload, CommonJS
 *   out/renderer/                     the Svelte renderer (Vite)
 *   out/wasm/                         compiled WebAssembly kernels, when their sources exist
 *
 * `node build/scripts/build.mjs` builds everything; `--if-stale` skips the parts whose sources are
 * older than their output (the CLI launcher and `serve` use it, so a fresh clone builds itself).
 */
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildWasm } from './build-wasm.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const out = join(root, 'out');

/** Newest modification time (ms) of any file under the given folders, skipping build output. */
function newestMtime(dirs) {
  let newest = 0;
  const walk = (dir) => {
    if (!existsSync(dir)) return;
    if (!statSync(dir).isDirectory()) {
      newest = Math.max(newest, statSync(dir).mtimeMs);
      return;
    }
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
      const p = join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else newest = Math.max(newest, statSync(p).mtimeMs);
    }
  };
  dirs.forEach((d) => walk(join(root, d)));
  return newest;
}

function stampTime(name) {
  const p = join(out, `.stamp-${name}`);
  return existsSync(p) ? statSync(p).mtimeMs : 0;
}

/** Stamps a part as built from the sources as they were at `startedMs` (a file saved during the build stays newer). */
function writeStamp(name, startedMs) {
  mkdirSync(out, { recursive: true });
  const stamp = join(out, `.stamp-${name}`);
  writeFileSync(stamp, new Date(startedMs).toISOString());
  utimesSync(stamp, startedMs / 1000, startedMs / 1000);
}

const parts = {
  node: { sources: ['main', 'shared', 'shared/nn/wasm/assembly', 'build/scripts', 'package.json'], build: buildNode },
  renderer: { sources: ['renderer', 'shared', 'main/preload-api.d.ts', 'build/scripts'], build: buildRenderer },
};

/**
 * The contract's channel names, read from shared/ipc/contract.ts at build time: the preload checks
 * names against these lists, so it need not bundle the contract's schemas (zod and ~21 modules).
 */
async function contractChannelNames(esbuild, common) {
  const file = join(out, '.contract-channels.mjs');
  await esbuild.build({ ...common, sourcemap: false, format: 'esm', entryPoints: ['shared/ipc/contract.ts'], outfile: file });
  try {
    const { invokeChannels, eventChannels } = await import(`${pathToFileURL(file).href}?${Date.now()}`);
    return { invoke: Object.keys(invokeChannels), event: Object.keys(eventChannels) };
  } finally {
    rmSync(file, { force: true }); // not part of the app
  }
}

async function buildNode() {
  const esbuild = await import('esbuild');
  const common = {
    bundle: true,
    platform: 'node',
    target: 'node20',
    packages: 'external',
    sourcemap: true,
    logLevel: 'warning',
    absWorkingDir: root,
  };
  const channels = await contractChannelNames(esbuild, common);
  await Promise.all([
    esbuild.build({ ...common, format: 'esm', entryPoints: { cli: 'main/cli/index.ts', worker: 'main/worker/index.ts', 'decode-thread': 'main/projects/decode-thread.ts' }, outdir: out, outExtension: { '.js': '.mjs' } }),
    // Electron's main process: CommonJS, with import.meta.url rebuilt from __filename.
    esbuild.build({
      ...common,
      format: 'cjs',
      entryPoints: { index: 'main/index.ts' },
      outdir: join(out, 'main'),
      outExtension: { '.js': '.cjs' },
      external: ['electron'],
      define: { 'import.meta.url': '__importMetaUrl' },
      banner: { js: 'const __importMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
    }),
    // The sandboxed preload can require nothing but electron: bundle everything else into it, with
    // the contract's channel names as a constant (main/preload.ts declares STUDIO_CHANNELS).
    esbuild.build({
      define: { STUDIO_CHANNELS: JSON.stringify(channels) },
      ...common,
      packages: undefined,
      minify: true,
      format: 'cjs',
      entryPoints: { preload: 'main/preload.ts' },
      outdir: join(out, 'main'),
      outExtension: { '.js': '.cjs' },
      external: ['electron'],
    }),
    buildWasm(),
  ]);
}

async function buildRenderer() {
  const { build } = await import('vite');
  await build({ configFile: join(root, 'renderer', 'vite.config.ts'), logLevel: 'warn' });
}

/** Builds the named parts (all by default); with ifStale, only those whose sources changed. */
export async function ensureBuilt({ only = Object.keys(parts), ifStale = false } = {}) {
  for (const name of only) {
    const part = parts[name];
    if (ifStale && stampTime(name) > newestMtime(part.sources)) continue;
    const started = Date.now();
    await part.build();
    writeStamp(name, started);
    if (!ifStale || process.env.NN_STUDIO_BUILD_VERBOSE) process.stderr.write(`built ${name} in ${Date.now() - started} ms\n`);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const only = args.filter((a) => !a.startsWith('--'));
  ensureBuilt({ only: only.length ? only : undefined, ifStale: args.includes('--if-stale') }).catch((e) => {
    process.stderr.write(`build failed: ${e?.message ?? e}\n`);
    process.exit(1);
  });
}
