/**
 * The interface language: English or 简体中文, switchable at runtime and remembered in
 * localStorage. `t(key, params)` reads the current language, so every template that calls it
 * re-renders when the language changes.
 */
import { en, type MessageKey } from '../i18n/en.js';
import { zh } from '../i18n/zh.js';
import { interpolate, type Params } from '../i18n/format.js';

export type Lang = 'en' | 'zh';

export const LANGS: readonly { code: Lang; label: string; html: string }[] = [
  { code: 'en', label: 'English', html: 'en' },
  { code: 'zh', label: '简体中文', html: 'zh-CN' },
];

const STORAGE_KEY = 'nn-studio.lang';
const catalogues: Record<Lang, Record<MessageKey, string>> = { en, zh };

function initialLang(): Lang {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved === 'en' || saved === 'zh') return saved;
  } catch {
    // storage blocked: fall through to the browser's language
  }
  return navigator.language?.toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

class LocaleStore {
  lang = $state<Lang>(initialLang());

  constructor() {
    this.applyToDocument();
  }

  set(lang: Lang): void {
    this.lang = lang;
    try {
      localStorage.setItem(STORAGE_KEY, lang);
    } catch {
      // not persisted; the switch still applies to this session
    }
    this.applyToDocument();
  }

  private applyToDocument(): void {
    document.documentElement.lang = LANGS.find((l) => l.code === this.lang)!.html;
  }
}

export const locale = new LocaleStore();

/** The message `key` in the current language with its placeholders filled. */
export function t(key: MessageKey, params?: Params): string {
  return interpolate(catalogues[locale.lang][key], params);
}

export type { MessageKey };

/** The message `key` when the catalogue has it (e.g. a sample's description), else `fallback`. */
export function tOr(key: string, fallback: string, params?: Params): string {
  return Object.hasOwn(en, key) ? t(key as MessageKey, params) : fallback;
}
