/**
 * What About NN Studio says: the version, the engine's kernel backend, and the Electron, Chromium
 * and Node versions it runs on, all read from the running backend's `app:info`. Pure.
 */
import type { AppInfo } from '../../shared/ipc/contract.js';

/** The lines of the About box's detail text. */
export function aboutLines(info: AppInfo): string[] {
  const { engine, versions } = info;
  const simd = engine.simd ? 'SIMD available' : 'no SIMD';
  const threads = `${engine.threads} thread${engine.threads === 1 ? '' : 's'}`;
  return [
    `Version ${info.version}`,
    `Engine backend: ${engine.backend} (${simd}, ${threads}, ${info.cores} cores)`,
    `Electron ${versions.electron ?? '—'} · Chromium ${versions.chrome ?? '—'} · Node ${versions.node}`,
    `${info.platform} ${info.arch}`,
  ];
}

/** The About box as a message box (Windows and Linux): title, message and detail. */
export function aboutMessage(info: AppInfo): { title: string; message: string; detail: string } {
  return { title: `About ${info.name}`, message: `${info.name} ${info.version}`, detail: aboutLines(info).slice(1).join('\n') };
}
