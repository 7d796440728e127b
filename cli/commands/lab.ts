import type { Command } from 'commander';
import type { CliContext, CommandModule } from '../context.js';
import { configPathFrom } from '../context.js';

interface LabOpts {
  config?: string;
  inventory?: string;
  netns: string;
  scenario?: string;
  workers?: string;
  snmpPort?: string;
  onvifPort?: string;
  rtspPort?: string;
  trap?: string;
  control: string;
  generate?: string;
  writeConfig?: string;
}

function controlAddr(s: string): { host: string; port: number } {
  const m = /^(?:([\d.]+):)?(\d+)$/.exec(s);
  if (!m) throw new Error(`--control: expected [host:]port, got ${s}`);
  const host = m[1] ?? '127.0.0.1';
  if (!host.startsWith('127.')) throw new Error('--control must be a loopback address');
  return { host, port: Number(m[2]) };
}

async function runLab(opts: LabOpts, ctx: CliContext): Promise<void> {
  const { loadConfig, loadInventory } = await import('../../core/config/load.js');
  const { createLogger } = await import('../../core/logger.js');
  const { formatWib } = await import('../../core/time.js');
  const { startLab } = await import('../../simulator/lab.js');
  const { startControl } = await import('../../simulator/control.js');
  const { loadScenario, runScenario } = await import('../../simulator/scenario.js');
  const { generateInventory } = await import('../../simulator/generate.js');

  const loaded = loadConfig(configPathFrom(opts, ctx.env), ctx.env);
  let inventory = loaded.inventory;
  if (opts.generate) {
    inventory = generateInventory({ devices: Number(opts.generate) });
  } else if (opts.inventory) {
    // The lab stands in for any network (another regency, other credential names): it answers with
    // its demo credentials whatever a device names, so only the inventory's own consistency and its
    // vendors are checked here; the config that polls it checks kecamatan and credential names.
    const any = { has: () => true } as unknown as ReadonlySet<string>;
    inventory = loadInventory([opts.inventory], {
      snmpCredentials: any,
      onvifCredentials: any,
      vendors: loaded.vendors,
    });
  }
  const scenario = opts.scenario ? loadScenario(opts.scenario, inventory) : null;
  const logger = createLogger({
    name: 'pantau-lab',
    level: ctx.env['PANTAU_LOG_LEVEL'] ?? 'warn',
    destination: ctx.stderr,
  });
  const tty = Boolean((ctx.stdout as NodeJS.WriteStream).isTTY);
  const out = (s: string) => ctx.stdout.write(s);
  const trap = opts.trap ? { host: opts.trap.split(':')[0]!, port: Number(opts.trap.split(':')[1] ?? 162) } : null;
  const num = (s?: string) => (s === undefined ? undefined : Number(s));
  const t0 = Date.now();
  let lastPct = -1;
  const lab = await startLab({
    inventory,
    netns: opts.netns,
    ports: { snmp: num(opts.snmpPort), onvif: num(opts.onvifPort), rtsp: num(opts.rtspPort) },
    trapTarget: trap,
    logger,
    workers: num(opts.workers),
    onProgress: (started, total) => {
      const pct = Math.floor((started / total) * 100);
      if (tty && pct !== lastPct)
        out(
          `\r[lab] memulai / starting ${started}/${total} perangkat (${pct}%) ${((Date.now() - t0) / 1000).toFixed(1)} s `,
        );
      lastPct = pct;
    },
  });
  const st0 = await lab.status();
  out(
    `${tty ? '\r' : ''}[lab] ${st0.devices} perangkat aktif / devices up in ${(st0.startupMs / 1000).toFixed(1)} s, ${st0.workers} worker, ` +
      `SNMP :${lab.ports.snmp ?? '-'} ONVIF :${lab.ports.onvif} RTSP :${lab.ports.rtsp}, netns ${lab.netns ?? '(current)'}, ` +
      `ICMP faults ${lab.icmpFaults ? 'on' : 'OFF (no root/iptables)'}, CPU ${(st0.cpuMs / 1000).toFixed(1)} s, ${st0.rssMb} MB\n`,
  );
  if (lab.netns) out(`[lab] join: ip netns exec ${lab.netns} <command>\n`);
  if (lab.services)
    out(
      `[lab] layanan / services: CA ${lab.services.caFile}, DNS ${lab.services.dnsServer} — PANTAU_SERVICES_CA_FILE=${lab.services.caFile} PANTAU_DNS_SERVER=${lab.services.dnsServer} pantau start\n`,
    );
  if (opts.writeConfig) {
    const { writeLabConfig } = await import('../../simulator/write-config.js');
    const command = `pantau lab${opts.generate ? ` --generate ${opts.generate}` : ''} --write-config ${opts.writeConfig}`;
    const file = writeLabConfig(opts.writeConfig, {
      configPath: loaded.configPath,
      devices: inventory.devices,
      ports: lab.ports,
      command,
      services: lab.services,
    });
    out(
      `[lab] konfigurasi / config: ${file} — ${lab.netns ? `ip netns exec ${lab.netns} ` : ''}pantau start --config ${file}\n`,
    );
  }

  const ctl = controlAddr(opts.control);
  let lastEvent = '';
  const control = await startControl(lab, {
    ...ctl,
    onChange: (what) => {
      lastEvent = what;
      if (!tty) out(`[lab] ${what}\n`);
    },
  });
  out(
    `[lab] kontrol / control: http://${ctl.host}:${control.port} — pantau lab fault <id> <fault>, pantau lab clear <id|all>\n`,
  );

  const player = scenario
    ? runScenario(scenario, lab, {
        onEvent: (e) => {
          lastEvent = `${scenario.name}: ${e.label}`;
          if (!tty) out(`[lab] ${lastEvent}\n`);
        },
        onError: (err) => logger.error({ err }, 'scenario step failed'),
      })
    : null;
  if (scenario)
    out(
      `[lab] skenario / scenario: ${scenario.name} (${scenario.events.length} langkah, ${Math.round(scenario.durationMs / 1000)} s${scenario.loop ? ', berulang' : ''})\n`,
    );

  let prevCpu = st0.cpuMs;
  let prevT = Date.now();
  const tick = setInterval(() => {
    void lab
      .status()
      .then((st) => {
        const now = Date.now();
        const cpuPct = ((st.cpuMs - prevCpu) / Math.max(1, now - prevT)) * 100;
        prevCpu = st.cpuMs;
        prevT = now;
        if (tty)
          out(
            `\r[lab] ${formatWib(now)} · ${st.devices} perangkat · ${st.faults.length} gangguan · CPU ${cpuPct.toFixed(0)}% · ${st.rssMb} MB${lastEvent ? ` · ${lastEvent}` : ''}\x1b[K`,
          );
      })
      .catch(() => {});
  }, 1000);

  const { untilStopSignal, stopWithin, exitSoonIfStuck } = await import('../graceful.js');
  await untilStopSignal();
  clearInterval(tick);
  player?.stop();
  out('\n[lab] berhenti / stopping…\n');
  await stopWithin(
    async () => {
      await control.close();
      await lab.stop();
    },
    {
      onForced: (why) =>
        ctx.stderr.write(
          `[lab] ${why === 'signal' ? 'sinyal kedua / second signal' : 'berhenti terlalu lama / stop overran 4 s'}: keluar paksa / exiting now${lab.netns ? ` (netns ${lab.netns} may remain: ip netns del ${lab.netns})` : ''}\n`,
        ),
    },
  );
  out(
    `[lab] selesai / stopped${lab.icmpFaults ? ' (iptables rules removed)' : ''}${lab.netns ? `, netns ${lab.netns} removed` : ''}\n`,
  );
  exitSoonIfStuck();
}

