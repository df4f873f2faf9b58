/**
 * Locks down every web contents the app creates (docs/security.md): the page never navigates
 * (not by a link, not by a server redirect, not in a sub-frame), never attaches a <webview>, and
 * never opens a window; a link the page tries to open goes to the system browser when allowed.
 * Takes the web contents as a parameter, so the wiring is tested under Node with a fake.
 */
import type { WebContents } from 'electron';
import { navigationAllowed } from './security.js';

/** The part of Electron's WebContents that lockDown uses. */
export type LockableContents = Pick<WebContents, 'on' | 'setWindowOpenHandler'>;

/** A navigation event: Electron passes the target URL on the event (`details.url`). */
interface NavigationEvent {
  url: string;
  preventDefault(): void;
}

/** Every navigation event that can take the page (or one of its frames) away from the app. */
export const NAVIGATION_EVENTS = ['will-navigate', 'will-redirect', 'will-frame-navigate'] as const;

/** Denies navigation, redirects, sub-frame navigation, new windows and <webview>s on `contents`. */
export function lockDown(contents: LockableContents, openExternal: (url: string) => void): void {
  const refuseNavigation = (event: NavigationEvent) => {
    if (!navigationAllowed(event.url)) event.preventDefault();
  };
  for (const name of NAVIGATION_EVENTS) (contents.on as (name: string, listener: (event: NavigationEvent) => void) => void)(name, refuseNavigation);
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    openExternal(url);
    return { action: 'deny' };
  });
}

/** The system-browser opener the lock-down hands links to: only URLs `allowed` accepts, and never synchronously. */
export function externalOpener(shell: { openExternal(url: string): Promise<void> }, allowed: (url: string) => boolean): (url: string) => void {
  return (url) => {
    if (allowed(url)) setImmediate(() => void shell.openExternal(url).catch(() => {}));
  };
}
