import { describe, expect, it } from 'vitest';
import { PendingReplies } from '../../main/electron/pending.js';
import type { UnsavedChoice } from '../../shared/ipc/desktop.js';
import { choiceFromResponse, decideOnUnsaved, settleUnsaved, UNSAVED_LABELS, unsavedQuestion, windowTitle } from '../../main/electron/unsaved.js';

describe('unsaved-changes decision', () => {
  it('never asks about clean work', () => {
    for (const choice of [undefined, 'save', 'discard', 'cancel'] as const) expect(decideOnUnsaved(false, choice)).toBe('proceed');
  });

  it('asks about unsaved work, then Save saves first, Don’t Save goes on, Cancel stops', () => {
    expect(decideOnUnsaved(true)).toBe('ask');
    expect(decideOnUnsaved(true, 'save')).toBe('save-then-proceed');
    expect(decideOnUnsaved(true, 'discard')).toBe('proceed');
    expect(decideOnUnsaved(true, 'cancel')).toBe('abort');
  });

  /** Runs the whole flow with a person who answers `choice` and a save that succeeds or not. */
  async function flow(dirty: boolean, choice: UnsavedChoice, saveSucceeds = true) {
    const log: string[] = [];
    const proceed = await settleUnsaved(
      dirty,
      async () => (log.push('asked'), choice),
      async () => (log.push('saved'), saveSucceeds),
    );
    return { proceed, log };
  }

  it('closes clean work without a question', async () => {
    expect(await flow(false, 'cancel')).toEqual({ proceed: true, log: [] });
  });

  it('closes after saving when the person picks Save and the save succeeds', async () => {
    expect(await flow(true, 'save')).toEqual({ proceed: true, log: ['asked', 'saved'] });
  });

  it('keeps the window when the save is cancelled or fails: nothing is lost', async () => {
    expect(await flow(true, 'save', false)).toEqual({ proceed: false, log: ['asked', 'saved'] });
  });

  it('closes without saving on Don’t Save, and stays on Cancel', async () => {
    expect(await flow(true, 'discard')).toEqual({ proceed: true, log: ['asked'] });
    expect(await flow(true, 'cancel')).toEqual({ proceed: false, log: ['asked'] });
  });
});

describe('the Save / Don’t Save / Cancel question', () => {
  it('orders the buttons the Windows/Linux way, with Enter = Save and Escape = Cancel', () => {
    const q = unsavedQuestion('iris', 'close', 'win32');
    expect(q.buttons).toEqual(['Save', 'Don’t Save', 'Cancel']);
    expect(q.buttons[q.defaultId]).toBe('Save');
    expect(q.buttons[q.cancelId]).toBe('Cancel');
    expect(q.message).toBe('Do you want to save the changes you made to “iris”?');
    expect(q.detail).toMatch(/close the window/);
  });

  it('orders the buttons the macOS way: Save, Cancel, Don’t Save', () => {
    const q = unsavedQuestion('iris', 'quit', 'darwin');
    expect(q.buttons).toEqual(['Save', 'Cancel', 'Don’t Save']);
    expect(q.buttons[q.cancelId]).toBe('Cancel');
    expect(q.detail).toMatch(/quit/);
  });

  it('maps the pressed button back to the choice on every platform', () => {
    for (const platform of ['darwin', 'win32', 'linux']) {
      const q = unsavedQuestion('x', 'open', platform);
      expect(q.buttons.map((_, i) => choiceFromResponse(q, i)).sort()).toEqual(['cancel', 'discard', 'save']);
      expect(choiceFromResponse(q, q.cancelId)).toBe('cancel');
      // A response outside the buttons (the box closed some other way) loses nothing.
      expect(choiceFromResponse(q, 7)).toBe('cancel');
    }
  });

  it('asks in Simplified Chinese too, for each reason', () => {
    const q = unsavedQuestion('鸢尾花', 'open', 'linux', UNSAVED_LABELS['zh-CN']);
    expect(q.buttons).toEqual(['保存', '不保存', '取消']);
    expect(q.message).toContain('鸢尾花');
    for (const labels of Object.values(UNSAVED_LABELS)) {
      expect(Object.keys(labels.detail).sort()).toEqual(['close', 'new', 'open', 'quit']);
    }
  });
});

describe('window title', () => {
  it('shows the project name and an unsaved mark on Windows and Linux', () => {
    expect(windowTitle({ name: 'iris', dirty: false }, 'linux')).toBe('iris — NN Studio');
    expect(windowTitle({ name: 'iris', dirty: true }, 'win32')).toBe('*iris — NN Studio');
  });

  it('leaves the mark to the close button’s dot on macOS', () => {
    expect(windowTitle({ name: 'iris', dirty: true }, 'darwin')).toBe('iris — NN Studio');
  });

  it('is just the app’s name before a document is reported', () => {
    expect(windowTitle(null, 'linux')).toBe('NN Studio');
  });
});

describe('save requests awaiting the page’s answer', () => {
  it('settles each request with its own answer, once', async () => {
    const pending = new PendingReplies<boolean>();
    const a = pending.create();
    const b = pending.create();
    expect(a.id).not.toBe(b.id);
    expect(pending.settle(b.id, false)).toBe(true);
    expect(pending.settle(a.id, true)).toBe(true);
    expect(await a.reply).toBe(true);
    expect(await b.reply).toBe(false);
    expect(pending.settle(a.id, false)).toBe(false); // already answered
    expect(pending.settle(999, true)).toBe(false); // never asked
  });

  it('answers everything waiting when the page is gone, so no close waits forever', async () => {
    const pending = new PendingReplies<boolean>();
    const replies = [pending.create().reply, pending.create().reply];
    pending.settleAll(false);
    expect(await Promise.all(replies)).toEqual([false, false]);
    expect(pending.size).toBe(0);
  });
});
