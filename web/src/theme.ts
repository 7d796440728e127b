/**
 * Dark theme for the night wall, light theme for daytime rooms. Saved per user in this browser
 * (localStorage keyed by the username: the user store is YAML config, not a place for UI preferences).
 * The last choice on this browser is applied before login so the page does not flash.
 */
export type Theme = 'dark' | 'light';

const LAST = 'pantau.theme';
const keyOf = (username: string) => `pantau.theme.${username}`;
const valid = (v: string | null): v is Theme => v === 'dark' || v === 'light';

export function applyTheme(theme: Theme): void {
  document.documentElement.dataset['theme'] = theme;
}

export function currentTheme(): Theme {
  return document.documentElement.dataset['theme'] === 'light' ? 'light' : 'dark';
}

/** Before login: the last theme used on this browser. */
export function applyLastTheme(): void {
  const v = localStorage.getItem(LAST);
  applyTheme(valid(v) ? v : 'dark');
}

/** After login: this user's saved theme; a user who never chose gets the dark default. */
export function applyUserTheme(username: string): Theme {
  const v = localStorage.getItem(keyOf(username));
  const theme = valid(v) ? v : 'dark';
  applyTheme(theme);
  localStorage.setItem(LAST, theme);
  return theme;
}

export function saveUserTheme(username: string, theme: Theme): void {
  applyTheme(theme);
  localStorage.setItem(keyOf(username), theme);
  localStorage.setItem(LAST, theme);
}
