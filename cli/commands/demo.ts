import type { CliContext, CommandModule } from '../context.js';
import { PACKAGE_ROOT, packagePath } from '../../core/paths.js';

/**
 * `pantau demo` (npm run demo): the lab with the shipped OKU inventory (the network and the twelve public
 * applications, served over HTTPS with the lab's own CA and DNS server), pantau against it, the page on
 * http://127.0.0.1:3000, a demo login and a scenario that breaks and heals the network.
 *
 * Network layout (docs/adr/0503): the lab's faults use iptables, which must not touch the host.
 * So the lab and pantau run together in a private network namespace (a child `unshare -n`, or
 * `unshare -rn` without root), pantau serves HTTP on a Unix socket (sockets on the filesystem
 * cross namespaces), and this parent process bridges 127.0.0.1:3000 on the host to it.
 */
interface DemoOpts {
  port: string;
  host: string;
  inner?: boolean;
  socket?: string;
  sameNamespace?: boolean;
  tourGap: string;
}

const DEMO_PASSWORD = 'pantau-demo';
const DEMO_USERS = [
  { username: 'admin', role: 'admin', groups: [] },
  { username: 'operator', role: 'operator', groups: ['noc'] },
  { username: 'teknisi', role: 'technician', groups: ['tim-barat'] },
  { username: 'viewer', role: 'viewer', groups: [] },
] as const;

/** After the network's faults, a failing application behind a healthy network: its own alert, with the reason. */
const SERVICE_STEP = {
  say: 'Aplikasi SIP menjawab HTTP 500 (jaringan normal) / the SIP application answers HTTP 500 (network fine)',
  target: 'svc-sip',
  fault: { kind: 'http-status', status: 500 },
  holdMs: 60_000,
};

export const command: CommandModule = {
  name: 'demo',
  register(program, ctx) {
    program
      .command('demo')
      .description(
        'start the network lab (OKU: 227 devices and the 12 public applications) and pantau against it, with a scenario playing',
      )
      .option('-p, --port <port>', 'HTTP port on the host', '3000')
      .option('--host <host>', 'HTTP address on the host', '127.0.0.1')
      .option(
        '--same-namespace',
        "run lab and pantau in this network namespace (the lab's iptables rules then apply here)",
      )
      .option('--tour-gap <seconds>', 'quiet time before and between scenario steps', '25')
      .option('--inner', '(internal) the half that runs inside the private namespace')
      .option('--socket <path>', '(internal) Unix socket to serve HTTP on')
      .action(async (opts: DemoOpts) => {
        if (opts.inner || opts.sameNamespace) await runInner(ctx, opts);
        else await runOuter(ctx, opts);
      });
  },
};

