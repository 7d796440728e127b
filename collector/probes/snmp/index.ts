import type { SnmpResult } from '../../../core/types.js';
import { flag, makePoint, putField, type Point } from '../../../metrics/point.js';
import { snmpSchemaPart } from './schema.js';
import { defineProbe, type ProbeSample } from '../definition.js';
import { createSnmpProber } from './probe.js';
import { loadProfiles } from './profiles.js';
import { rollupsOf } from '../../../core/vocabulary/measurements.js';

const labelString = (labels: Record<string, string>): string =>
  Object.keys(labels)
    .sort()
    .map((k) => `${k}=${labels[k]}`)
    .join(',');

function mean(values: number[]): number | null {
  return values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;
}

// Operator-facing metrics first; generic sensor rows last (they repeat vendor optics).
const METRIC_ORDER = [
  'optical_rx_dbm',
  'optical_tx_dbm',
  'ont_optical_rx_dbm',
  'optical_olt_rx_dbm',
  'wifi_clients',
  'cpu_load_pct',
  'temperature_c',
];
const rank = (name: string) => {
  const i = METRIC_ORDER.indexOf(name);
  return i < 0 ? METRIC_ORDER.length : i;
};

/** Uptime as days and hours, e.g. `39 hari 6 jam` / `39 d 6 h`. */
export function formatUptime(s: number | null, lang: 'id' | 'en'): string {
  if (s === null) return '?';
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const [dd, hh, mm] = lang === 'id' ? ['hari', 'jam', 'mnt'] : ['d', 'h', 'min'];
  return d > 0 ? `${d} ${dd} ${h} ${hh}` : h > 0 ? `${h} ${hh} ${m} ${mm}` : `${m} ${mm}`;
}

function snmpPoints(r: SnmpResult, tags: Record<string, string>): Point[] {
  const out: Point[] = [];
  for (const i of r.interfaces) {
    const f: Record<string, number> = {};
    putField(f, 'in_bps', i.inBps);
    putField(f, 'out_bps', i.outBps);
    putField(f, 'in_errors', i.inErrors);
    putField(f, 'out_errors', i.outErrors);
    putField(f, 'in_discards', i.inDiscards);
    putField(f, 'out_discards', i.outDiscards);
    f['oper_up'] = flag(i.operUp);
    f['admin_up'] = flag(i.adminUp);
    putField(f, 'speed_bps', i.speedBps);
    // An empty tag value is invalid line protocol: fall back to the ifIndex.
    const ifName = i.ifName.trim() === '' ? `if${i.ifIndex}` : i.ifName;
    out.push(...makePoint('interface', { ...tags, if_name: ifName, uplink: i.isUplink ? 'true' : 'false' }, f, r.ts));
  }

  // Optical power: one point per port (ifName or sensor label), rx and tx together.
  const optical = new Map<string, Record<string, number>>();
  const cpu: number[] = [];
  const temps: number[] = [];
  let clients: number | null = null;
  for (const m of r.metrics) {
    if (!Number.isFinite(m.value)) continue;
    if (m.name === 'optical_rx_dbm' || m.name === 'optical_tx_dbm') {
      const port = m.labels['ifName'] ?? m.labels['sensor'] ?? '0';
      const f = optical.get(port) ?? {};
      f[m.name === 'optical_rx_dbm' ? 'rx_dbm' : 'tx_dbm'] = m.value;
      optical.set(port, f);
    } else if (m.name === 'cpu_load_pct') cpu.push(m.value);
    else if (m.name === 'temperature_c') temps.push(m.value);
    else if (m.name === 'wifi_clients') clients = (clients ?? 0) + m.value;
  }
  for (const [port, f] of optical)
    out.push(...makePoint('optical', { ...tags, port: port === '' ? '0' : port }, f, r.ts));

  const sys: Record<string, number> = {};
  putField(sys, 'uptime_s', r.sysUpTimeS);
  putField(sys, 'cpu_load_pct', mean(cpu));
  // The hottest sensor is the one that matters for an outdoor cabinet.
  putField(sys, 'temperature_c', temps.length === 0 ? null : Math.max(...temps));
  sys['rebooted'] = flag(r.rebooted);
  sys['snmp_ok'] = flag(r.ok);
  out.push(...makePoint('system', tags, sys, r.ts));

  if (clients !== null) out.push(...makePoint('wifi', tags, { clients }, r.ts));
  return out;
}

