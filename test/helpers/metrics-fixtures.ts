/** Synthetic devices and probe results for the metrics tests and benchmarks (bench/ may import test/helpers, never a unit test's files). */
import { deviceSchema } from '../../core/inventory/schema.js';
import { buildInventory, type Inventory } from '../../core/inventory/topology.js';
import type { Device, IcmpResult, OnvifResult, SnmpResult } from '../../core/types.js';

const TYPES = ['fiber', 'cctv', 'wifi', 'village'] as const;
const KEC = ['Baturaja Timur', 'Baturaja Barat', 'Lengkiti', 'Ulu Ogan'] as const;

export function makeDevices(n: number): Device[] {
  const out: Device[] = [
    deviceSchema.parse({
      id: 'dev-core',
      name: 'Core',
      type: 'fiber',
      role: 'core',
      kecamatan: 'Baturaja Timur',
      lat: -4.1,
      lon: 104.1,
      address: '127.20.0.1',
      parent: null,
      probes: { icmp: { enabled: true } },
    }),
  ];
  for (let i = 1; i < n; i++) {
    const type = TYPES[i % TYPES.length]!;
    out.push(
      deviceSchema.parse({
        id: `dev-${String(i).padStart(3, '0')}`,
        name: `Device ${i}`,
        type,
        role: type === 'cctv' ? 'camera' : type === 'fiber' ? 'access' : 'ap',
        kecamatan: KEC[i % KEC.length],
        lat: -4.1,
        lon: 104.1,
        address: `127.20.${Math.floor(i / 250) + 1}.${(i % 250) + 1}`,
        parent: 'dev-core',
        probes: { icmp: { enabled: true } },
      }),
    );
  }
  return out;
}

export function makeInventory(n: number): Inventory {
  return buildInventory(makeDevices(n));
}

export function icmpResult(deviceId: string, ts: number, up = true, rtt = 1.5): IcmpResult {
  return {
    kind: 'icmp',
    deviceId,
    ts,
    durationMs: 20,
    ok: up,
    sent: 3,
    received: up ? 3 : 0,
    lossPct: up ? 0 : 100,
    rttMinMs: up ? rtt - 0.5 : null,
    rttAvgMs: up ? rtt : null,
    rttMaxMs: up ? rtt + 0.5 : null,
    jitterMs: up ? 0.2 : null,
  };
}

export function snmpResult(
  deviceId: string,
  ts: number,
  opts: { interfaces?: number; temperature?: boolean; wifi?: boolean; optical?: boolean } = {},
): SnmpResult {
  const n = opts.interfaces ?? 2;
  return {
    kind: 'snmp',
    deviceId,
    ts,
    durationMs: 40,
    ok: true,
    sysUpTimeS: 3600,
    sysName: deviceId,
    sysDescr: 'lab',
    rebooted: false,
    interfaces: Array.from({ length: n }, (_, i) => ({
      ifIndex: i + 1,
      ifName: `ether${i + 1}`,
      adminUp: true,
      operUp: i !== n - 1 || n === 1,
      speedBps: 1e9,
      inBps: 1000 * (i + 1),
      outBps: 500 * (i + 1),
      inErrors: 0,
      outErrors: 0,
      inDiscards: 0,
      outDiscards: 0,
      isUplink: i === 0,
    })),
    metrics: [
      { name: 'cpu_load_pct', value: 12, unit: '%', labels: {} },
      ...(opts.temperature ? [{ name: 'temperature_c', value: 41, unit: 'C', labels: {} }] : []),
      ...(opts.wifi
        ? [
            { name: 'wifi_clients', value: 7, unit: '', labels: { ssid: 'OKU-Free' } },
            { name: 'wifi_clients', value: 3, unit: '', labels: { ssid: 'OKU-5G' } },
          ]
        : []),
      ...(opts.optical
        ? [
            { name: 'optical_rx_dbm', value: -18.2, unit: 'dBm', labels: { ifName: 'sfp1' } },
            { name: 'optical_tx_dbm', value: 2.1, unit: 'dBm', labels: { ifName: 'sfp1' } },
          ]
        : []),
    ],
  };
}

export function onvifResult(deviceId: string, ts: number): OnvifResult {
  return {
    kind: 'onvif',
    deviceId,
    ts,
    durationMs: 120,
    ok: true,
    reachable: true,
    authenticated: true,
    clockDriftS: 1.5,
    info: { manufacturer: 'Lab', model: 'Cam' },
    mismatches: [],
    snapshot: { ok: true, status: 200, bytes: 20480, latencyMs: 85 },
    rtsp: { ok: true, status: 200, sdp: true, latencyMs: 12 },
  };
}
