import type { Device } from '../../core/inventory/schema.js';
import { unit } from './traffic.js';

/** One simulated interface; rates are daily averages in bit/s. */
export interface SimInterface {
  ifIndex: number;
  name: string;
  descr: string;
  /** IANAifType: 6 ethernetCsmacd, 71 ieee80211, 250 gpon. */
  type: number;
  speedMbps: number;
  alias: string;
  baseInBps: number;
  baseOutBps: number;
}

/** What a simulated device looks like, derived deterministically from its inventory entry. */
export interface SimProfile {
  sysDescr: string;
  sysObjectID: string;
  interfaces: SimInterface[];
  /** Optical transceiver on the uplink (fiber devices): baseline dBm. */
  optical: { ifIndex: number; rxDbm: number; txDbm: number } | null;
  /** Wi-Fi: daily-average associated clients and the radio interfaces that carry them. */
  wifi: { baseClients: number; radios: number[] } | null;
  /** Opening hours in minutes of the WIB day, if the Wi-Fi point closes at night. */
  openMinutes: { from: number; to: number } | null;
  cpuBase: number;
}

const ROLE_RATE_MBPS: Record<Device['role'], number> = {
  core: 600,
  distribution: 150,
  access: 30,
  ont: 12,
  ap: 20,
  camera: 0.2,
  application: 5,
};

const SPEED_MBPS: Record<Device['role'], number> = {
  core: 10_000,
  distribution: 10_000,
  access: 1000,
  ont: 1000,
  ap: 1000,
  camera: 100,
  application: 1000,
};

const OBJECT_ID: Record<Device['vendor'], string> = {
  mikrotik: '1.3.6.1.4.1.14988.1',
  huawei: '1.3.6.1.4.1.2011.2.248',
  zte: '1.3.6.1.4.1.3902.1082.1001',
  ubiquiti: '1.3.6.1.4.1.41112',
  generic: '1.3.6.1.4.1.8072.3.2.10',
};

function uplinkName(d: Device): string {
  if (d.vendor === 'mikrotik') return d.type === 'fiber' ? 'sfp1' : 'ether1';
  if (d.vendor === 'huawei' || d.vendor === 'zte') return d.role === 'ont' ? 'pon0' : 'xgei-0/1';
  if (d.vendor === 'ubiquiti') return 'eth0';
  return 'port1';
}

function descrOf(d: Device): string {
  const model = d.model ?? 'device';
  switch (d.vendor) {
    case 'mikrotik':
      return `RouterOS ${model}`;
    case 'huawei':
      return `Huawei ${model} ${d.firmware ?? 'V5R020C00'}`;
    case 'zte':
      return `ZTE ${model} ${d.firmware ?? 'V9.0.10'}`;
    case 'ubiquiti':
      return `Ubiquiti ${model} ${d.firmware ?? '6.6.55'}`;
    default:
      return `${model} ${d.firmware ?? ''}`.trim();
  }
}

function parseHours(h: string | undefined): { from: number; to: number } | null {
  if (!h) return null;
  const m = /^(\d{2}):(\d{2})-(\d{2}):(\d{2})$/.exec(h);
  if (!m) return null;
  return { from: Number(m[1]) * 60 + Number(m[2]), to: Number(m[3]) * 60 + Number(m[4]) };
}

/**
 * The device's simulated shape: ifIndex 1 is always the uplink, then one downlink per child
 * (at most 8) or one LAN port, then the radios of a Wi-Fi device.
 */
export function profileOf(d: Device, childCount: number): SimProfile {
  const scale = 0.6 + 0.8 * unit(`${d.id}/rate`);
  const upIn = ROLE_RATE_MBPS[d.role] * 1e6 * scale;
  const camera = d.type === 'cctv';
  const interfaces: SimInterface[] = [
    {
      ifIndex: 1,
      name: uplinkName(d),
      descr: `${uplinkName(d)} uplink`,
      type: d.role === 'ont' ? 250 : 6,
      speedMbps: SPEED_MBPS[d.role],
      alias: d.parent ? `uplink ke ${d.parent}` : 'uplink ISP',
      // A camera uploads video: most of its traffic goes out.
      baseInBps: camera ? upIn : upIn,
      baseOutBps: camera ? 4e6 * scale : upIn * 0.35,
    },
  ];
  const downs = Math.min(childCount, 8);
  const lanCount = Math.max(downs, camera ? 0 : 1);
  for (let i = 0; i < lanCount; i++) {
    const name = d.vendor === 'mikrotik' ? `ether${i + 2}` : `lan${i + 1}`;
    interfaces.push({
      ifIndex: interfaces.length + 1,
      name,
      descr: name,
      type: 6,
      speedMbps: Math.min(1000, SPEED_MBPS[d.role]),
      alias: downs > 0 ? 'downlink' : 'LAN',
      baseInBps: (upIn * 0.35) / lanCount,
      baseOutBps: upIn / lanCount,
    });
  }
  const isWifi = d.type === 'wifi' || d.type === 'village';
  const radios: number[] = [];
  if (isWifi) {
    const names = d.vendor === 'ubiquiti' ? ['ath0', 'ath1'] : ['wlan1'];
    for (const name of names) {
      radios.push(interfaces.length + 1);
      interfaces.push({
        ifIndex: interfaces.length + 1,
        name,
        descr: name,
        type: 71,
        speedMbps: 300,
        alias: 'Wi-Fi publik',
        baseInBps: (upIn * 0.35) / names.length,
        baseOutBps: upIn / names.length,
      });
    }
  }
  const optical =
    d.type === 'fiber'
      ? {
          ifIndex: 1,
          // ONTs sit behind a splitter: −17 … −23 dBm; switches on point-to-point fiber: −6 … −12 dBm.
          rxDbm: round2(d.role === 'ont' ? -17 - 6 * unit(`${d.id}/rx`) : -6 - 6 * unit(`${d.id}/rx`)),
          txDbm: round2(d.role === 'ont' ? 2 + unit(`${d.id}/tx`) : -2 + 3 * unit(`${d.id}/tx`)),
        }
      : null;
  return {
    sysDescr: descrOf(d),
    // A vendor the lab has no model of answers as a generic net-snmp agent.
    sysObjectID: OBJECT_ID[d.vendor] ?? OBJECT_ID['generic']!,
    interfaces,
    optical,
    wifi: isWifi ? { baseClients: Math.round(8 + 30 * unit(`${d.id}/clients`)), radios } : null,
    openMinutes: parseHours(d.openingHours),
    cpuBase: Math.round(5 + 20 * unit(`${d.id}/cpu`)),
  };
}

export function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
