/**
 * What the preload puts on `window.studio`: a transport for the typed client
 * (shared/ipc/client.ts), restricted to the contract's channels. The renderer never sees
 * ipcRenderer itself.
 */
import type { Transport } from '../shared/ipc/client.js';

export interface StudioBridge extends Transport {
  /** The on-disk path of a file the person dropped or picked (desktop app only). */
  pathForFile(file: File): string;
}

declare global {
  interface Window {
    studio?: StudioBridge;
  }
}
