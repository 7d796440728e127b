import { io, type Socket } from 'socket.io-client';
import type { Alert, DeviceState } from '../../core/types.js';
import type {
  ClientToServerEvents,
  ClusterView,
  DeviceView,
  ServerToClientEvents,
  Snapshot,
} from '../../core/realtime.js';
import { ackDialog, createAlertList, type AlertList } from './alerts.js';
import { setZone } from './clock.js';
import { api, ApiError } from './api.js';
import { createDrawer, type Drawer } from './drawer.js';
import { h, icon } from './dom.js';
import { renderAlertCounts, renderTypeTiles, startClock } from './header.js';
import { getLang, onLangChange, setLang, t } from './i18n.js';
import { DEVICE_TYPES, LiveState } from './live.js';
import { createMap, type NocMap } from './map.js';
import { alarm, setSound, soundEnabled } from './sound.js';
import { applyUserTheme, currentTheme, saveUserTheme } from './theme.js';
import { bindResultKeys } from './search-keys.js';
import { createServicesPanel, type ServicesPanel } from './services-panel.js';

const STATES: DeviceState[] = ['DOWN', 'UNREACHABLE', 'DEGRADED', 'MAINTENANCE', 'UNKNOWN', 'UP'];
type Conn = 'live' | 'reconnecting' | 'offline';

/** Static labels re-translate in place on a language switch (data-i18n / data-i18n-ph). */
const L = (key: string, tag: 'span' | 'option' = 'span', attrs: Record<string, string> = {}) =>
  h(tag, { 'data-i18n': key, ...attrs }, t(key));

