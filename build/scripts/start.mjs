#!/usr/bin/env node
/**
 * `npm start`: build, then launch the desktop app. Where Electron's runtime is not installed and
 * cannot be downloaded (an offline machine), say so in one sentence and start web mode instead.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureBuilt } from './build.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The Electron binary's path, or null when the runtime is not installed (read as the electron package does, without its auto-download). */
function electronBinary() {
  const pkg = join(root, 'node_modules', 'electron');
  const pathFile = join(pkg, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const executable = readFileSync(pathFile, 'utf8').trim();
  const dist = process.env.ELECTRON_OVERRIDE_DIST_PATH ?? join(pkg, 'dist');
  const binary = join(dist, executable);
  return existsSync(binary) ? binary : null;
}

/** npm 11 skips dependencies' install scripts, so Electron's download may never have run: try it once. */
function tryInstallElectron() {
  const installer = join(root, 'node_modules', 'electron', 'install.js');
  if (!existsSync(installer) || process.env.NN_STUDIO_NO_ELECTRON_DOWNLOAD) return;
  process.stdout.write('Fetching the Electron runtime…\n');
  spawnSync(process.execPath, [installer], { cwd: root, stdio: 'ignore', timeout: 120_000 });
}

await ensureBuilt({ ifStale: true });

let electron = electronBinary();
if (!electron) {
  tryInstallElectron();
  electron = electronBinary();
}

const child = electron
  ? spawn(electron, [root, ...process.argv.slice(2)], { stdio: 'inherit' })
  : (process.stdout.write('The Electron runtime could not be downloaded on this machine, so NN Studio is starting in web mode: open the address below in your browser.\n'),
    spawn(process.execPath, [join(root, 'main', 'cli', 'bin.cjs'), 'serve', ...process.argv.slice(2)], { stdio: 'inherit' }));

for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(signal ? 1 : code ?? 0));
