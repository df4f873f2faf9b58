/**
 * Unsaved-changes safety, as plain logic: what to do when a window is closed, the app quits or
 * another project is opened while the current one has unsaved changes; the question asked; and
 * the window title that shows the unsaved mark. No Electron here: main/index.ts wires it to the
 * window's `close` event and the native message box.
 */
import type { DocumentState, UnsavedChoice, UnsavedReason } from '../../shared/ipc/desktop.js';

/** What happens next: go on, ask the person first, save and then go on, or stop. */
export type UnsavedAction = 'proceed' | 'ask' | 'save-then-proceed' | 'abort';

/**
 * The decision. Clean work never asks; unsaved work asks until the person has chosen, then Save
 * saves first, Don't Save goes on, and Cancel stops.
 */
export function decideOnUnsaved(dirty: boolean, choice?: UnsavedChoice): UnsavedAction {
  if (!dirty) return 'proceed';
  switch (choice) {
    case undefined:
      return 'ask';
    case 'save':
      return 'save-then-proceed';
    case 'discard':
      return 'proceed';
    case 'cancel':
      return 'abort';
    default:
      throw new Error(`unknown choice ${JSON.stringify(choice)}`);
  }
}

/**
 * Runs the decision to its end: asks when needed, saves when chosen, and resolves true when the
 * close/quit/open may go on. A save that is cancelled or fails stops it, so nothing is lost.
 */
export async function settleUnsaved(dirty: boolean, ask: () => Promise<UnsavedChoice>, save: () => Promise<boolean>): Promise<boolean> {
  let action = decideOnUnsaved(dirty);
  if (action === 'ask') action = decideOnUnsaved(dirty, await ask());
  if (action === 'save-then-proceed') return save();
  return action === 'proceed';
}

/** Words of the question, per language (the menus' language). */
export interface UnsavedLabels {
  question: (name: string) => string;
  detail: Record<UnsavedReason, string>;
  save: string;
  discard: string;
  cancel: string;
}

export const UNSAVED_LABELS: Record<'en' | 'zh-CN', UnsavedLabels> = {
  en: {
    question: (name) => `Do you want to save the changes you made to “${name}”?`,
    detail: {
      open: 'Your changes will be lost if you open another project without saving them.',
      new: 'Your changes will be lost if you start a new project without saving them.',
      close: 'Your changes will be lost if you close the window without saving them.',
      quit: 'Your changes will be lost if you quit without saving them.',
    },
    save: 'Save',
    discard: 'Don’t Save',
    cancel: 'Cancel',
  },
  'zh-CN': {
    question: (name) => `是否保存对“${name}”所做的更改？`,
    detail: {
      open: '如果不保存就打开另一个项目，您的更改将会丢失。',
      new: '如果不保存就新建项目，您的更改将会丢失。',
      close: '如果不保存就关闭窗口，您的更改将会丢失。',
      quit: '如果不保存就退出，您的更改将会丢失。',
    },
    save: '保存',
    discard: '不保存',
    cancel: '取消',
  },
};

/** The message box to show, as data (Electron's MessageBoxOptions subset) plus the choice behind each button. */
export interface UnsavedQuestion {
  message: string;
  detail: string;
  buttons: string[];
  choices: UnsavedChoice[];
  defaultId: number;
  cancelId: number;
}

/**
 * The Save / Don't Save / Cancel question in the platform's order: macOS puts Cancel between Save
 * and Don't Save (Apple's guidelines); Windows and Linux read Save, Don't Save, Cancel. Escape
 * always means Cancel and Enter always means Save.
 */
export function unsavedQuestion(name: string, reason: UnsavedReason, platform: string, labels: UnsavedLabels = UNSAVED_LABELS.en): UnsavedQuestion {
  const choices: UnsavedChoice[] = platform === 'darwin' ? ['save', 'cancel', 'discard'] : ['save', 'discard', 'cancel'];
  const text: Record<UnsavedChoice, string> = { save: labels.save, discard: labels.discard, cancel: labels.cancel };
  return {
    message: labels.question(name),
    detail: labels.detail[reason],
    buttons: choices.map((c) => text[c]),
    choices,
    defaultId: choices.indexOf('save'),
    cancelId: choices.indexOf('cancel'),
  };
}

/** The choice behind the button the person pressed (anything unexpected counts as Cancel: nothing is lost). */
export function choiceFromResponse(question: UnsavedQuestion, response: number): UnsavedChoice {
  return question.choices[response] ?? 'cancel';
}

/**
 * The window title: project name, the unsaved mark, the app's name. On macOS the mark is the dot
 * in the close button (`setDocumentEdited`), so the title stays clean there.
 */
export function windowTitle(document: Pick<DocumentState, 'name' | 'dirty'> | null, platform: string, appName = 'NN Studio'): string {
  if (!document) return appName;
  const mark = document.dirty && platform !== 'darwin' ? '*' : '';
  return `${mark}${document.name} — ${appName}`;
}
