import { z } from 'zod';
import { SESSION_COOKIE } from '../realtime/events.js';
import { newUserSchema, passwordSchema, usernameSchema } from '../auth/users.js';
import type { ApiDeps } from './deps.js';
import { defineRoute, HttpError, type RouteDef } from './route.js';

const loginBody = z.object({ username: usernameSchema, password: passwordSchema.or(z.string().min(1).max(256)) }).strict();

export function authRoutes(d: ApiDeps): RouteDef[] {
  return [
    defineRoute({
      method: 'post', path: '/api/auth/login', tag: 'auth', access: 'public', body: loginBody,
      summary: 'Log in; sets the HttpOnly session cookie (rate limited)',
      async handler({ body, res }) {
        const user = await d.users.verify(body.username, body.password);
        if (!user) throw new HttpError(401, 'PANTAU_AUTH_FAILED', 'nama pengguna atau kata sandi salah / wrong username or password');
        const s = d.sessions.create(user.id);
        res.cookie(SESSION_COOKIE, s.token, {
          httpOnly: true, sameSite: 'strict', path: '/', secure: res.req.secure, expires: new Date(s.expiresAt),
        });
        return { user };
      },
    }),
    defineRoute({
      method: 'post', path: '/api/auth/logout', tag: 'auth', access: 'session', body: z.object({}).strict().optional(), summary: 'Log out; ends the session and its sockets',
      handler({ req, res }) {
        const s = d.sessions.fromCookieHeader(req.headers.cookie);
        if (s) { d.sessions.destroyHash(s.tokenHash); d.onLogout(s.tokenHash); }
        res.clearCookie(SESSION_COOKIE, { path: '/' });
        return { ok: true };
      },
    }),
    defineRoute({
      method: 'get', path: '/api/auth/me', tag: 'auth', access: 'session', summary: 'The logged-in user',
      handler: ({ user }) => ({ user, ui: d.ui }),
    }),
    defineRoute({
      method: 'get', path: '/api/users', tag: 'users', access: 'users', summary: 'List users (admin)',
      handler: () => ({ users: d.users.list() }),
    }),
    defineRoute({
      method: 'post', path: '/api/users', tag: 'users', access: 'users', body: newUserSchema, status: 201,
      summary: 'Create a user (admin)',
      async handler({ body }) {
        if (d.users.list().some((u) => u.username.toLowerCase() === body.username.toLowerCase())) {
          throw new HttpError(409, 'PANTAU_USER_EXISTS', `user ${body.username} exists`);
        }
        return { user: await d.users.add(body) };
      },
    }),
  ];
}
