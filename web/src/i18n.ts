/** Bahasa Indonesia first; English one switch away: the page's current language (words in strings.ts). */
import { translate, type Key, type Lang } from './strings.js';

export type { Key, Lang } from './strings.js';

let lang: Lang = (localStorage.getItem('pantau.lang') as Lang | null) ?? 'id';
const listeners = new Set<() => void>();

export const getLang = () => lang;
export function setLang(l: Lang): void {
  lang = l;
  localStorage.setItem('pantau.lang', l);
  document.documentElement.lang = l;
  for (const f of listeners) f();
}
export const onLangChange = (f: () => void) => {
  listeners.add(f);
};

export function t(key: Key | string, params: Record<string, string | number> = {}): string {
  return translate(lang, key, params);
}
