/**
 * What the server's history, report and test-notification routes use, built once over the store.
 * (The composition root builds it; the server only sees this interface.)
 */
import type { Config } from '../core/config/schema.js';
import type { Inventory } from '../core/inventory/topology.js';
import type { Store } from '../core/store/store.js';
import type { Clock } from '../core/time.js';
import { ALERTING_MIGRATIONS } from '../alerting/store/migrations.js';
import { sendTestNotification, type TestSendResult } from '../alerting/notify/test-send.js';
import type { NotifierTransports } from '../alerting/notify/transports.js';
import { CHANNELS, type ChannelName } from '../alerting/notify/channels/list.js';
import { createAlertSearch, type AlertSearch } from './alert-search.js';
import { formatLocal, zoneOf, type Zone, type ZoneName } from '../core/period.js';
import { createReports, type Reports } from './reports.js';
import { createStateLog, type StateLog } from './state-log.js';

/** A group's name and its recipients per channel (`{ name, telegram: 2, email: 1, webhook: 0 }`). */
export type NotifyGroupCounts = { name: string } & Record<ChannelName, number>;

export interface HistoryApi {
  stateLog: StateLog;
  alerts: AlertSearch;
  reports: Reports;
  zone(): Zone;
  grafanaUrl: string | undefined;
  /** Notification groups and how many recipients each channel has (admin page). */
  notifyGroups(): NotifyGroupCounts[];
  notifyTest(group: string, by: string, signal?: AbortSignal): Promise<TestSendResult[]>;
}

export function createHistoryApi(deps: {
  store: Store;
  inventory: () => Inventory;
  config: Pick<Config, 'reports' | 'alerting' | 'grafana'>;
  clock: Clock;
  /** The region's time zone (region.timeZone): reports and history times use it unless reports.zone is set. */
  regionZone?: ZoneName;
  /** Replace the real senders (tests, other gateways), as for alerting. */
  notifierTransports?: NotifierTransports;
}): HistoryApi {
  // Alerting owns these tables; migrating here too is idempotent and lets the CLI run without it.
  deps.store.migrate('alerting', ALERTING_MIGRATIONS);
  const stateLog = createStateLog(deps.store);
  const zone = () => zoneOf(deps.config.reports.zone ?? deps.regionZone ?? 'WIB');
  const n = deps.config.alerting.notifications;
  return {
    stateLog,
    alerts: createAlertSearch(deps.store.db),
    reports: createReports({
      stateLog,
      inventory: deps.inventory,
      config: deps.config,
      now: () => deps.clock.now(),
      ...(deps.regionZone ? { regionZone: deps.regionZone } : {}),
    }),
    zone,
    grafanaUrl: deps.config.grafana.url,
    notifyGroups: () =>
      Object.entries(n.groups).map(
        ([name, g]) =>
          ({ name, ...Object.fromEntries(CHANNELS.map((c) => [c.name, g[c.name].length])) }) as NotifyGroupCounts,
      ),
    notifyTest: (group, by, signal) =>
      sendTestNotification({
        notifications: n,
        group,
        by,
        now: () => deps.clock.now(),
        atText: `${formatLocal(deps.clock.now(), zone())} ${zone().name}`,
        ...(deps.notifierTransports ? { transports: deps.notifierTransports } : {}),
        ...(signal ? { signal } : {}),
      }),
  };
}
