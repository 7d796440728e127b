import type { ShardPlugin } from './shard.js';

/** Services beside SNMP that each shard runs (ONVIF cameras are added in simulator/onvif/). */
export function createShardPlugins(): ShardPlugin[] {
  return [];
}
