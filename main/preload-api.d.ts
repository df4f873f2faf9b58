/**
 * What the preload puts on `window.studio`: a transport for the typed client
 * (shared/ipc/client.ts), restricted to the contract's channels, and the paths of dropped files.
 * The renderer never sees ipcRenderer itself. Absent in web mode (a browser has no paths).
 */
import type { Transport } from '../shared/ipc/client.js';

/** A dropped or picked file or folder: its path, and what it is judged by its name. */
export interface DroppedPath {
  path: string;
  /** 'project': a .nnstudio file to open; 'dataset': something to import (folders included); 'other': neither. */
  kind: 'project' | 'dataset' | 'other';
}

export interface StudioBridge extends Transport {
  /** The on-disk path of a file the person dropped or picked ('' for a File the page made itself). */
  pathForFile(file: File): string;
  /**
   * The on-disk paths of dropped or picked files and folders (pass `Array.from(dataTransfer.files)`),
   * each once, in order; files the page made itself are left out.
   */
  droppedPaths(files: readonly File[]): DroppedPath[];
}

declare global {
  interface Window {
    studio?: StudioBridge;
  }
}
