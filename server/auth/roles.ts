import type { Alert } from '../../core/types.js';
import type { AlertingService } from '../../core/services.js';
import type { Role, SessionUser } from '../../core/realtime.js';

/** What each role may do. Technicians act only on alerts routed to their groups. */
export type Permission = 'read' | 'ack' | 'maintenance' | 'users';

const GRANTS: Record<Role, readonly Permission[]> = {
  admin: ['read', 'ack', 'maintenance', 'users'],
  operator: ['read', 'ack', 'maintenance'],
  technician: ['read', 'ack'],
  viewer: ['read'],
};

export function can(user: SessionUser, p: Permission): boolean {
  return GRANTS[user.role].includes(p);
}

/** Whether the user may see (and, with 'ack', acknowledge) this alert. */
export function alertVisibleTo(
  user: SessionUser,
  alert: Alert,
  alerting: Pick<AlertingService, 'routedGroups'>,
): boolean {
  if (user.role !== 'technician' || user.allAlerts) return true;
  const routed = alerting.routedGroups(alert);
  return routed.some((g) => user.groups.includes(g));
}
