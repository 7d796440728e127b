import type { AlertFilter } from './services.js';
import type { Alert } from './types.js';
import { SEVERITY_RANK } from './vocabulary/severities.js';

/**
 * AlertingService.listAlerts over a pool of alerts (pure): the alert engine's and a web server's
 * mirror of it (cluster/alert-mirror.ts) answer the same filter the same way.
 */
export function filterAlerts(
  pool: Iterable<Alert>,
  filter: AlertFilter,
  routedGroups: (a: Alert) => string[],
): Alert[] {
  const out: Alert[] = [];
  for (const a of pool) {
    if (
      (!filter.status || filter.status.includes(a.status)) &&
      (!filter.severity || filter.severity.includes(a.severity)) &&
      (!filter.kecamatan || filter.kecamatan.includes(a.kecamatan)) &&
      (!filter.type || filter.type.includes(a.deviceType)) &&
      (!filter.deviceId || a.deviceId === filter.deviceId) &&
      (!filter.groups || routedGroups(a).some((g) => filter.groups!.includes(g)))
    )
      out.push(a);
  }
  out.sort(
    (x, y) =>
      (x.status === 'resolved' ? 1 : 0) - (y.status === 'resolved' ? 1 : 0) ||
      SEVERITY_RANK[x.severity] - SEVERITY_RANK[y.severity] ||
      y.openedAt - x.openedAt,
  );
  return filter.limit ? out.slice(0, filter.limit) : out;
}