async function runOuter(ctx: CliContext, opts: DemoOpts): Promise<void> {
  const { spawn } = await import('node:child_process');
  const { mkdtempSync, rmSync, existsSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const net = await import('node:net');
  const dir = mkdtempSync(join(tmpdir(), 'pantau-demo-'));
  const sock = join(dir, 'http.sock');
  const bin = packagePath('bin', 'pantau.mjs');
  const root = process.getuid?.() === 0;
  // unshare -r maps us to root inside a user namespace when we are not root (ports < 1024, iptables).
  const child = spawn(
    'unshare',
    [root ? '-n' : '-rn', '--', process.execPath, bin, 'demo', '--inner', '--socket', sock, '--tour-gap', opts.tourGap],
    { stdio: ['pipe', 'inherit', 'inherit'], env: process.env, detached: true },
  );
  // detached: its own process group, so Ctrl+C reaches only us and we stop the inner half in order
  // (the terminal's SIGINT would otherwise also kill its fping children mid-write).
  let exited = false;
  const childExit = new Promise<number>((resolve) => {
    child.on('exit', (code) => {
      exited = true;
      resolve(code ?? 1);
    });
    // No unshare (not Linux, or util-linux missing): say what to do instead of waiting.
    child.on('error', (err) => {
      ctx.stderr.write(`cannot start unshare (${err.message}); try: npx pantau demo --same-namespace\n`);
      exited = true;
      resolve(1);
    });
  });

  const proxy = net.createServer((c) => {
    const u = net.connect(sock);
    c.pipe(u).pipe(c);
    const end = () => {
      c.destroy();
      u.destroy();
    };
    c.on('error', end);
    u.on('error', end);
    c.on('close', end);
    u.on('close', end);
  });
  await new Promise<void>((resolve, reject) => {
    proxy.once('error', reject);
    proxy.listen(Number(opts.port), opts.host, () => resolve());
  }).catch((err: Error) => {
    child.kill('SIGTERM');
    throw new Error(
      `cannot listen on ${opts.host}:${opts.port}: ${err.message} (another pantau running? try --port 3001)`,
    );
  });

  const stop = () => {
    if (!exited) child.kill('SIGTERM');
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  // Wait for the inner half to serve, then tell the user where to look.
  const t0 = Date.now();
  while (!exited && !existsSync(sock) && Date.now() - t0 < 300_000) await new Promise((r) => setTimeout(r, 200));
  if (!exited) {
    ctx.stdout.write(
      `\n  ▶ Buka / open  http://${opts.host}:${opts.port}\n  ▶ Masuk / login: operator / ${DEMO_PASSWORD}   (admin, teknisi, viewer: same password)\n  ▶ Halaman status publik / public status page: http://${opts.host}:${opts.port}/status\n  ▶ Ctrl+C untuk berhenti / to stop\n\n`,
    );
  }
  const code = await childExit;
  // The pipe to a dead child would keep this process alive.
  child.stdin?.destroy();
  process.off('SIGINT', stop);
  process.off('SIGTERM', stop);
  if (code !== 0 && code !== 130 && code !== 143) ctx.stderr.write(`demo stopped (exit ${code})\n`);
  proxy.close();
  rmSync(dir, { recursive: true, force: true });
  ctx.setExitCode(code === 0 || code === 130 || code === 143 ? 0 : code);
}

async function runInner(ctx: CliContext, opts: DemoOpts): Promise<void> {
  const { execFileSync } = await import('node:child_process');
  const { mkdirSync, rmSync, writeFileSync, readFileSync } = await import('node:fs');
  const { join, resolve } = await import('node:path');
  const { parse, stringify } = await import('yaml');
  const { createLogger } = await import('../../core/logger.js');
  const { loadConfig } = await import('../../core/config/load.js');
  const { startLab } = await import('../../simulator/lab.js');
  const { startPantau } = await import('../../server/main.js');
  const { playTour, DEMO_TOUR } = await import('../../server/demo-tour.js');

  if (opts.inner) {
    try {
      execFileSync('ip', ['link', 'set', 'lo', 'up']);
    } catch {
      /* already up, or no iproute2: the lab will say */
    }
  }
  const logger = createLogger({ level: ctx.env['PANTAU_LOG_LEVEL'] ?? 'warn' });
  // A demo config: the shipped one with faster polling, a fresh store, the trap port the lab sends to.
  const dir = join(PACKAGE_ROOT, '.pantau', 'demo');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const cfg = parse(readFileSync(join(PACKAGE_ROOT, 'config', 'pantau.yaml'), 'utf8')) as Record<
    string,
    Record<string, unknown>
  >;
  // The shipped inventory files (the network and the twelve public applications), relative to config/.
  const inventoryFiles = cfg['inventory'] as unknown as string[];
  cfg['inventory'] = inventoryFiles.map((f) => resolve(PACKAGE_ROOT, 'config', f)) as never;
  const intervals = cfg['collector']?.['intervals'] as Record<string, number> | undefined;
  cfg['collector'] = {
    ...cfg['collector'],
    intervals: { ...intervals, icmp: 5, snmp: 30, onvif: 60, http: 10 },
    traps: { enabled: true, address: '127.0.0.1', port: 16200 },
    profilesDir: resolve(PACKAGE_ROOT, 'config/profiles'),
  };
  // Notification groups without recipients: they route alerts to technicians on the page (teknisi = west team).
  // Paths in pantau.yaml are relative to config/: this config lives elsewhere.
  const rules = cfg['alerting']?.['rulesFile'];
  cfg['alerting'] = {
    ...(cfg['alerting'] ?? {}),
    downAfter: 2,
    upAfter: 2,
    tickS: 1,
    ...(typeof rules === 'string' ? { rulesFile: resolve(PACKAGE_ROOT, 'config', rules) } : {}),
    notifications: { groups: { noc: {}, 'tim-barat': {}, 'tim-timur': {} } },
    routing: [
      {
        name: 'barat',
        match: {
          kecamatan: [
            'Lengkiti',
            'Baturaja Barat',
            'Sosoh Buay Rayap',
            'Pengandonan',
            'Semidang Aji',
            'Ulu Ogan',
            'Muara Jaya',
          ],
        },
        groups: ['noc', 'tim-barat'],
      },
      { name: 'timur', match: {}, groups: ['noc', 'tim-timur'] },
    ],
  };
  cfg['store'] = { path: join(dir, 'pantau.db') };
  cfg['metrics'] = { ...cfg['metrics'], sink: 'none', outbox: { path: join(dir, 'outbox.db') } };
  const configPath = join(dir, 'pantau.yaml');
  writeFileSync(configPath, stringify(cfg));
  const { inventory } = loadConfig(configPath, ctx.env);

  ctx.stdout.write(`menyalakan lab jaringan / starting the network lab (${inventory.devices.length} perangkat)…\n`);
  const lab = await startLab({
    inventory,
    netns: 'none',
    logger,
    trapTarget: { host: '127.0.0.1', port: 16200 },
    onProgress: (n, total) => {
      if (process.stdout.isTTY) process.stdout.write(`\r  ${n}/${total}`);
    },
  });
  if (process.stdout.isTTY) process.stdout.write('\n');
  // As `pantau lab` tells an operator: pantau trusts the lab's CA and asks the lab's DNS server through
  // the shipped config's PANTAU_SERVICES_CA_FILE / PANTAU_DNS_SERVER (collector.http/tls/dns, ADR 0702).
  const env = lab.services
    ? { ...ctx.env, PANTAU_SERVICES_CA_FILE: lab.services.caFile, PANTAU_DNS_SERVER: lab.services.dnsServer }
    : ctx.env;
  const loaded = loadConfig(configPath, env);
  const pantau = await startPantau({
    configPath,
    loaded,
    env,
    logger,
    ...(opts.socket ? { socketPath: opts.socket } : { port: Number(opts.port), host: opts.host }),
  });
  for (const u of DEMO_USERS) await pantau.server.users.add({ ...u, groups: [...u.groups], password: DEMO_PASSWORD });
  if (!opts.socket) {
    ctx.stdout.write(
      `\n  ▶ Buka / open  http://${opts.host}:${pantau.port}\n  ▶ Masuk / login: operator / ${DEMO_PASSWORD}\n\n`,
    );
  }
  ctx.stdout.write('skenario demo berjalan / demo scenario playing (docs: server/demo-tour.ts)\n');

  const ac = new AbortController();
  const stop = () => ac.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  process.stdin.on('end', stop); // the outer half died: do not linger
  if (opts.inner) process.stdin.resume();
  await playTour(lab, {
    steps: [...DEMO_TOUR, SERVICE_STEP],
    signal: ac.signal,
    gapMs: Math.max(0, Number(opts.tourGap)) * 1000,
    out: (l) => ctx.stdout.write(`${l}\n`),
  });
  ctx.stdout.write('berhenti / stopping…\n');
  const { stopWithin, exitSoonIfStuck } = await import('../graceful.js');
  await stopWithin(
    async () => {
      await pantau.stop();
      await lab.stop();
    },
    {
      onForced: (why) =>
        ctx.stderr.write(
          `demo: ${why === 'signal' ? 'sinyal kedua / second signal' : 'berhenti terlalu lama / stop overran 4 s'}: keluar paksa / exiting now\n`,
        ),
    },
  );
  process.stdin.pause();
  exitSoonIfStuck();
}
