import type { EventBus, Topic } from '../core/bus.js';

/**
 * The core's bus: everything goes over Redis, and the topics the core itself produces (device.state,
 * alert.changed) are also delivered in-process, in publish order, to the core's own subscribers
 * (notifications, metrics writer, the realtime feed that numbers them for the web servers).
 */
export function teeBus(remote: EventBus, local: EventBus, localTopics: ReadonlySet<Topic>): EventBus {
  return {
    publish(topic, payload) {
      remote.publish(topic, payload);
      if (localTopics.has(topic)) local.publish(topic, payload);
    },
    subscribe(topic, handler) {
      return localTopics.has(topic) ? local.subscribe(topic, handler) : remote.subscribe(topic, handler);
    },
    async drain() {
      await Promise.all([local.drain(), remote.drain()]);
    },
    async close() {
      await local.close();
      await remote.close();
    },
  };
}
