/**
 * The renderer is served from `app://nn-studio/…`, a custom protocol, instead of `file://`
 * (Electron's security checklist, item 18): the page can reach only the built renderer's folder,
 * not every file on the disk, and its responses carry the Content-Security-Policy header, which a
 * `file://` page cannot receive. Resolving a request to a file is pure and tested here; the
 * handler in main/index.ts only reads the file.
 */
import { isAbsolute, join, normalize, relative, sep } from 'node:path';
import { contentTypeFor, rendererCsp } from '../renderer-serving.js';

export const APP_SCHEME = 'app';
export const APP_HOST = 'nn-studio';
/** The page the window loads. */
export const APP_INDEX_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/** The policy for the app's own page (no network beyond its own origin). */
export const APP_CSP = rendererCsp();

/** True for a URL of the app's own page (scheme and host both ours). */
export function isAppUrl(url: string | undefined): boolean {
  if (!url) return false;
  try {
    const parsed = new URL(url);
    return parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST;
  } catch {
    return false;
  }
}

/**
 * The file under `root` that an `app://nn-studio/…` request names, or null when the URL is not
 * ours or would leave `root` (`..`, encoded separators, absolute paths): those get a 404.
 */
export function resolveAppRequest(root: string, url: string): string | null {
  if (!isAppUrl(url)) return null;
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(url).pathname);
  } catch {
    return null; // malformed percent-encoding
  }
  if (pathname.includes('\0')) return null;
  const wanted = pathname === '/' || pathname === '' ? 'index.html' : pathname.replace(/^\/+/, '');
  const file = normalize(join(root, wanted));
  const inside = relative(root, file);
  if (inside === '' || inside.startsWith(`..${sep}`) || inside === '..' || isAbsolute(inside)) return null;
  return file;
}

/** Headers for a file served to the app's page. */
export function responseHeaders(path: string): Record<string, string> {
  return {
    'Content-Type': contentTypeFor(path),
    'Content-Security-Policy': APP_CSP,
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-store',
  };
}
