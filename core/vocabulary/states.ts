/** Device states and their stored codes; zod-free so the page and the dashboards import it (issue 17). */
export const DEVICE_STATES = ['UP', 'DEGRADED', 'DOWN', 'UNREACHABLE', 'MAINTENANCE', 'UNKNOWN'] as const;
export type DeviceState = (typeof DEVICE_STATES)[number];

/**
 * The integer written as `device_state.state_code` next to the state's name, so dashboards can
 * draw states as numbers. Stored data: never renumber, only append.
 */
export const STATE_CODES = {
  UP: 0,
  DEGRADED: 1,
  DOWN: 2,
  UNREACHABLE: 3,
  MAINTENANCE: 4,
  UNKNOWN: 5,
} as const satisfies Record<DeviceState, number>;
