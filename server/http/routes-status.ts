/**
 * The public status page: /status (HTML), /status/feed.atom (Atom), /status/status.css. No login.
 * The bytes come from the status page's cache (status/page-cache.ts); this file only picks the
 * variant, answers conditional requests and sets the caching headers (docs/adr/0710).
 */
import type { Express, Request, Response } from 'express';
import type { CachedBody } from '../../status/page-cache.js';
import { CSS_PATH, FEED_PATH, STATUS_PATH, type StatusPage } from '../../status/status-page.js';
import type { Lang } from '../../status/text.js';

/** `?lang=en|id` switches; anything else (absent, unknown) is the page's default language. */
function langOf(req: Request, fallback: Lang): Lang {
  const q = req.query['lang'];
  return q === 'en' || q === 'id' ? q : fallback;
}

function send(
  req: Request,
  res: Response,
  c: CachedBody,
  type: string,
  maxAgeS: number,
  onResult?: (r: 'hit' | 'not_modified') => void,
): void {
  res.setHeader('Content-Type', type);
  res.setHeader('Cache-Control', `public, max-age=${maxAgeS}`);
  res.setHeader('ETag', c.etag);
  res.setHeader('Last-Modified', new Date(c.renderedAt).toUTCString());
  res.setHeader('Vary', 'Accept-Encoding');
  const inm = req.headers['if-none-match'];
  if (inm && inm.split(',').some((t) => t.trim() === c.etag || t.trim() === c.etag.slice(2))) {
    onResult?.('not_modified');
    res.status(304).end();
    return;
  }
  onResult?.('hit');
  const gz = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
  const body = gz ? c.gzip : c.body;
  if (gz) res.setHeader('Content-Encoding', 'gzip');
  res.setHeader('Content-Length', String(body.length));
  res.status(200).end(req.method === 'HEAD' ? undefined : body);
}

export function mountStatusRoutes(
  app: Express,
  page: StatusPage | undefined,
  opts: { maxAgeS: number; onResult?: (r: 'hit' | 'not_modified') => void },
): void {
  if (!page) {
    app.get([STATUS_PATH, `${STATUS_PATH}/`, FEED_PATH], (_req, res) => {
      res
        .status(404)
        .type('text/plain')
        .send(
          'Halaman status tidak diaktifkan (statusPage di pantau.yaml) / the status page is not enabled (statusPage in pantau.yaml)\n',
        );
    });
    return;
  }
  app.get([STATUS_PATH, `${STATUS_PATH}/`], (req, res) => {
    send(req, res, page.html(langOf(req, page.language)), 'text/html; charset=utf-8', opts.maxAgeS, opts.onResult);
  });
  app.get(FEED_PATH, (req, res) => {
    send(
      req,
      res,
      page.atom(langOf(req, page.language)),
      'application/atom+xml; charset=utf-8',
      opts.maxAgeS,
      opts.onResult,
    );
  });
  app.get(CSS_PATH, (req, res) => {
    res.setHeader('Content-Type', 'text/css; charset=utf-8');
    // Versioned by its hash in the page's link: cached for a day.
    res.setHeader(
      'Cache-Control',
      req.query['v'] === page.cssVersion ? 'public, max-age=86400, immutable' : 'public, max-age=300',
    );
    res.end(page.css);
  });
}
