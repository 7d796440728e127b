import { z } from 'zod';
import { SESSION_COOKIE } from '../../core/realtime.js';
import { newUserSchema, passwordSchema, usernameSchema } from '../auth/users.js';
import type { ApiDeps } from './deps.js';
import { defineRoute, HttpError, type RouteDef } from './route.js';

const loginBody = z
  .object({ username: usernameSchema, password: passwordSchema.or(z.string().min(1).max(256)) })
  .strict();

export function authRoutes(d: ApiDeps): RouteDef[] {
  return [
    defineRoute({
      method: 'post',
      path: '/api/auth/login',
      tag: 'auth',
      access: 'public',
      body: loginBody,
      summary: 'Log in; sets the HttpOnly session cookie (throttled per username and address: 429 with Retry-After)',
      async handler({ body, req, res }) {
        const guard = d.loginGuard;
        const address = req.ip ?? req.socket.remoteAddress ?? 'unknown';
        if (guard) {
          const decision = await guard.throttle.check(d.clock.now(), body.username, address);
          if (!decision.allowed) {
            const seconds = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
            guard.onThrottled({
              username: body.username,
              address,
              scope: decision.scope,
              retryAfterMs: decision.retryAfterMs,
            });
            res.setHeader('Retry-After', String(seconds));
            throw new HttpError(
              429,
              'PANTAU_RATE_LIMITED',
              `terlalu banyak percobaan masuk yang gagal, coba lagi dalam ${seconds} detik / too many failed login attempts, try again in ${seconds} s`,
            );
          }
        }
        const user = await d.users.verify(body.username, body.password);
        if (!user) {
          if (guard)
            guard.onFailure({
              username: body.username,
              address,
              ...(await guard.throttle.recordFailure(d.clock.now(), body.username, address)),
            });
          throw new HttpError(
            401,
            'PANTAU_AUTH_FAILED',
            'nama pengguna atau kata sandi salah / wrong username or password',
          );
        }
        await guard?.throttle.recordSuccess(body.username);
        const s = await d.sessions.create(user);
        res.cookie(SESSION_COOKIE, s.token, {
          httpOnly: true,
          sameSite: 'strict',
          path: '/',
          secure: res.req.secure,
          expires: new Date(s.expiresAt),
        });
        return { user };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/auth/logout',
      tag: 'auth',
      access: 'session',
      body: z.object({}).strict().optional(),
      summary: 'Log out; ends the session and its sockets',
      async handler({ req, res }) {
        const s = await d.sessions.fromCookieHeader(req.headers.cookie);
        if (s) {
          await d.sessions.destroyHash(s.tokenHash);
          d.onLogout(s.tokenHash);
        }
        res.clearCookie(SESSION_COOKIE, { path: '/' });
        return { ok: true };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/auth/me',
      tag: 'auth',
      access: 'session',
      summary: 'The logged-in user',
      handler: ({ user }) => ({ user, ui: d.ui }),
    }),
    defineRoute({
      method: 'get',
      path: '/api/users',
      tag: 'users',
      access: 'users',
      summary: 'List users (admin)',
      handler: async () => ({ users: await d.users.list() }),
    }),
    defineRoute({
      method: 'post',
      path: '/api/users',
      tag: 'users',
      access: 'users',
      body: newUserSchema,
      status: 201,
      summary: 'Create a user (admin)',
      async handler({ body }) {
        if ((await d.users.list()).some((u) => u.username.toLowerCase() === body.username.toLowerCase())) {
          throw new HttpError(409, 'PANTAU_USER_EXISTS', `user ${body.username} exists`);
        }
        return { user: await d.users.add(body) };
      },
    }),
  ];
}
