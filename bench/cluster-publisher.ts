/**
 * A synthetic collector for bench/cluster.ts: publishes ICMP results of its share of devices
 * through the real Redis bus client (core/redis/bus.ts) as fast as Redis takes them, for a number
 * of seconds, then prints how many it published. It does not probe: the bench measures the bus
 * and the core, not fping.
 *
 *   node --import tsx bench/cluster-publisher.ts <redisUrl> <firstDevice> <devices> <seconds> <name>
 */
import { Redis } from 'ioredis';
import { silentLogger } from '../core/logger.js';
import { createRedisBus } from '../core/redis/bus.js';

const [url = 'redis://127.0.0.1:6379', first = '0', count = '1000', seconds = '10', name = 'pub'] =
  process.argv.slice(2);
const bus = createRedisBus({
  connect: (use) =>
    new Redis(
      url,
      use === 'publish' ? { maxRetriesPerRequest: 0, enableOfflineQueue: false } : { maxRetriesPerRequest: null },
    ),
  prefix: 'pantau:',
  maxLen: 200_000,
  consumer: name,
  logger: silentLogger(),
});
await new Promise((r) => setTimeout(r, 300));
const end = Date.now() + Number(seconds) * 1000;
let n = 0;
const ids = Array.from({ length: Number(count) }, (_, i) => `ont-${String(Number(first) + i).padStart(5, '0')}`);
while (Date.now() < end) {
  for (let i = 0; i < 500; i++) {
    const id = ids[n % ids.length]!;
    bus.publish('probe.result', {
      kind: 'icmp',
      deviceId: id,
      ts: Date.now(),
      durationMs: 1,
      ok: true,
      sent: 3,
      received: 3,
      lossPct: 0,
      rttMinMs: 0.1,
      rttAvgMs: 0.2,
      rttMaxMs: 0.3,
      jitterMs: 0.05,
    });
    n++;
  }
  // Back-pressure: never more than one batch waiting in memory.
  await bus.flushed();
}
await bus.close();
const s = bus.stats();
process.stdout.write(
  `${JSON.stringify({ published: s.published['probe.result'] ?? 0, refused: s.refused['probe.result'] ?? 0 })}\n`,
);
process.exit(0);
