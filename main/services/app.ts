/** `app:info`: what the About box and the welcome screen show, read from the running backend. */
import { availableParallelism } from 'node:os';
import type { AppInfo } from '../../shared/ipc/contract.js';
import { appVersion } from '../paths.js';
import { describeEngineBackend } from '../engine/backends.js';

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
    engine: describeEngineBackend(),
  };
}

/** Autosave interval: two minutes unless NN_STUDIO_AUTOSAVE_SECONDS says otherwise. */
function autosaveSeconds(): number {
  const value = Number(process.env.NN_STUDIO_AUTOSAVE_SECONDS);
  return value > 0 ? value : 120;
}
