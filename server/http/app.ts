import { isPantauError } from '../../core/errors.js';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import { createLoginThrottle, DEFAULT_THROTTLE_POLICY, type ThrottlePolicy } from '../auth/login-throttle.js';
import { can } from '../auth/roles.js';
import type { SessionUser } from '../../core/realtime.js';
import type { ApiDeps } from './deps.js';
import type { ServerMetrics } from './metrics.js';
import { buildOpenApi } from './openapi.js';
import { FileReply, HttpError, type RouteDef } from './route.js';
import { parseRouteInput, unpackReply } from './route-forward.js';
import { authRoutes } from './routes-auth.js';
import { dataRoutes } from './routes-data.js';
import { historyRoutes } from './routes-history.js';
import { mountStatusRoutes } from './routes-status.js';
import type { StatusPage } from '../../status/status-page.js';

export interface AppOptions {
  metrics: ServerMetrics;
  /** Built page (web/dist); when missing the root explains how to build it. */
  webDist?: string;
  version?: string;
  /** Called before /metrics renders, to refresh gauges. */
  beforeMetrics?: () => void;
  /** The public status page (absent: /status answers 404 saying it is not enabled). */
  statusPage?: StatusPage;
  /** Cache-Control max-age of /status and its feed (statusPage.cacheS). */
  statusMaxAgeS?: number;
}

/**
 * The login throttle policy from `server.loginRateLimit` (ADR 0506): `max` wrong passwords from
 * one address before that address's delays start (for usernames failing themselves), `windowS` the
 * longest delay; failures are forgotten after three such windows of quiet.
 */
export function throttlePolicy(limit?: { windowMs: number; max: number }): ThrottlePolicy {
  if (!limit) return DEFAULT_THROTTLE_POLICY;
  return {
    ...DEFAULT_THROTTLE_POLICY,
    addressFreeFailures: limit.max,
    maxDelayMs: limit.windowMs,
    forgetAfterMs: 3 * limit.windowMs,
  };
}

/** The archive routes are served where the store is (archive) or forwarded to it (a cluster's web server). */
export function allRoutes(d: ApiDeps): RouteDef[] {
  return [...authRoutes(d), ...dataRoutes(d), ...(d.archive || d.forward ? historyRoutes(d) : [])];
}

/** Bytes with their type, as the core or a FileReply gives them. */
function sendBytes(res: Response, r: { status: number; contentType: string; disposition?: string; body: Buffer }) {
  res.status(r.status);
  res.setHeader('Content-Type', r.contentType);
  if (r.disposition) res.setHeader('Content-Disposition', r.disposition);
  res.send(r.body);
}

/** Origin of the tile server for the CSP; undefined when the URL is not absolute http(s). */
function tileOrigin(url: string): string | undefined {
  try {
    const u = new URL(url.replace(/\{[a-z]\}/g, 'a'));
    return u.protocol === 'http:' || u.protocol === 'https:'
      ? `${u.protocol}//${u.host.replace(/^a\./, '*.')}`
      : undefined;
  } catch {
    return undefined;
  }
}

