/** Builds a real alerting service wired to local stand-ins for Telegram, SMTP and a webhook. */
import { createInProcessBus, type EventBus } from '../../../core/bus.js';
import { openStore, type Store } from '../../../core/store/store.js';
import { createManualClock } from '../../../core/time.js';
import { silentLogger } from '../../../core/logger.js';
import { createAlerting, type Alerting } from '../../../alerting/alerting.js';
import { alertingConfig, createWorld, okuInventory } from '../../unit/alerting/support.js';

export const BOT_TOKEN = '123456:TEST-token-never-logged';
export const WEBHOOK_SECRET = 'webhook-secret-for-tests';

export interface Endpoints {
  telegramUrl: string;
  smtp?: { host: string; port: number };
  webhookUrl?: string;
}

/** Two groups: the kecamatan technicians (Indonesian) and the NOC (English, plus a webhook). */
export function notificationConfig(ep: Endpoints, extra: Record<string, unknown> = {}) {
  return alertingConfig({
    notifications: {
      stormWindowS: 0,
      retry: { initialS: 5, maxS: 60, maxAgeH: 48, timeoutS: 5 },
      telegram: { baseUrl: ep.telegramUrl, botToken: BOT_TOKEN },
      ...(ep.smtp
        ? { email: { host: ep.smtp.host, port: ep.smtp.port, secure: false, from: 'pantau <pantau@okukab.go.id>' } }
        : {}),
      ...(ep.webhookUrl ? { webhook: { secret: WEBHOOK_SECRET } } : {}),
      groups: {
        'teknisi-pengandonan': { telegram: ['-1001'], email: ep.smtp ? ['teknisi.pengandonan@okukab.go.id'] : [] },
        noc: {
          language: 'en',
          telegram: ['-1000'],
          email: ep.smtp ? ['noc@okukab.go.id'] : [],
          webhook: ep.webhookUrl ? [`${ep.webhookUrl}/wa`] : [],
        },
      },
    },
    routing: [
      { match: { kecamatan: ['Pengandonan'] }, groups: ['teknisi-pengandonan'], continue: true },
      { groups: ['noc'] },
    ],
    ...extra,
  });
}

export function startAlerting(opts: { ep: Endpoints; dbPath?: string; now?: number; extra?: Record<string, unknown> }) {
  const inventory = okuInventory();
  const store: Store = openStore(opts.dbPath ?? ':memory:');
  const bus: EventBus = createInProcessBus();
  const clock = createManualClock(opts.now ?? Date.UTC(2026, 10, 28, 1, 0, 0));
  const alerting: Alerting = createAlerting({
    config: { alerting: notificationConfig(opts.ep, opts.extra) },
    inventory,
    store,
    bus,
    clock,
    logger: silentLogger(),
  });
  alerting.start();
  const world = createWorld({ inventory, bus, clock, alerting });
  return {
    inventory,
    store,
    bus,
    clock,
    alerting,
    world,
    async close() {
      await alerting.stop();
      await bus.close();
      store.close();
    },
  };
}
