/**
 * The public status page service: builds the public model from the alert engine and the state log,
 * renders the page and the feed through the cache, and serves the stylesheet. The HTTP routes
 * (server/http/routes-status.ts) only pick a variant and write bytes.
 */
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import type { StatusPageConfig } from '../core/config/sections/status-page.js';
import type { Inventory } from '../core/inventory/topology.js';
import type { AlertingService } from '../core/services.js';
import type { DeviceStatus } from '../core/types.js';
import type { DeviceTimeline } from '../history/state-log.js';
import { buildPublicStatus, dayWindows, type PublicStatus } from './model.js';
import { createPageCache, type CachedBody } from './page-cache.js';
import { renderStatusAtom } from './render-atom.js';
import { renderStatusHtml } from './render-html.js';
import type { Lang } from './text.js';
import { packagePath } from '../core/paths.js';

export const STATUS_PATH = '/status';
export const FEED_PATH = '/status/feed.atom';
const CSS = readFileSync(packagePath('status', 'status.css'));
const CSS_VERSION = createHash('sha1').update(CSS).digest('hex').slice(0, 10);
export const CSS_PATH = '/status/status.css';

export interface StatusPageDeps {
  config: StatusPageConfig;
  /** Page language when the request names none (statusPage.language, else server.language). */
  language: Lang;
  inventory(): Inventory;
  alerting: Pick<AlertingService, 'statuses' | 'listAlerts'>;
  /** The state log's timelines (history/state-log.ts); absent: the bars show no data. */
  timelines?(from: number, to: number): ReadonlyMap<string, DeviceTimeline>;
  now(): number;
  zone: { name: string; offsetMs: number };
  /** Called once per render (the variant: html:id, atom:en, model…), for /metrics. */
  onRender?(variant: string): void;
  /** Shortest time between two renders of one variant (default 1 s). */
  minIntervalMs?: number;
}

export function createStatusPage(deps: StatusPageDeps) {
  const cfg = deps.config;
  const cache = createPageCache({
    now: deps.now,
    ttlMs: cfg.cacheS * 1000,
    minIntervalMs: deps.minIntervalMs ?? 1000,
    ...(deps.onRender ? { onRender: deps.onRender } : {}),
  });
  let memo: { model: PublicStatus; version: number; at: number } | undefined;

  /** One model serves every variant rendered within the same short interval. */
  function model(): PublicStatus {
    const now = deps.now();
    if (memo && memo.version === cache.version && now - memo.at >= 0 && now - memo.at < (deps.minIntervalMs ?? 1000))
      return memo.model;
    const windows = dayWindows(now, cfg.historyDays, deps.zone.offsetMs);
    const statuses = new Map<string, DeviceStatus>(deps.alerting.statuses().map((s) => [s.deviceId, s]));
    const alerts = [
      ...deps.alerting.listAlerts({ status: ['open', 'acknowledged'] }),
      ...deps.alerting.listAlerts({ status: ['resolved'], limit: 500 }),
    ];
    const m = buildPublicStatus({
      config: cfg,
      devices: deps.inventory().devices,
      statuses,
      alerts,
      timelines: deps.timelines?.(windows[0]!.from, now) ?? new Map(),
      now,
      zoneOffsetMs: deps.zone.offsetMs,
    });
    memo = { model: m, version: cache.version, at: now };
    deps.onRender?.('model');
    return m;
  }

  const paths = { path: STATUS_PATH, feedPath: FEED_PATH };
  return {
    language: deps.language,
    cssVersion: CSS_VERSION,
    css: CSS,
    html(lang: Lang): CachedBody {
      return cache.get(`html:${lang}`, () =>
        renderStatusHtml(model(), { lang, zone: deps.zone, cssHref: `${CSS_PATH}?v=${CSS_VERSION}`, ...paths }),
      );
    },
    atom(lang: Lang): CachedBody {
      return cache.get(`atom:${lang}`, () => renderStatusAtom(model(), { lang, zone: deps.zone, ...paths }));
    },
    /** A state, an alert or the inventory changed. */
    invalidate: () => cache.invalidate(),
    stats: cache.stats,
  };
}

export type StatusPage = ReturnType<typeof createStatusPage>;
