/**
 * The desktop channels of the contract: native menus, dialogs and the window's document state.
 * contract.ts merges them into its channel maps; in the desktop app main answers them with the
 * window that asked, and the web host (no windows, no native dialogs) answers `dialog:*` with an
 * 'Unsupported' error and `window:*` with null, so the renderer feature-detects with `app:info`'s
 * `mode` and uses its own dialogs there.
 *
 * Who guards unsaved work: the renderer, before it replaces its project (New, Open, a drop, a
 * command from main carrying a path), asking with `dialog:unsaved` in the desktop app; main, when
 * the window closes or the app quits (it knows the state from `window:document`).
 */
import { z } from 'zod';
import { ExportFormat } from '../export/formats.js';

// ---------------------------------------------------------------------------------------------
// Event: main → renderer

/** What a menu item (or the OS: a double-clicked file, a second launch) asks the renderer to do. */
export const MenuCommand = z.object({
  command: z.enum(['new', 'open', 'save', 'save-as', 'import-dataset', 'export-model']),
  /** 'open': the project file to open (main already asked for it, or the OS handed it over). */
  path: z.string().min(1).optional(),
  /** 'import-dataset': the files or folder chosen (several IDX files make one dataset). */
  paths: z.array(z.string().min(1)).min(1).optional(),
  /**
   * 'save' asked by main before closing the window or quitting: when the save flow ends (saved,
   * or cancelled/failed), answer with `window:saved` and this id so the close goes on or stops.
   */
  replyId: z.number().int().positive().optional(),
});
export type MenuCommand = z.infer<typeof MenuCommand>;

// ---------------------------------------------------------------------------------------------
// Requests: renderer → main

export const OpenDialogRequest = z.object({
  /**
   * 'dataset' allows several files (IDX pairs); 'dataset-folder' picks a folder (image classes, IDX set);
   * 'result-folder' the folder a PyTorch job wrote its results to (Runs → Import results…).
   */
  kind: z.enum(['project', 'dataset', 'dataset-folder', 'result-folder']),
});
/** The chosen paths; empty when the person cancelled. */
export const OpenDialogReply = z.object({ paths: z.array(z.string()) });

export const SaveDialogRequest = z.object({
  kind: z.enum(['project', 'export']),
  /** Required for 'export'. */
  format: ExportFormat.optional(),
  /** The project's name, used for the suggested file name. */
  defaultName: z.string().max(255).optional(),
}).refine((r) => r.kind !== 'export' || r.format !== undefined, { message: 'an export needs a format', path: ['format'] });
/** The chosen path (with the format's extension), or null when the person cancelled. */
export const SaveDialogReply = z.object({ path: z.string().nullable() });

export const UnsavedChoice = z.enum(['save', 'discard', 'cancel']);
export type UnsavedChoice = z.infer<typeof UnsavedChoice>;

export const UnsavedReason = z.enum(['open', 'new', 'close', 'quit']);
export type UnsavedReason = z.infer<typeof UnsavedReason>;

/** Asks Save / Don't Save / Cancel with the native message box, before replacing unsaved work. */
export const UnsavedDialogRequest = z.object({ name: z.string().max(255), reason: UnsavedReason });
export const UnsavedDialogReply = z.object({ choice: UnsavedChoice });

/** The renderer reports its document whenever the name, path or unsaved state changes. */
export const DocumentState = z.object({
  /** The project's name as shown to the person ('Untitled' for a new one). */
  name: z.string().min(1).max(255),
  /** Where it is saved; null until the first save. */
  path: z.string().min(1).nullable(),
  dirty: z.boolean(),
});
export type DocumentState = z.infer<typeof DocumentState>;

/** The answer to a `menu:command` 'save' that carried a replyId. */
export const SaveResult = z.object({ replyId: z.number().int().positive(), saved: z.boolean() });

/** Replies that carry nothing (the contract's convention, as for 'runs:remove'). */
const Nothing = z.null();

/** Desktop request channels: name → request and response schemas (same shape as the contract's). */
export const desktopInvokeChannels = {
  'dialog:open': { request: OpenDialogRequest, response: OpenDialogReply },
  'dialog:save': { request: SaveDialogRequest, response: SaveDialogReply },
  'dialog:unsaved': { request: UnsavedDialogRequest, response: UnsavedDialogReply },
  'window:document': { request: DocumentState, response: Nothing },
  'window:saved': { request: SaveResult, response: Nothing },
} as const;

/** Desktop event channels: name → payload schema. */
export const desktopEventChannels = {
  'menu:command': MenuCommand,
} as const;

export type DesktopInvokeChannel = keyof typeof desktopInvokeChannels;

export function isDesktopInvokeChannel(name: unknown): name is DesktopInvokeChannel {
  return typeof name === 'string' && Object.hasOwn(desktopInvokeChannels, name);
}
