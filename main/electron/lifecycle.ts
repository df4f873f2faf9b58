/**
 * Quitting: a quit asks every window with unsaved changes first (a cancelled close cancels the
 * quit); once every window has agreed, the workers stop and the settings writes reach the disk
 * (never waiting longer than `flushTimeoutMs` for a stuck worker) before the app really quits.
 * Closing the last window quits, except on macOS where the app stays in the Dock. Takes Electron's
 * `app` as a parameter, so it is tested under Node with a fake.
 */
import type { App } from 'electron';

export interface Lifecycle {
  /** Whether a quit is under way (the unsaved-changes question then says so). */
  quitting(): boolean;
  /** The person cancelled a close during a quit: the app stays. */
  cancelQuit(): void;
  /** A window has closed: a quit paused by its unsaved-changes question goes on. */
  windowClosed(): void;
}

export function createLifecycle(
  electron: { app: Pick<App, 'on' | 'quit'> },
  options: { platform: string; flush: () => Promise<unknown>; flushTimeoutMs?: number },
): Lifecycle {
  const { app } = electron;
  let quitting = false;
  let flushed = false;
  app.on('before-quit', () => (quitting = true));
  app.on('window-all-closed', () => {
    if (options.platform !== 'darwin' || quitting) app.quit();
  });
  app.on('will-quit', (event) => {
    if (flushed) return;
    event.preventDefault();
    const timeout = new Promise((resolve) => setTimeout(resolve, options.flushTimeoutMs ?? 5000));
    void Promise.race([options.flush().catch(() => {}), timeout]).then(() => {
      flushed = true;
      app.quit();
    });
  });
  return {
    quitting: () => quitting,
    cancelQuit: () => (quitting = false),
    windowClosed: () => {
      if (quitting) app.quit();
    },
  };
}