export const command: CommandModule = {
  name: 'lab',
  register(program: Command, ctx: CliContext) {
    const lab = program
      .command('lab')
      .description(
        'jalankan lab jaringan / run the network lab: every inventory device simulated (SNMP, ONVIF, ICMP faults)',
      )
      .option('-c, --config <file>', 'config file (default config/pantau.yaml or $PANTAU_CONFIG)')
      .option('-i, --inventory <file>', "inventory file (default: the config's inventory)")
      .option('--generate <n>', 'simulate a generated inventory of n devices instead (scale tests)')
      .option(
        '--write-config <dir>',
        'write inventory.yaml and a pantau.yaml polling this lab into dir (then: pantau start --config dir/pantau.yaml)',
      )
      .option(
        '--netns <name|none>',
        'network namespace: a name (root; created and removed on exit) or none',
        'pantau-lab',
      )
      .option('--scenario <file>', 'play a scenario (YAML timeline, see simulator/scenarios/)')
      .option('--workers <n>', 'worker processes (default: one per ~1,500 devices)')
      .option('--snmp-port <port>', 'SNMP port (default 161 as root, 16100 otherwise)')
      .option('--onvif-port <port>', 'ONVIF HTTP port (default 80 as root, 18080 otherwise)')
      .option('--rtsp-port <port>', 'RTSP port (default 554 as root, 18554 otherwise)')
      .option('--trap <host:port>', 'send linkDown/linkUp/coldStart traps there')
      .option(
        '--control <[host:]port>',
        'control API (HTTP, loopback only)',
        process.env['PANTAU_LAB_CONTROL'] ?? '17161',
      )
      .action(async (opts: LabOpts) => {
        const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
        // Without root a named namespace is impossible: run in place rather than fail.
        if (!isRoot && opts.netns !== 'none') {
          ctx.stderr.write('[lab] bukan root / not root: running in the current namespace on high ports\n');
          opts.netns = 'none';
        }
        await runLab(opts, ctx);
      });

    // --control is the parent's option (commander gives it to `lab`, wherever it is written): read it with optsWithGlobals.
    const ctl = (cmd: Command) =>
      controlAddr(String((cmd.optsWithGlobals() as { control?: string }).control ?? '17161'));
    lab
      .command('fault <target> <fault> [args...]')
      .summary('inject a fault into the running lab (target: a device id, or subtree:<id>)')
      .description(
        'inject a fault: down | fiber-cut | loss <pct> | latency <ms> | slow [ms] | reboot [s] | ifdown <ifIndex> | ifup <ifIndex> | optical <dBm> [s] | wifi-clients <n> | snapshot http500|not-jpeg|empty | rtsp-down | clock-drift <s> | wrong-credentials | malformed-snmp | malformed-soap',
      )
      .option('--subtree', 'apply to the device and everything below it')
      .action(async (target: string, fault: string, args: string[], opts: { subtree?: boolean }, cmd: Command) => {
        const { controlRequest } = await import('../../simulator/control.js');
        const r = await controlRequest(
          '/fault',
          { target, kind: fault, args, subtree: Boolean(opts.subtree) },
          ctl(cmd),
        );
        const ids = r['devices'] as string[];
        ctx.stdout.write(
          `${fault} → ${ids.length} perangkat / device(s): ${ids.slice(0, 12).join(', ')}${ids.length > 12 ? ', …' : ''}\n`,
        );
      });
    lab
      .command('clear <target>')
      .description('clear the faults of a device (and the subtree faults aimed at it), or all')
      .action(async (target: string, _opts: unknown, cmd: Command) => {
        const { controlRequest } = await import('../../simulator/control.js');
        await controlRequest('/clear', { target }, ctl(cmd));
        ctx.stdout.write(`clear ${target}: ok\n`);
      });
    lab
      .command('status')
      .description("print the running lab's status as JSON")
      .action(async (_opts: unknown, cmd: Command) => {
        const { controlRequest } = await import('../../simulator/control.js');
        ctx.stdout.write(`${JSON.stringify(await controlRequest('/status', undefined, ctl(cmd)), null, 2)}\n`);
      });
  },
};
