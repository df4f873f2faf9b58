/**
 * Web mode's access token: taken from the page's address once (`?token=` in the URL that
 * `nn-studio serve` printed), kept in this tab's sessionStorage, and removed from the address bar
 * so it does not linger in history or get copied with the link. The host sets no cookie: the token
 * travels only where the page puts it (the WebSocket's address, the upload header).
 */
const KEY = 'nn-studio-token';

/** The token for this tab ('' when there is none: the host will refuse the page's requests). */
export function accessToken(): string {
  const url = new URL(location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    sessionStorage.setItem(KEY, fromUrl);
    url.searchParams.delete('token');
    history.replaceState(history.state, '', url.pathname + url.search + url.hash);
    return fromUrl;
  }
  return sessionStorage.getItem(KEY) ?? '';
}
