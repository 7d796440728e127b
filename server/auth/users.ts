import argon2 from 'argon2';
import { z } from 'zod';
import type { Store } from '../../core/store/store.js';
import type { Role, SessionUser } from '../../core/realtime.js';
import { serverMigrations } from './migrations.js';

export const ROLES = ['admin', 'operator', 'technician', 'viewer'] as const satisfies readonly Role[];

export const usernameSchema = z
  .string()
  .trim()
  .min(2)
  .max(64)
  .regex(/^[a-zA-Z0-9._-]+$/, 'username: letters, digits, ".", "_" or "-"');
export const passwordSchema = z.string().min(8, 'password: at least 8 characters').max(256);

export const newUserSchema = z
  .object({
    username: usernameSchema,
    password: passwordSchema,
    role: z.enum(ROLES),
    displayName: z.string().trim().min(1).max(120).optional(),
    /** Notification groups (alerting routes); technicians see alerts routed to these. */
    groups: z.array(z.string().trim().min(1).max(64)).max(50).default([]),
  })
  .strict();
export type NewUser = z.input<typeof newUserSchema>;

interface UserRow {
  id: number;
  username: string;
  display_name: string;
  password_hash: string;
  role: Role;
  groups_json: string;
  disabled: number;
}

/** What the API needs of the users: the SQLite store here, or the core's over Redis (a web server). */
export interface UserDirectory {
  add(input: NewUser): Promise<SessionUser>;
  verify(username: string, password: string): Promise<SessionUser | undefined>;
  list(): SessionUser[] | Promise<SessionUser[]>;
}

export interface UserStore extends UserDirectory {
  add(input: NewUser): Promise<SessionUser>;
  /** The user when the password matches; undefined otherwise (unknown users cost the same time). */
  verify(username: string, password: string): Promise<SessionUser | undefined>;
  byId(id: number): SessionUser | undefined;
  list(): SessionUser[];
  count(): number;
  setPassword(username: string, password: string): Promise<boolean>;
}

const toUser = (r: UserRow): SessionUser => ({
  id: r.id,
  username: r.username,
  displayName: r.display_name,
  role: r.role,
  groups: JSON.parse(r.groups_json) as string[],
});

// Verified against when the username is unknown, so timing does not reveal which usernames exist.
let dummyHash: Promise<string> | undefined;

export function createUserStore(store: Store, clock: { now(): number }): UserStore {
  store.migrate('server', serverMigrations);
  const db = store.db;
  const byName = db.prepare('SELECT * FROM server_users WHERE username = ?');
  const byIdStmt = db.prepare('SELECT * FROM server_users WHERE id = ? AND disabled = 0');
  return {
    async add(input) {
      const u = newUserSchema.parse(input);
      const hash = await argon2.hash(u.password, { type: argon2.argon2id });
      const info = db
        .prepare(
          `INSERT INTO server_users (username, display_name, password_hash, role, groups_json, created_at)
        VALUES (?, ?, ?, ?, ?, ?)`,
        )
        .run(u.username, u.displayName ?? u.username, hash, u.role, JSON.stringify(u.groups), clock.now());
      return toUser(byIdStmt.get(info.lastInsertRowid) as UserRow);
    },
    async verify(username, password) {
      const row = byName.get(username) as UserRow | undefined;
      if (!row || row.disabled) {
        dummyHash ??= argon2.hash('pantau-dummy-password', { type: argon2.argon2id });
        await argon2.verify(await dummyHash, password).catch(() => false);
        return undefined;
      }
      const ok = await argon2.verify(row.password_hash, password).catch(() => false);
      return ok ? toUser(row) : undefined;
    },
    byId(id) {
      const row = byIdStmt.get(id) as UserRow | undefined;
      return row ? toUser(row) : undefined;
    },
    list() {
      return (db.prepare('SELECT * FROM server_users WHERE disabled = 0 ORDER BY username').all() as UserRow[]).map(
        toUser,
      );
    },
    count() {
      return (db.prepare('SELECT COUNT(*) AS n FROM server_users WHERE disabled = 0').get() as { n: number }).n;
    },
    async setPassword(username, password) {
      const hash = await argon2.hash(passwordSchema.parse(password), { type: argon2.argon2id });
      return db.prepare('UPDATE server_users SET password_hash = ? WHERE username = ?').run(hash, username).changes > 0;
    },
  };
}