/** The express app: API routes from one table, static page, health and metrics. */
export function createApp(d: ApiDeps, opts: AppOptions): express.Express {
  const app = express();
  const log = d.logger.child({ module: 'http' });
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  if (d.trustProxy !== undefined && d.trustProxy !== false) app.set('trust proxy', d.trustProxy);
  const tiles = tileOrigin(d.ui.tileUrl);
  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          fontSrc: ["'self'"],
          imgSrc: ["'self'", 'data:', ...(tiles ? [tiles] : [])],
          connectSrc: ["'self'"],
          mediaSrc: ["'self'", 'data:'],
          objectSrc: ["'none'"],
          baseUri: ["'none'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          workerSrc: ["'self'"],
        },
      },
      // The NOC runs on plain http on a LAN; HSTS would lock it out.
      strictTransportSecurity: false,
      crossOriginEmbedderPolicy: false,
    }),
  );

  app.use((req, res, next) => {
    const end = opts.metrics.duration.startTimer();
    res.on('finish', () => {
      const route =
        (req.route as { path?: string } | undefined)?.path ?? (req.path.startsWith('/api/') ? 'unmatched' : 'static');
      opts.metrics.requests.inc({ method: req.method, route, status: res.statusCode });
      end({ method: req.method, route });
    });
    next();
  });

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', (_req, res) => {
    const ok = d.ready();
    res.status(ok ? 200 : 503).json({ status: ok ? 'ready' : 'starting' });
  });
  app.get('/metrics', async (_req, res, next) => {
    try {
      opts.beforeMetrics?.();
      res.type(opts.metrics.registry.contentType).send(await opts.metrics.registry.metrics());
    } catch (err) {
      next(err);
    }
  });

  mountStatusRoutes(app, opts.statusPage, {
    maxAgeS: opts.statusMaxAgeS ?? 15,
    onResult: (result) => opts.metrics.statusRequests.inc({ result }),
  });

  // A cluster's web servers share one throttle in Redis (ADR 0902); the single process keeps it in memory.
  const throttle = d.loginThrottle ?? createLoginThrottle(throttlePolicy(d.loginLimit));
  const routes = allRoutes({
    ...d,
    loginGuard: {
      throttle,
      onFailure: (info) => {
        opts.metrics.loginFailures.inc();
        log.warn(info, 'login failed');
      },
      onThrottled: (info) => {
        opts.metrics.loginThrottled.inc({ scope: info.scope });
        log.warn(info, 'login throttled');
      },
    },
  });
  const openapi = buildOpenApi(routes, opts.version ?? '0.1.0');
  app.get(['/api/docs', '/api/openapi.json'], (_req, res) => {
    res.json(openapi);
  });

  app.use('/api', express.json({ limit: '32kb', strict: true }));

  for (const r of routes) {
    const handlers: express.RequestHandler[] = [];
    handlers.push(async (req: Request, res: Response, next: NextFunction) => {
      const ac = new AbortController();
      res.on('close', () => {
        if (!res.writableFinished) ac.abort();
      });
      try {
        let user: SessionUser | undefined;
        if (r.access !== 'public') {
          user = (await d.sessions.fromCookieHeader(req.headers.cookie))?.user;
          if (!user) throw new HttpError(401, 'PANTAU_UNAUTHENTICATED', 'silakan masuk / login required');
          if (r.access !== 'session' && !can(user, r.access)) {
            throw new HttpError(
              403,
              'PANTAU_FORBIDDEN',
              `peran ${user.role} tidak boleh ${r.access} / role ${user.role} may not ${r.access}`,
            );
          }
        }
        const params = parseRouteInput('params', r.params, req.params);
        const query = parseRouteInput('query', r.query, req.query);
        const body = parseRouteInput('body', r.body, req.body);
        if (r.runsOn === 'archive' && !d.archive && d.forward) {
          // A web server of a cluster: the core runs it (the input is checked here too, for an early 400).
          const reply = await d.forward({
            method: r.method,
            path: r.path,
            params: { ...req.params } as Record<string, string>,
            query: { ...(req.query as Record<string, string | string[]>) },
            body: req.body as unknown,
            user: user as SessionUser,
          });
          if (!res.headersSent) sendBytes(res, unpackReply(reply));
          return;
        }
        const result = await r.handler({
          user: user as SessionUser,
          params,
          query,
          body,
          req,
          res,
          signal: ac.signal,
        } as never);
        if (res.headersSent) return;
        if (result instanceof FileReply)
          sendBytes(res, {
            status: r.status ?? 200,
            contentType: result.contentType,
            ...(result.disposition ? { disposition: result.disposition } : {}),
            body: result.body,
          });
        else res.status(r.status ?? 200).json(result);
      } catch (err) {
        next(err);
      }
    });
    app[r.method](r.path, ...handlers);
  }

  app.use('/api', (req, _res, next) => {
    next(new HttpError(404, 'PANTAU_NOT_FOUND', `no route ${req.method} ${req.path}`));
  });

  if (opts.webDist && existsSync(join(opts.webDist, 'index.html'))) {
    const dist = opts.webDist;
    app.use(
      express.static(dist, {
        index: 'index.html',
        maxAge: '1h',
        setHeaders: (res, path) => {
          if (path.endsWith('index.html')) res.setHeader('Cache-Control', 'no-cache');
        },
      }),
    );
    app.get(/^\/(?!api\/|socket\.io\/).*/, (_req, res) => {
      res.setHeader('Cache-Control', 'no-cache');
      res.sendFile(join(dist, 'index.html'));
    });
  } else {
    app.get('/', (_req, res) => {
      res
        .type('text/plain')
        .send('pantau: halaman NOC belum dibangun / the NOC page is not built: run `npx vite build web`\n');
    });
  }

  // Last: every error becomes JSON; client errors keep their status, anything else is a logged 500.
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    let status = 500;
    let body: { code: string; message: string; issues?: unknown[] };
    if (err instanceof HttpError) {
      status = err.status;
      body = { code: err.code, message: err.message, ...(err.issues ? { issues: err.issues } : {}) };
    } else if (isPantauError(err) && err.code === 'PANTAU_UNAVAILABLE') {
      // A web server whose core (or Redis) does not answer: try again, nothing was changed.
      status = 503;
      body = { code: err.code, message: err.message };
    } else if (isPantauError(err) && err.code === 'PANTAU_TOO_LARGE') {
      status = 413;
      body = { code: err.code, message: err.message };
    } else if (
      typeof (err as { status?: unknown })?.status === 'number' &&
      (err as { status: number }).status >= 400 &&
      (err as { status: number }).status < 500
    ) {
      // body-parser: malformed JSON (400), too large (413), bad charset (415)
      status = (err as { status: number }).status;
      const type = (err as { type?: string }).type;
      body = {
        code: status === 413 ? 'PANTAU_TOO_LARGE' : 'PANTAU_BAD_REQUEST',
        message: type === 'entity.parse.failed' ? 'body: malformed JSON' : (err as Error).message,
      };
    } else {
      log.error({ err, method: req.method, path: req.path }, 'request failed');
      body = { code: 'PANTAU_INTERNAL', message: 'internal error' };
    }
    if (res.headersSent) return;
    res.status(status).json({ error: body });
  });
  return app;
}
