/**
 * Where the next window opens: the bounds the last closed window had (userData/window-state.json),
 * when they still fit a connected display (restoreBounds in window-state.ts), else centred on the
 * primary display. Takes Electron's `screen` as a parameter, so it is tested under Node with a fake.
 */
import type { Screen } from 'electron';
import { readJson, serialWriter } from './json-store.js';
import { restoreBounds, WindowState, type Rectangle } from './window-state.js';

export interface WindowBounds {
  /** Reads the stored bounds (none, corrupt or of another shape: the default placement). */
  load(): Promise<void>;
  /** The bounds and maximised state for a new window, against the displays connected now. */
  next(): { bounds: Rectangle; maximized: boolean };
  /** A window is closing for good: its bounds are the ones to reopen with. */
  remember(state: WindowState): void;
  /** Resolves once the last bounds are on disk. */
  idle(): Promise<void>;
}

export function createWindowBounds(electron: { screen: Pick<Screen, 'getPrimaryDisplay' | 'getAllDisplays'> }, options: { file: string }): WindowBounds {
  const writer = serialWriter(options.file);
  let saved: WindowState | null = null;
  return {
    async load() {
      saved = await readJson(options.file, WindowState, null);
    },
    next() {
      const workAreas = electron.screen.getAllDisplays().map((d) => d.workArea);
      return { bounds: restoreBounds(saved, workAreas, electron.screen.getPrimaryDisplay().workArea), maximized: saved?.maximized ?? false };
    },
    remember(state) {
      saved = state;
      void writer.write(state).catch(() => {});
    },
    idle: () => writer.idle(),
  };
}
