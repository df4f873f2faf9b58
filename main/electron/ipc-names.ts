/** The two raw Electron IPC channels the contract rides on (requests, and pushed events). */
export const INVOKE_CHANNEL = 'studio:invoke';
export const EVENT_CHANNEL = 'studio:event';
