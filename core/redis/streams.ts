/**
 * How bus topics map onto Redis Streams (ADR 0900). Two kinds of topic:
 *
 * - work topics (probe.result, pantau.health): owed to the core. Read through a consumer group
 *   with XACK, so a core killed -9 gets its unacknowledged entries again. The stream is bounded by
 *   refusing new entries when it is full (counted per topic, and reported as pantau.health), never
 *   by trimming entries nobody has read; consumers trim what every group has acknowledged.
 * - broadcast topics (alert.changed, device.state, metric.sample, inventory.changed,
 *   collector.schedule): every web
 *   server tails them; a ring of the last `maxLen` entries (XADD MAXLEN ~), nothing is owed.
 */
import type { Topic } from '../bus.js';

export const WORK_TOPICS: ReadonlySet<Topic> = new Set<Topic>(['probe.result', 'pantau.health']);

export const ALL_TOPICS: readonly Topic[] = [
  'probe.result',
  'pantau.health',
  'device.state',
  'alert.changed',
  'metric.sample',
  'inventory.changed',
  'collector.schedule',
];

export function streamKey(prefix: string, topic: Topic): string {
  return `${prefix}stream:${topic}`;
}

/** Hash of refused-entry counts per topic (HINCRBY by the publish script). */
export function dropsKey(prefix: string): string {
  return `${prefix}stream-drops`;
}

/**
 * KEYS[1] the stream, KEYS[2] the drops hash; ARGV[1] bound, ARGV[2] payload, ARGV[3] topic.
 * Returns the entry id, or false when the stream is full (and counts the refusal), atomically.
 */
export const BOUNDED_XADD = `
if redis.call('XLEN', KEYS[1]) >= tonumber(ARGV[1]) then
  redis.call('HINCRBY', KEYS[2], ARGV[3], 1)
  return false
end
return redis.call('XADD', KEYS[1], '*', 'p', ARGV[2])
`;

/** Redis stream ids compare as (ms, seq) pairs. */
export function compareIds(a: string, b: string): number {
  const [am = '0', as = '0'] = a.split('-');
  const [bm = '0', bs = '0'] = b.split('-');
  const ms = BigInt(am) - BigInt(bm);
  if (ms !== 0n) return ms < 0n ? -1 : 1;
  const s = BigInt(as) - BigInt(bs);
  return s === 0n ? 0 : s < 0n ? -1 : 1;
}

export interface GroupPosition {
  /** The group's last-delivered-id. */
  lastDelivered: string;
  /** The oldest entry delivered but not acknowledged, if any. */
  oldestPending: string | null;
}

/**
 * The MINID a work stream can be trimmed to: everything older than what every group still needs
 * (its oldest pending entry, else the entry after its last delivered one). Null: do not trim
 * (no group yet, so nobody has read anything).
 */
export function trimPoint(groups: readonly GroupPosition[]): string | null {
  if (groups.length === 0) return null;
  let min: string | null = null;
  for (const g of groups) {
    const need = g.oldestPending ?? nextId(g.lastDelivered);
    if (min === null || compareIds(need, min) < 0) min = need;
  }
  return min;
}

function nextId(id: string): string {
  const [ms = '0', seq = '0'] = id.split('-');
  return `${ms}-${(BigInt(seq) + 1n).toString()}`;
}
