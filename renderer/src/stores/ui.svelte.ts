/** Which page is open, which dialogs are, and short notices for the person. */
import type { MessageKey } from './locale.svelte.js';

export const PAGES = ['data', 'model', 'train', 'runs', 'results', 'predict', 'inspect'] as const;
export type Page = (typeof PAGES)[number];

export interface Notice {
  id: number;
  kind: 'info' | 'error';
  /** A catalogue key (translated when shown) or a backend message (shown as it is). */
  key?: MessageKey;
  params?: Record<string, string | number>;
  text?: string;
}

class UiStore {
  page = $state<Page>('data');
  aboutOpen = $state(false);
  notices = $state<Notice[]>([]);
  private nextId = 1;

  open(page: Page): void {
    this.page = page;
  }

  notify(notice: Omit<Notice, 'id'>, ms = 6000): void {
    const id = this.nextId++;
    this.notices = [...this.notices, { ...notice, id }];
    if (ms > 0) setTimeout(() => this.dismiss(id), ms);
  }

  dismiss(id: number): void {
    this.notices = this.notices.filter((n) => n.id !== id);
  }
}

export const ui = new UiStore();
