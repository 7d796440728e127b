import type { CliContext, CommandModule } from '../context.js';
import { configPathFrom } from '../context.js';

/** Reads a password: hidden prompt (twice) on a TTY, else the first line of stdin. */
async function readPassword(ctx: CliContext, confirm: boolean): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) {
    let data = '';
    for await (const chunk of stdin) data += String(chunk);
    return data.split(/\r?\n/)[0] ?? '';
  }
  const ask = (q: string) =>
    new Promise<string>((resolve) => {
      ctx.stderr.write(q);
      let buf = '';
      stdin.setRawMode(true);
      stdin.resume();
      const onData = (b: Buffer) => {
        for (const ch of b.toString('utf8')) {
          if (ch === '\r' || ch === '\n') {
            stdin.setRawMode(false);
            stdin.pause();
            stdin.off('data', onData);
            ctx.stderr.write('\n');
            resolve(buf);
            return;
          }
          if (ch === '\u0003') {
            stdin.setRawMode(false);
            process.exit(130);
          }
          if (ch === '\u007f') buf = buf.slice(0, -1);
          else buf += ch;
        }
      };
      stdin.on('data', onData);
    });
  const p1 = await ask('Kata sandi / password: ');
  if (confirm && (await ask('Ulangi / repeat: ')) !== p1) throw new Error('passwords differ');
  return p1;
}

export const command: CommandModule = {
  name: 'user',
  register(program, ctx) {
    const user = program
      .command('user')
      .description('pengguna halaman NOC / NOC page users (admin, operator, technician, viewer)');
    const open = async (opts: { config?: string }) => {
      const { resolve } = await import('node:path');
      const { loadConfig } = await import('../../core/config/load.js');
      const { openStore } = await import('../../core/store/store.js');
      const { createUserStore } = await import('../../server/auth/users.js');
      const { systemClock } = await import('../../core/time.js');
      const { config, configDir } = loadConfig(configPathFrom(opts, ctx.env), ctx.env);
      const store = openStore(config.store.path === ':memory:' ? ':memory:' : resolve(configDir, config.store.path));
      return { store, users: createUserStore(store, systemClock) };
    };
    user
      .command('add <username>')
      .description('create a user; the password is asked (hidden) or read from stdin')
      .requiredOption('-r, --role <role>', 'admin | operator | technician | viewer')
      .option(
        '-g, --groups <groups>',
        'notification groups, comma-separated (technicians see alerts routed to these)',
        '',
      )
      .option('-n, --name <displayName>', 'display name')
      .option('-c, --config <file>', 'config file (default config/pantau.yaml or $PANTAU_CONFIG)')
      .action(async (username: string, opts: { role: string; groups: string; name?: string; config?: string }) => {
        const { newUserSchema, passwordSchema } = await import('../../server/auth/users.js');
        const groups = opts.groups
          .split(',')
          .map((g) => g.trim())
          .filter(Boolean);
        // Validate before asking for a password, so a typo in the role fails fast.
        const pre = newUserSchema.safeParse({
          username,
          role: opts.role,
          groups,
          password: 'x'.repeat(8),
          ...(opts.name ? { displayName: opts.name } : {}),
        });
        if (!pre.success) throw new Error(pre.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
        const password = await readPassword(ctx, true);
        const pw = passwordSchema.safeParse(password);
        if (!pw.success) throw new Error(pw.error.issues.map((i) => i.message).join('; '));
        const { store, users } = await open(opts);
        try {
          if (users.list().some((u) => u.username.toLowerCase() === username.toLowerCase()))
            throw new Error(`user ${username} exists (use: pantau user passwd ${username})`);
          const u = await users.add({
            username,
            role: pre.data.role,
            groups,
            password,
            ...(opts.name ? { displayName: opts.name } : {}),
          });
          ctx.stdout.write(
            `pengguna dibuat / user created: ${u.username} (${u.role}${u.groups.length ? `, groups ${u.groups.join(',')}` : ''})\n`,
          );
        } finally {
          store.close();
        }
      });
    user
      .command('passwd <username>')
      .description('set a new password')
      .option('-c, --config <file>', 'config file')
      .action(async (username: string, opts: { config?: string }) => {
        const password = await readPassword(ctx, true);
        const { store, users } = await open(opts);
        try {
          if (!(await users.setPassword(username, password))) throw new Error(`no user ${username}`);
          ctx.stdout.write(`kata sandi diganti / password changed: ${username}\n`);
        } finally {
          store.close();
        }
      });
    user
      .command('list')
      .description('list users')
      .option('-c, --config <file>', 'config file')
      .action(async (opts: { config?: string }) => {
        const { store, users } = await open(opts);
        try {
          for (const u of users.list()) ctx.stdout.write(`${u.username}\t${u.role}\t${u.groups.join(',')}\n`);
        } finally {
          store.close();
        }
      });
  },
};
