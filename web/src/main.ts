import './leaflet-env.js';
import './styles.css';
import { api, ApiError } from './api.js';
import { showLogin } from './login.js';
import { startApp } from './app.js';
import { getLang, setLang } from './i18n.js';
import { applyLastTheme } from './theme.js';

async function boot(): Promise<void> {
  const root = document.getElementById('app')!;
  const lang = new URLSearchParams(location.search).get('lang');
  if (lang === 'id' || lang === 'en') setLang(lang);
  document.documentElement.lang = getLang();
  applyLastTheme();
  try {
    await api.me();
  } catch (err) {
    if (!(err instanceof ApiError) || err.status !== 401) throw err;
    await showLogin(root);
  }
  if (location.pathname.startsWith('/riwayat')) {
    const [{ startHistoryPage }, me, cfg] = await Promise.all([
      import('./history-page.js'),
      api.me(),
      fetch('/api/history/config').then((r) => r.json() as Promise<{ zone?: 'WIB' | 'WITA' | 'WIT' }>),
    ]);
    await startHistoryPage(root, me.user, cfg.zone ?? 'WIB');
    return;
  }
  await startApp(root);
}

void boot().catch((err: unknown) => {
  document.getElementById('app')!.textContent = `pantau: ${String(err)}`;
});