export const snmpProbe = defineProbe<'snmp', { retries: number; maxRepetitions: number }>({
  kind: 'snmp',
  schema: snmpSchemaPart,
  // SNMP BER coding and ONVIF SOAP parsing are the CPU-heavy probes: a worker thread can take them.
  offload: true,
  create(ctx) {
    const log = ctx.logger.child({ module: 'snmp' });
    const prober = createSnmpProber({
      credentials: ctx.credentials.snmp,
      profiles: loadProfiles(ctx.profilesDir),
      now: ctx.now,
      settings: {
        retries: ctx.settings.retries,
        maxRepetitions: ctx.settings.maxRepetitions,
        timeoutMs: ctx.timeoutMs,
      },
      // Once per device (again only when the set changes): a profile OID the device lacks, often a typo.
      onMissingMetrics: (device, missing) =>
        log.info(
          { device: device.id, vendor: device.vendor, missing },
          `profil ${device.vendor}: perangkat tidak punya OID untuk metrik ${missing.join(', ')} / profile ${device.vendor}: device has no OID for metrics ${missing.join(', ')}`,
        ),
    });
    return {
      run: async (devices, opts) => Promise.all(devices.map((d) => prober.run(d, opts))),
      forget: prober.forget,
    };
  },
  failed: (base): SnmpResult => ({
    ...base,
    kind: 'snmp',
    ok: false,
    sysUpTimeS: null,
    sysName: null,
    sysDescr: null,
    rebooted: false,
    interfaces: [],
    metrics: [],
  }),
  measurements: rollupsOf('interface', 'optical', 'system', 'wifi'),
  points: snmpPoints,
  samples(r, device) {
    const out: ProbeSample[] = [];
    if (!r.ok) return out;
    const push = (metric: string, value: number, labels = '') => {
      if (Number.isFinite(value)) out.push({ metric, value, labels });
    };
    push('rebooted', r.rebooted ? 1 : 0);
    const uplinkIndex = device?.probes.snmp?.uplinkIfIndex;
    const uplink = r.interfaces.find((i) => (uplinkIndex !== undefined ? i.ifIndex === uplinkIndex : i.isUplink));
    if (uplink && uplink.adminUp) push('uplink_oper_up', uplink.operUp ? 1 : 0);
    for (const m of r.metrics) push(m.name, m.value, labelString(m.labels));
    return out;
  },
  live(r) {
    const s = (name: string, value: number | null | undefined) =>
      value === null || value === undefined || !Number.isFinite(value)
        ? []
        : [{ deviceId: r.deviceId, ts: r.ts, name, value }];
    const up = r.interfaces.find((i) => i.isUplink);
    return [
      ...s('in_bps', up?.inBps),
      ...s('out_bps', up?.outBps),
      ...r.metrics
        .filter((m) => m.name === 'optical_rx_dbm' || m.name === 'wifi_clients' || m.name === 'cpu_load_pct')
        .flatMap((m) => s(m.name, m.value)),
    ];
  },
  summary(r, lang) {
    if (!r.ok) return r.error ? `${r.error.code} ${r.error.message}` : '';
    const up = r.interfaces.filter((i) => i.operUp).length;
    const m = [...r.metrics]
      .sort((a, b) => rank(a.name) - rank(b.name))
      .slice(0, 4)
      .map((x) => `${x.name}=${x.value}${x.unit === 'dBm' ? ' dBm' : ''}`)
      .join(' ');
    const ifs = lang === 'id' ? `${up}/${r.interfaces.length} port aktif` : `${up}/${r.interfaces.length} ports up`;
    const lacks =
      r.missingMetrics && r.missingMetrics.length > 0
        ? lang === 'id'
          ? `, tanpa OID profil: ${r.missingMetrics.join(', ')}`
          : `, profile OIDs missing: ${r.missingMetrics.join(', ')}`
        : '';
    return `${ifs}, uptime ${formatUptime(r.sysUpTimeS, lang)}${r.rebooted ? (lang === 'id' ? ', REBOOT' : ', REBOOTED') : ''}${m ? `, ${m}` : ''}${lacks}`;
  },
});
