/**
 * One studio window: its secure settings, its document (name, path, unsaved state) shown in the
 * title, the unsaved-changes guard on close, and the commands main sends to its page. Thin glue
 * over Electron; the decisions live in unsaved.ts, security.ts and window-state.ts.
 */
import { BrowserWindow, dialog, type WebContents } from 'electron';
import { APP_INDEX_URL } from './app-protocol.js';
import { EVENT_CHANNEL } from './ipc-names.js';
import { PendingReplies } from './pending.js';
import type { DocumentState, MenuCommand, UnsavedChoice, UnsavedReason } from '../../shared/ipc/desktop.js';
import { choiceFromResponse, settleUnsaved, unsavedQuestion, windowTitle, type UnsavedLabels } from './unsaved.js';
import { MIN_SIZE, type Rectangle, type WindowState } from './window-state.js';

export interface AppWindowOptions {
  preload: string;
  bounds: Rectangle;
  maximized: boolean;
  isDev: boolean;
  labels: UnsavedLabels;
  /** Whether the app is quitting (the question then says so). */
  quitting: () => boolean;
  /** The document was saved to or opened from `path`. */
  onDocumentPath: (path: string) => void;
  /** The window is about to close for good: remember where it was. */
  onSaveBounds: (state: WindowState) => void;
  /** A close was cancelled by the person (Cancel, or a save that did not happen). */
  onCloseCancelled: () => void;
}

export class AppWindow {
  readonly window: BrowserWindow;
  private document: DocumentState | null = null;
  private readonly saves = new PendingReplies<boolean>();
  private readonly queued: MenuCommand[] = [];
  private listening = false;
  private closeAllowed = false;
  private asking = false;

  constructor(private readonly options: AppWindowOptions) {
    this.window = new BrowserWindow({
      ...options.bounds,
      minWidth: MIN_SIZE.width,
      minHeight: MIN_SIZE.height,
      title: windowTitle(null, process.platform),
      show: false,
      webPreferences: {
        preload: options.preload,
        contextIsolation: true,
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        sandbox: true,
        webSecurity: true,
        allowRunningInsecureContent: false,
        experimentalFeatures: false,
        webviewTag: false,
        devTools: options.isDev,
        spellcheck: false,
      },
    });
    // The page's <title> must not replace the document title set here.
    this.window.on('page-title-updated', (event) => event.preventDefault());
    this.window.once('ready-to-show', () => {
      if (options.maximized) this.window.maximize();
      this.window.show();
    });
    this.window.on('close', (event) => this.onClose(event));
    this.window.webContents.on('render-process-gone', () => this.onRendererGone());
    void this.window.loadURL(APP_INDEX_URL);
  }

  get webContents(): WebContents {
    return this.window.webContents;
  }

  /** Sends a command to the page, or holds it until the page listens for commands. */
  send(command: MenuCommand): void {
    if (!this.listening) {
      this.queued.push(command);
      return;
    }
    this.webContents.send(EVENT_CHANNEL, 'menu:command', command);
  }

  /** The page now listens for commands: deliver what waited. */
  markListening(): void {
    this.listening = true;
    for (const command of this.queued.splice(0)) this.send(command);
  }

  /** The page reported its document: title, macOS's edited dot and proxy icon, recent files. */
  setDocument(state: DocumentState): void {
    const previousPath = this.document?.path ?? null;
    this.document = state;
    this.window.setTitle(windowTitle(state, process.platform));
    if (process.platform === 'darwin') {
      this.window.setDocumentEdited(state.dirty);
      this.window.setRepresentedFilename(state.path ?? '');
    }
    if (state.path && state.path !== previousPath) this.options.onDocumentPath(state.path);
  }

  /** Asks the page to save; resolves with whether it did (its `window:saved` answer). */
  requestSave(): Promise<boolean> {
    const { id, reply } = this.saves.create();
    this.send({ command: 'save', replyId: id });
    return reply;
  }

  /** The page's answer to a save request; false if no such request was waiting. */
  settleSave(replyId: number, saved: boolean): boolean {
    return this.saves.settle(replyId, saved);
  }

  /** Save / Don't Save / Cancel, as a native sheet on this window. */
  async askUnsaved(reason: UnsavedReason): Promise<UnsavedChoice> {
    const question = unsavedQuestion(this.document?.name ?? 'Untitled', reason, process.platform, this.options.labels);
    const { response } = await dialog.showMessageBox(this.window, {
      type: 'warning',
      message: question.message,
      detail: question.detail,
      buttons: question.buttons,
      defaultId: question.defaultId,
      cancelId: question.cancelId,
      noLink: true,
    });
    return choiceFromResponse(question, response);
  }

  /** Closing with unsaved changes asks first; Save saves through the page, then closes. */
  private onClose(event: Electron.Event): void {
    if (this.closeAllowed || !this.document?.dirty) {
      this.rememberBounds();
      return;
    }
    event.preventDefault();
    if (this.asking) return; // the question is already on screen
    this.asking = true;
    const reason: UnsavedReason = this.options.quitting() ? 'quit' : 'close';
    void settleUnsaved(true, () => this.askUnsaved(reason), () => this.requestSave())
      .catch(() => false)
      .then((proceed) => {
        this.asking = false;
        if (!proceed) return this.options.onCloseCancelled();
        this.closeAllowed = true;
        this.window.close();
      });
  }

  /** A crashed page holds nothing to save any more: answer its pending saves and let the window close. */
  private onRendererGone(): void {
    this.document = null;
    this.listening = false;
    this.saves.settleAll(false);
  }

  private rememberBounds(): void {
    const { x, y, width, height } = this.window.getNormalBounds();
    this.options.onSaveBounds({ x, y, width, height, maximized: this.window.isMaximized(), fullScreen: this.window.isFullScreen() });
  }
}
