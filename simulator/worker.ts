/**
 * Entry of a lab worker process: hosts one shard of devices and obeys the parent over IPC.
 * Messages in: {id, op:'start', init} | {id, op:'command', cmd} | {id, op:'stop'}.
 * Messages out: {id, ok, result?, error?} and {op:'progress', started}.
 */
import { Shard, type ShardCommand, type ShardInit } from './shard.js';
import { createShardPlugins } from './plugins.js';

type Msg =
  | { id: number; op: 'start'; init: ShardInit }
  | { id: number; op: 'command'; cmd: ShardCommand }
  | { id: number; op: 'stop' };

const send = (m: unknown) => {
  if (process.connected) process.send?.(m);
};
const shard = new Shard(
  () => Date.now(),
  createShardPlugins(),
  (msg) => send({ op: 'log', msg }),
);

process.on('message', (raw) => {
  const m = raw as Msg;
  void (async () => {
    try {
      if (m.op === 'start') {
        await shard.start(m.init, (started) => send({ op: 'progress', started }));
        send({ id: m.id, ok: true, result: shard.stats() });
      } else if (m.op === 'command') {
        send({ id: m.id, ok: true, result: shard.command(m.cmd) });
      } else if (m.op === 'stop') {
        await shard.stop();
        // Exit only once the reply is on its way: disconnecting first would drop it.
        process.send?.({ id: m.id, ok: true }, () => process.exit(0));
      }
    } catch (err) {
      send({ id: m.id, ok: false, error: (err as Error).message });
    }
  })();
});

// An orphaned worker (parent killed) must not keep the devices' ports.
process.on('disconnect', () => {
  void shard.stop().finally(() => process.exit(0));
});
