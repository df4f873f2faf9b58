/**
 * The security decisions of the desktop app as pure functions (docs/security.md explains each):
 * who may use the IPC bridge, where a page may navigate, which links may leave for the system
 * browser, and which permission requests are granted.
 */
import { isAppUrl } from './app-protocol.js';

/**
 * Only the app's own page, in its top frame, may use the bridge: a sub-frame or a page from
 * anywhere else gets nothing (Electron's checklist, item 17).
 */
export function isTrustedSender(frame: { url: string; isTopFrame: boolean } | null | undefined): boolean {
  return !!frame && frame.isTopFrame && isAppUrl(frame.url);
}

/** The app is a single page: it never navigates, not even to another of its own URLs. */
export function navigationAllowed(_url: string): boolean {
  return false;
}

/**
 * Sites a link in the studio may open in the system browser: the project's own pages (from
 * package.json) and the documentation of the formats it exports to.
 */
export const EXTERNAL_HOSTS = ['github.com', 'onnx.ai', 'onnxruntime.ai', 'www.tensorflow.org', 'numpy.org', 'www.electronjs.org'];

/**
 * Whether `url` may be handed to `shell.openExternal` (checklist item 15): https only (no
 * `file:`, `smb:`, custom handlers or plain http), no credentials in the URL, and a host on the
 * allow-list, compared exactly after the URL parser has normalised it.
 */
export function externalUrlAllowed(url: string, allowedHosts: readonly string[] = EXTERNAL_HOSTS): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'https:' || parsed.username || parsed.password || parsed.port) return false;
  return allowedHosts.includes(parsed.hostname.toLowerCase());
}

/** The host of an https URL from package.json (homepage, bugs), to add to the allow-list; null otherwise. */
export function hostOf(url: string | undefined): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' ? parsed.hostname.toLowerCase() : null;
  } catch {
    return null;
  }
}

/**
 * Permission requests and checks (camera, microphone, notifications, geolocation, MIDI, …) are
 * refused. The one exception is writing to the clipboard from the app's own page, so its Copy
 * buttons work; reading the clipboard stays refused.
 */
export function permissionAllowed(permission: string, requestingUrl: string | undefined): boolean {
  return permission === 'clipboard-sanitized-write' && isAppUrl(requestingUrl);
}
