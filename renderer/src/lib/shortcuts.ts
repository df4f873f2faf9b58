/**
 * The studio's keyboard shortcuts: Ctrl/Cmd+O open a dataset, Ctrl/Cmd+S save the project,
 * Ctrl/Cmd+Enter train, Esc stop the running training. Cmd on macOS, Ctrl elsewhere.
 */

export type ShortcutAction = 'open' | 'save' | 'train' | 'stop';

export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
}

/** The action for a key press, or null. `mac` picks Cmd as the modifier. */
export function shortcutFor(e: KeyLike, mac: boolean): ShortcutAction | null {
  const mod = mac ? e.metaKey && !e.ctrlKey : e.ctrlKey && !e.metaKey;
  if (e.key === 'Escape' && !e.ctrlKey && !e.metaKey && !e.altKey) return 'stop';
  if (!mod || e.altKey) return null;
  switch (e.key.toLowerCase()) {
    case 'o': return e.shiftKey ? null : 'open';
    case 's': return e.shiftKey ? null : 'save';
    case 'enter': return 'train';
    default: return null;
  }
}

/** The label of a shortcut as the platform writes it: "Ctrl+O" or "⌘O". */
export function shortcutLabel(action: ShortcutAction, mac: boolean): string {
  const key = { open: 'O', save: 'S', train: 'Enter', stop: 'Esc' }[action];
  if (action === 'stop') return 'Esc';
  return mac ? `⌘${key === 'Enter' ? '↩' : key}` : `Ctrl+${key}`;
}
