import { fmtTime } from './clock.js';
import { clear, h } from './dom.js';
import { t } from './i18n.js';
import { DEVICE_TYPES, type LiveState } from './live.js';
import { behindKinds } from './schedule.js';
import { DEVICE_TYPE_TEXT } from '../../core/vocabulary/device-types.js';
import { SEVERITIES, type Severity } from '../../core/vocabulary/severities.js';
import type { ClusterView } from '../../core/realtime.js';

/** Up/down per type, open alerts and today's availability: what the wall screen shows at a glance. */
export function renderTypeTiles(
  el: HTMLElement,
  live: LiveState,
  availability: Map<string, number>,
  onType: (type: string) => void,
): void {
  const counts = new Map<string, { total: number; up: number; down: number; other: number }>();
  for (const d of live.devices.values()) {
    const c = counts.get(d.type) ?? { total: 0, up: 0, down: 0, other: 0 };
    const s = live.stateOf(d.id);
    c.total++;
    if (s === 'UP') c.up++;
    else if (s === 'DOWN' || s === 'UNREACHABLE') c.down++;
    else c.other++;
    counts.set(d.type, c);
  }
  clear(el);
  for (const type of DEVICE_TYPES) {
    const c = counts.get(type);
    if (!c) continue;
    const av = availability.get(type);
    el.appendChild(
      h(
        'button',
        { class: `tile${c.down ? ' tile-bad' : ''}`, 'data-type': type, onclick: () => onType(type), title: t(type) },
        h('span', { class: 'tile-icon' }, DEVICE_TYPE_TEXT[type].icon),
        h(
          'span',
          { class: 'tile-body' },
          h('span', { class: 'tile-name' }, t(type)),
          h(
            'span',
            { class: 'tile-nums' },
            h('b', { class: 'n-up' }, `▲ ${c.up}`),
            h('b', { class: c.down ? 'n-down' : 'n-zero' }, `▼ ${c.down}`),
            c.other ? h('b', { class: 'n-other' }, `● ${c.other}`) : null,
          ),
        ),
        h(
          'span',
          { class: 'tile-av', title: t('availabilityToday') },
          av === undefined ? '—' : `${av.toFixed(av >= 99.95 ? 0 : 2)}%`,
        ),
      ),
    );
  }
}

export function startClock(el: HTMLElement): void {
  const tick = () => {
    el.textContent = fmtTime(Date.now()).slice(11);
  };
  tick();
  setInterval(tick, 1000);
}

export function renderAlertCounts(el: HTMLElement, live: LiveState, cluster?: ClusterView): void {
  const n = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const a of live.alerts.values()) if (a.status === 'open') n[a.severity]++;
  clear(el);
  el.append(
    h('span', { class: `count count-critical${n.critical ? ' on' : ''}`, title: t('critical') }, String(n.critical)),
    h('span', { class: `count count-warning${n.warning ? ' on' : ''}`, title: t('warning') }, String(n.warning)),
  );
  // A probe kind that cannot keep its schedule makes every other figure on the page doubtful: say so up here.
  const behind = behindKinds(live.alerts.values());
  if (behind.kinds.length > 0) {
    el.append(
      h(
        'span',
        { class: 'schedule-behind', 'data-schedule-behind': behind.kinds.join(','), title: behind.messages.join('\n') },
        `⚠ ${t('scheduleBehind', { kinds: behind.kinds.join(', ') })}`,
      ),
    );
  }
  // A cluster with a collector gone or a zone nobody polls: the map's green there is not current.
  const warn = clusterWarnings(cluster);
  if (warn.length > 0)
    el.append(
      h('span', { class: 'cluster-warning', role: 'alert', 'data-cluster-warning': '1' }, `⚠ ${warn.join(' · ')}`),
    );
}

/** The header's cluster warnings, in the page's language (empty: nothing to warn about, or no cluster). */
export function clusterWarnings(c: ClusterView | undefined): string[] {
  if (!c) return [];
  const out: string[] = [];
  if (!c.core) out.push(t('clusterNoCore'));
  if (c.missingCollectors.length)
    out.push(t('clusterCollectorMissing', { names: c.missingCollectors.map((m) => m.name).join(', ') }));
  if (c.zonesWithoutCollector.length)
    out.push(
      t('clusterZoneOrphan', { zones: c.zonesWithoutCollector.map((z) => `${z.zone} (${z.devices})`).join(', ') }),
    );
  return out;
}
