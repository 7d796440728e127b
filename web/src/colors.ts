import type { DeviceState } from '../../core/types.js';

/** State colours, chosen to read on a dark wall screen and for red/green colour-blind staff (shape + label too). */
export const STATE_COLOR: Record<DeviceState, string> = {
  UP: '#22c55e',
  DEGRADED: '#f59e0b',
  DOWN: '#ef4444',
  UNREACHABLE: '#9f1239',
  MAINTENANCE: '#60a5fa',
  UNKNOWN: '#64748b',
};

/** Uplink colours: healthy links stay quiet so a cut branch jumps out. */
export const EDGE_STYLE: Record<DeviceState, { color: string; weight: number; opacity: number; dashArray?: string }> = {
  UP: { color: '#2f6f55', weight: 1.5, opacity: 0.55 },
  DEGRADED: { color: '#f59e0b', weight: 2.5, opacity: 0.9 },
  DOWN: { color: '#ef4444', weight: 4, opacity: 1 },
  UNREACHABLE: { color: '#dc2626', weight: 3, opacity: 0.85, dashArray: '6 5' },
  MAINTENANCE: { color: '#60a5fa', weight: 2, opacity: 0.8, dashArray: '2 5' },
  UNKNOWN: { color: '#475569', weight: 1.5, opacity: 0.5 },
};

/** Worse first: a cluster shows its worst member. */
export const STATE_RANK: Record<DeviceState, number> = {
  DOWN: 0,
  UNREACHABLE: 1,
  DEGRADED: 2,
  MAINTENANCE: 3,
  UNKNOWN: 4,
  UP: 5,
};
