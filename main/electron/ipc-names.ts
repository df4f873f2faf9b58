/** The raw Electron IPC channels the contract rides on (requests, and pushed events). */
export const INVOKE_CHANNEL = 'studio:invoke';
export const EVENT_CHANNEL = 'studio:event';
/**
 * The preload tells main which event channels its page has started listening to, so main can hold
 * back commands that arrive before the page is ready (a file double-clicked to launch the app).
 */
export const LISTEN_CHANNEL = 'studio:listen';
/**
 * The preload tells main the paths of files the person dropped or picked (resolved from their
 * File objects), so main records them as grants before the page asks to open them.
 */
export const GRANT_CHANNEL = 'studio:grant-dropped';
