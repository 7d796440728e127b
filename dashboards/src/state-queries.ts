/** Current device state counts from `device_state`, shared by the NOC and internet dashboards. */
import { select, selectFrom, type SelectBuilder } from './influxql.js';
import { STATE_CODES, STATE_LOOKBACK } from './metrics-schema.js';

/** Adds the dashboard's variable filters (type, kecamatan, device…) to a device_state query. */
export type Filter = (q: SelectBuilder<'device_state'>) => SelectBuilder<'device_state'>;

/**
 * The current state of each device: its last `state_code` (state is written on change only, so
 * within STATE_LOOKBACK), grouped by `by` so the outer query can split by type or kecamatan.
 */
const lastState = (filter: Filter, by: Array<'type' | 'kecamatan'>) =>
  filter(select('device_state').agg('last', 'state_code', { as: 's' }))
    .lookBack(STATE_LOOKBACK)
    .groupBy('device', ...by);

/**
 * 1 when `s` is code `lo` or `lo + 1`, else 0: floor(1 / (|s − (lo + ½)| + ½)). InfluxQL has no
 * CASE, and a `WHERE s = …` count returns no row at all when nothing matches (a blank "DOWN"
 * panel instead of 0), so the count is a sum of this indicator.
 */
const isCodePair = (lo: number) => `floor(1 / (abs("s" - ${lo + 0.5}) + 0.5))`;
/** 1 when `s` is exactly `code`: floor(1 / (|s − code| + 1)). */
const isCode = (code: number) => `floor(1 / (abs("s" - ${code}) + 1))`;

/** Per-device 0/1 columns to sum: up (UP or DEGRADED), down (DOWN or UNREACHABLE), maint. */
export const deviceStateFlags = (filter: Filter, ...by: Array<'type' | 'kecamatan'>) =>
  selectFrom(lastState(filter, by))
    .raw(isCodePair(STATE_CODES.UP), 'up')
    .raw(isCodePair(STATE_CODES.DOWN), 'down')
    .raw(isCode(STATE_CODES.MAINTENANCE), 'maint');
