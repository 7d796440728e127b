/**
 * The status page's cache (docs/adr/0710): the page and the feed are rendered at most once per
 * state change (a `device.state` or `alert.changed` event bumps the version) and at least every
 * `ttlMs` (times and today's bar move), but never more than once per `minIntervalMs` per variant,
 * so an alert storm costs one render a second, not one per event or per request. Requests between
 * renders get the stored bytes (plain and gzip) with an ETag. Rendering is synchronous, so
 * concurrent requests cannot start a second render of the same variant.
 */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';

export interface CachedBody {
  body: Buffer;
  gzip: Buffer;
  /** Weak: the gzip and plain bytes share it. */
  etag: string;
  renderedAt: number;
  version: number;
}

export interface PageCacheStats {
  renders: number;
  hits: number;
}

export function createPageCache(opts: {
  now: () => number;
  ttlMs: number;
  minIntervalMs: number;
  onRender?: (variant: string) => void;
}) {
  const entries = new Map<string, CachedBody>();
  let version = 0;
  const stats: PageCacheStats = { renders: 0, hits: 0 };
  return {
    stats,
    /** Something the page shows changed. */
    invalidate(): void {
      version++;
    },
    get version() {
      return version;
    },
    /** The variant's bytes, rendered by `render` only when stale (see above). */
    get(variant: string, render: () => string): CachedBody {
      const now = opts.now();
      const c = entries.get(variant);
      if (c) {
        const age = now - c.renderedAt;
        const fresh = c.version === version && age < opts.ttlMs && age >= 0;
        if (fresh || (age >= 0 && age < opts.minIntervalMs)) {
          stats.hits++;
          return c;
        }
      }
      const seenVersion = version;
      const text = render();
      const body = Buffer.from(text, 'utf8');
      const next: CachedBody = {
        body,
        gzip: gzipSync(body, { level: 6 }),
        etag: `W/"${createHash('sha1').update(body).digest('base64url').slice(0, 22)}"`,
        renderedAt: now,
        version: seenVersion,
      };
      entries.set(variant, next);
      stats.renders++;
      opts.onRender?.(variant);
      return next;
    },
  };
}

export type PageCache = ReturnType<typeof createPageCache>;
