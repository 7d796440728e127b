import type { Alert } from '../../core/types.js';

/**
 * The probe kinds whose polls are behind schedule, from the open `pantau_health` alerts the
 * collector raises (component `schedule.<kind>`, collector/scheduler/health.ts): what the header
 * badge shows. Pure, so it is tested without a browser.
 */
export function behindKinds(alerts: Iterable<Alert>): { kinds: string[]; messages: string[] } {
  const kinds: string[] = [];
  const messages: string[] = [];
  for (const a of alerts) {
    if (a.rule !== 'pantau_health' || a.status === 'resolved') continue;
    const component = String(a.params['component'] ?? '');
    if (!component.startsWith('schedule.')) continue;
    kinds.push(component.slice('schedule.'.length).toUpperCase());
    messages.push(String(a.params['message'] ?? a.title));
  }
  return { kinds: kinds.sort(), messages };
}