export async function startApp(root: HTMLElement): Promise<void> {
  const live = new LiveState();
  const params = new URLSearchParams(location.search);
  const filter = { types: new Set<string>(), kecamatan: '', state: '', q: '' };
  const availability = new Map<string, number>();
  let map: NocMap | undefined;
  let drawer: Drawer | undefined;
  let alertList: AlertList | undefined;
  let servicesPanel: ServicesPanel | undefined;

  // ---- layout ----
  const conn = h('span', { class: 'conn conn-reconnecting', 'data-conn': 'reconnecting' }, t('reconnecting'));
  const tiles = h('div', { class: 'tiles' });
  const counts = h('div', { class: 'counts' });
  const clock = h('span', { class: 'clock' });
  const soundBtn = h(
    'button',
    {
      class: 'btn btn-icon',
      title: t(soundEnabled() ? 'soundOn' : 'soundOff'),
      onclick: () => {
        setSound(!soundEnabled());
        soundBtn.replaceChildren(icon(soundEnabled() ? 'bell' : 'bellOff'));
        soundBtn.title = t(soundEnabled() ? 'soundOn' : 'soundOff');
      },
    },
    icon(soundEnabled() ? 'bell' : 'bellOff'),
  );
  const langBtn = h(
    'button',
    {
      class: 'btn btn-ghost btn-small',
      'data-lang-switch': '1',
      onclick: () => setLang(getLang() === 'id' ? 'en' : 'id'),
    },
    getLang() === 'id' ? 'EN' : 'ID',
  );
  const kioskBtn = h(
    'button',
    { class: 'btn btn-icon btn-kiosk', title: t('kiosk'), onclick: () => toggleKiosk() },
    icon('expand'),
  );
  let username = '';
  const themeBtn = h('button', {
    class: 'btn btn-icon btn-theme',
    'data-theme-switch': '1',
    onclick: () => {
      saveUserTheme(username, currentTheme() === 'dark' ? 'light' : 'dark');
      labelTheme();
    },
  });
  /** The button names the theme it switches to (☀ in the dark, ☾ in the light). */
  const labelTheme = () => {
    const next = currentTheme() === 'dark' ? 'themeLight' : 'themeDark';
    themeBtn.textContent = next === 'themeLight' ? '☀' : '☾';
    themeBtn.title = t(next);
    themeBtn.setAttribute('aria-label', t(next));
  };
  labelTheme();
  const userLabel = h('span', { class: 'user' });
  const logoutBtn = h(
    'button',
    {
      class: 'btn btn-ghost btn-small',
      onclick: async () => {
        await api.logout().catch(() => undefined);
        location.reload();
      },
    },
    L('logout'),
  );
  const topbar = h(
    'header',
    { class: 'topbar' },
    h(
      'div',
      { class: 'brand' },
      h('span', { class: 'brand-dot' }),
      'pantau',
      h('span', { class: 'brand-sub' }, 'NOC OKU'),
    ),
    tiles,
    counts,
    h(
      'div',
      { class: 'top-right' },
      conn,
      clock,
      soundBtn,
      themeBtn,
      langBtn,
      kioskBtn,
      h(
        'a',
        { class: 'btn btn-ghost btn-small', href: '/riwayat', 'data-history-link': '1' },
        getLang() === 'id' ? 'Riwayat' : 'History',
      ),
      userLabel,
      logoutBtn,
    ),
  );

  const mapEl = h('div', { id: 'map', class: 'map' });
  const offline = h('div', { class: 'offline-badge hidden' }, L('tilesOffline'));
  const legend = h(
    'div',
    { class: 'legend' },
    ...STATES.map((s) => h('span', { class: `lg lg-${s.toLowerCase()}` }, h('i'), L(s))),
  );
  const search = h('input', {
    type: 'search',
    class: 'search',
    role: 'combobox',
    'aria-controls': 'search-results',
    'aria-expanded': 'false',
    'aria-autocomplete': 'list',
    'data-i18n-ph': 'search',
    placeholder: t('search'),
    autocomplete: 'off',
  });
  const results = h('div', { class: 'results hidden', role: 'listbox', id: 'search-results' });
  const typeChips = h(
    'div',
    { class: 'chips' },
    ...DEVICE_TYPES.map((ty) => h('button', { class: 'chip', 'data-type': ty, onclick: () => toggleType(ty) }, L(ty))),
  );
  const kecSel = h(
    'select',
    { class: 'select', 'aria-label': t('kecamatan') },
    L('kecamatan', 'option', { value: '' }),
  );
  const stateSel = h(
    'select',
    { class: 'select', 'aria-label': t('state') },
    L('state', 'option', { value: '' }),
    ...STATES.map((s) => L(s, 'option', { value: s })),
  );
  const alertTitle = h('span', { class: 'side-title' });
  const alertCount = h('span', { class: 'side-count' });
  const listEl = h('div', { class: 'alert-list', role: 'list', id: 'alert-list', tabindex: -1 });
  const routeBanner = h(
    'div',
    { class: 'route-banner hidden', role: 'status', 'data-i18n': 'allAlertsBanner' },
    t('allAlertsBanner'),
  );
  const servicesEl = h('section', { class: 'services hidden', 'aria-label': t('services') });
  const side = h(
    'aside',
    { class: 'side' },
    h(
      'div',
      { class: 'filters' },
      h('div', { class: 'search-wrap' }, search, results),
      typeChips,
      h('div', { class: 'selects' }, kecSel, stateSel),
    ),
    servicesEl,
    h('div', { class: 'side-head' }, alertTitle, alertCount),
    routeBanner,
    listEl,
  );
  const drawerEl = h('aside', { class: 'drawer', 'aria-live': 'polite' });
  const tabs = h(
    'nav',
    { class: 'mobile-tabs' },
    h('button', { class: 'tab', 'data-tab': 'alerts', onclick: () => setTab('alerts') }, L('alerts')),
    h('button', { class: 'tab', 'data-tab': 'map', onclick: () => setTab('map') }, L('map')),
  );
  const skip = h(
    'a',
    {
      class: 'skip-link',
      href: '#alert-list',
      'data-i18n': 'skipToAlerts',
      onclick: (e: Event) => {
        e.preventDefault();
        setTab('alerts');
        listEl.focus();
      },
    },
    t('skipToAlerts'),
  );
  const shell = h(
    'div',
    { class: 'shell' },
    skip,
    topbar,
    h('main', { class: 'body' }, h('section', { class: 'map-wrap' }, mapEl, offline, legend), side, drawerEl),
    tabs,
  );
  root.replaceChildren(shell);
  startClock(clock);

  // ---- behaviour ----
  const matches = (d: DeviceView) =>
    (filter.types.size === 0 || filter.types.has(d.type)) &&
    (!filter.kecamatan || d.kecamatan === filter.kecamatan) &&
    (!filter.state || live.stateOf(d.id) === filter.state) &&
    (!filter.q || `${d.id} ${d.name} ${d.address} ${d.kecamatan}`.toLowerCase().includes(filter.q));
  const alertMatches = (a: Alert) => {
    const d = live.devices.get(a.deviceId);
    return !d || matches(d) || (filter.state !== '' && (filter.types.size === 0 || filter.types.has(d.type)));
  };
  const refilter = () => {
    for (const c of typeChips.children) c.classList.toggle('on', filter.types.has((c as HTMLElement).dataset['type']!));
    map?.setFilter(matches);
    alertList?.render();
  };
  const toggleType = (ty: string) => {
    if (filter.types.has(ty)) filter.types.delete(ty);
    else filter.types.add(ty);
    refilter();
  };
  kecSel.addEventListener('change', () => {
    filter.kecamatan = kecSel.value;
    refilter();
  });
  stateSel.addEventListener('change', () => {
    filter.state = stateSel.value;
    refilter();
  });
  let searchTimer = 0;
  search.addEventListener('input', () => {
    clearTimeout(searchTimer);
    searchTimer = window.setTimeout(() => {
      filter.q = search.value.trim().toLowerCase();
      refilter();
      results.replaceChildren();
      if (!filter.q) {
        results.classList.add('hidden');
        return;
      }
      const hits = [...live.devices.values()].filter(matches).slice(0, 8);
      hits.forEach((d, i) =>
        results.appendChild(
          h(
            'button',
            {
              class: `result st-${live.stateOf(d.id).toLowerCase()}`,
              role: 'option',
              id: `search-hit-${i}`,
              tabindex: -1,
              'data-device-id': d.id,
              onclick: () => select(d.id),
            },
            h('i'),
            d.name,
            h('small', {}, ` ${d.address}`),
          ),
        ),
      );
      results.classList.toggle('hidden', hits.length === 0);
      search.setAttribute('aria-expanded', String(hits.length > 0));
    }, 120);
  });

  bindResultKeys(search, results, (id) => select(id));

  const select = (id: string) => {
    results.classList.add('hidden');
    search.setAttribute('aria-expanded', 'false');
    map?.focus(id);
    drawer?.open(id);
    watch();
    shell.classList.add('drawer-open');
  };
  const onAck = (a: Alert) =>
    ackDialog(a, (updated) => {
      live.alerts.set(updated.id, updated);
      alertList?.render();
    });

  const setTab = (tab: 'alerts' | 'map') => {
    shell.dataset['tab'] = tab;
    for (const b of tabs.children) b.classList.toggle('on', (b as HTMLElement).dataset['tab'] === tab);
    if (tab === 'map') setTimeout(() => map?.invalidate(), 50);
  };
  setTab(live.user?.role === 'technician' || matchMedia('(max-width: 760px)').matches ? 'alerts' : 'map');

  const toggleKiosk = (on = !shell.classList.contains('kiosk')) => {
    shell.classList.toggle('kiosk', on);
    if (on) document.documentElement.requestFullscreen?.().catch(() => undefined);
    else if (document.fullscreenElement) void document.exitFullscreen().catch(() => undefined);
    setTimeout(() => map?.invalidate(), 100);
  };
  if (params.get('kiosk') === '1') toggleKiosk(true);

  // Esc closes the drawer (a dialog on top handles its own Esc first; the search box closes its list first).
  document.addEventListener('keydown', (e) => {
    if (e.key !== 'Escape' || e.defaultPrevented || document.querySelector('.modal')) return;
    if (drawer?.current) {
      e.preventDefault();
      drawer.close();
    }
  });

  const relabel = () => {
    for (const el of shell.querySelectorAll<HTMLElement>('[data-i18n]')) el.textContent = t(el.dataset['i18n']!);
    for (const el of shell.querySelectorAll<HTMLInputElement>('[data-i18n-ph]'))
      el.placeholder = t(el.dataset['i18nPh']!);
    langBtn.textContent = getLang() === 'id' ? 'EN' : 'ID';
    labelTheme();
    alertTitle.textContent = live.user?.role === 'technician' && !live.user.allAlerts ? t('myAlerts') : t('alerts');
    setConn(connState);
    renderHeader();
    alertList?.render();
    servicesPanel?.render();
    drawer?.refresh();
  };
  onLangChange(relabel);

  let connState: Conn = 'reconnecting';
  const setConn = (c: Conn) => {
    connState = c;
    conn.className = `conn conn-${c}`;
    conn.dataset['conn'] = c;
    conn.textContent = t(c);
  };
  const renderHeader = () => {
    renderTypeTiles(tiles, live, availability, (ty) => {
      filter.types = new Set(filter.types.has(ty) && filter.types.size === 1 ? [] : [ty]);
      refilter();
    });
    renderAlertCounts(counts, live, cluster);
    const active = live.activeAlerts().length;
    alertCount.textContent = String(active);
    document.title = `${active ? `(${active}) ` : ''}pantau · NOC ${live.ui.region.shortName || ''}`.trimEnd();
  };
  let headerFrame = 0;
  /** A web server of a cluster sends what is missing in it (the header warns); undefined otherwise. */
  let cluster: ClusterView | undefined;
  const scheduleHeader = () => {
    if (!headerFrame)
      headerFrame = window.setTimeout(() => {
        headerFrame = 0;
        renderHeader();
      }, 200);
  };

  const loadSummary = async () => {
    const s = await api.summary().catch(() => undefined);
    if (!s?.availabilityToday) return;
    for (const r of s.availabilityToday) availability.set(r.key, r.availabilityPct);
    scheduleHeader();
  };
  setInterval(() => void loadSummary(), 60_000);

  const flashAlarm = (alerts: Alert[]) => {
    if (alerts.length === 0) return;
    hook.alarms++;
    alarm();
    alertList?.blink(alerts.map((a) => a.id));
    shell.classList.remove('alarm');
    void shell.offsetWidth; // restart the CSS animation
    shell.classList.add('alarm');
  };

  /** The inventory was reloaded (or a reconnect brought another one): markers, filter, drawer. */
  const inventoryChanged = () => {
    map?.syncDevices(); // keeps the current filter
    if (drawer?.current && !live.devices.has(drawer.current)) drawer.close();
    alertList?.render();
  };

  // ---- realtime ----
  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io({
    transports: ['websocket', 'polling'],
    reconnectionDelay: 500,
    reconnectionDelayMax: 3000,
  });
  /** Live figures only for what the page shows: the open drawer's device (server/realtime/hub.ts). */
  const watch = () => {
    const ids = new Set([...(drawer?.current ? [drawer.current] : []), ...(servicesPanel?.watched() ?? [])]);
    socket.emit('watch', [...ids]);
  };
  const hook = {
    live,
    snapshots: 0,
    deltas: 0,
    samples: 0,
    alarms: 0,
    stats: () => map?.stats(),
    map: () => map,
    conn: () => connState,
  };
  (window as unknown as { __pantau: typeof hook }).__pantau = hook;

  await new Promise<void>((resolveFirst) => {
    socket.on('snapshot', (s: Snapshot) => {
      const r = live.applySnapshot(s);
      hook.snapshots++;
      cluster = s.cluster;
      scheduleHeader();
      setConn('live');
      userLabel.textContent = `${s.user.displayName} · ${s.user.role}`;
      if (!map) {
        username = s.user.username;
        applyUserTheme(username);
        labelTheme();
        setZone(s.ui.region.timeZone);
        const sub = document.querySelector('.brand-sub');
        if (sub && s.ui.region.shortName) sub.textContent = `NOC ${s.ui.region.shortName}`;
        if (!localStorage.getItem('pantau.lang') && s.ui.language !== getLang()) setLang(s.ui.language);
        map = createMap(mapEl, live, { onSelect: select, onTilesFailed: () => offline.classList.remove('hidden') });
        drawer = createDrawer(drawerEl, live, {
          onSelect: select,
          onClose: () => {
            shell.classList.remove('drawer-open');
            watch();
          },
        });
        alertList = createAlertList(listEl, live, { onSelect: select, onAck, filter: alertMatches });
        servicesPanel = createServicesPanel(servicesEl, live, { onSelect: select, onWatchChange: watch });
        shell.classList.toggle('readonly', s.user.role === 'viewer');
        if (s.user.role === 'technician') setTab('alerts');
        // No route names this technician's groups: the server sends every alert; say so, never a false all-clear.
        routeBanner.classList.toggle('hidden', !(s.user.role === 'technician' && s.user.allAlerts));
        // The region's kecamatan, in its order (all of them, also those without devices yet).
        const kecs = s.ui.region.kecamatan.length
          ? s.ui.region.kecamatan.map((k) => k.name)
          : [...new Set([...live.devices.values()].map((d) => d.kecamatan))].sort();
        for (const k of kecs) kecSel.appendChild(h('option', { value: k }, k));
        relabel();
        void loadSummary();
        resolveFirst();
      } else {
        if (r.inventory) inventoryChanged();
        else map.update(r.devices);
      }
      alertList?.render();
      servicesPanel?.render();
      drawer?.refresh();
      renderHeader();
      flashAlarm(r.newCritical);
      watch(); // a new connection watches nothing yet
    });
    socket.on('samples', (samples) => {
      const fresh = live.applySamples(samples);
      hook.samples += samples.length;
      if (fresh.length) {
        drawer?.live(fresh);
        servicesPanel?.live(fresh);
      }
    });
    socket.on('deltas', (batch) => {
      const r = live.applyDeltas(batch);
      hook.deltas += batch.length;
      if (r.gap) socket.emit('resync');
      if (r.inventory) {
        inventoryChanged();
        watch();
      }
      if (r.devices.size || r.inventory) servicesPanel?.render();
      if (r.devices.size) {
        map?.update(r.devices);
        if (filter.state) map?.setFilter(matches);
        if (drawer?.current && r.devices.has(drawer.current)) drawer.refresh();
      }
      if (r.alerts.length) alertList?.render();
      if (r.metrics.length) {
        drawer?.live(r.metrics);
        servicesPanel?.live(r.metrics);
      }
      if (r.devices.size || r.alerts.length) scheduleHeader();
      flashAlarm(r.newCritical);
    });
    socket.on('cluster', (view: ClusterView) => {
      cluster = view;
      scheduleHeader();
    });
    socket.on('disconnect', (reason) => {
      setConn('reconnecting');
      // The server closed us on purpose (logout, shutdown): try again; an ended session then goes to login.
      if (reason === 'io server disconnect') setTimeout(() => socket.connect(), 1000);
    });
    socket.io.on('reconnect_failed', () => setConn('offline'));
    socket.on('connect_error', (err) => {
      setConn('reconnecting');
      // The session ended (logout elsewhere, expiry): back to the login page.
      if (err.message === 'unauthorized') {
        void api.me().catch((e: unknown) => {
          if (e instanceof ApiError && e.status === 401) location.reload();
        });
      }
    });
  });
}
