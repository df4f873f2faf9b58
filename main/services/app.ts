/** `app:info`: what the About box and the welcome screen show, read from the running backend. */
import { availableParallelism } from 'node:os';
import type { AppInfo } from '../../shared/ipc/contract.js';
import { appVersion } from '../paths.js';

/** The smallest module using a v128 instruction (from wasm-feature-detect): validates only with SIMD. */
const SIMD_PROBE = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11]);

export function appInfo(mode: AppInfo['mode']): AppInfo {
  const versions = process.versions as NodeJS.ProcessVersions & { electron?: string; chrome?: string };
  return {
    name: 'NN Studio',
    version: appVersion(),
    mode,
    platform: process.platform,
    arch: process.arch,
    cores: availableParallelism(),
    versions: { node: versions.node, electron: versions.electron, chrome: versions.chrome },
    autosaveSeconds: autosaveSeconds(),
    engine: { backend: 'js', simd: WebAssembly.validate(SIMD_PROBE), threads: 1 },
  };
}

/** Autosave interval: two minutes unless NN_STUDIO_AUTOSAVE_SECONDS says otherwise. */
function autosaveSeconds(): number {
  const value = Number(process.env.NN_STUDIO_AUTOSAVE_SECONDS);
  return value > 0 ? value : 120;
}
