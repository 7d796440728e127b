import type { Device } from './schema.js';
import { INDONESIA_BOUNDS, type Region } from '../region/schema.js';

/** Where a device came from, so an error can name the file and line. */
export interface DeviceOrigin {
  file: string;
  index: number;
  lineOf(field?: string): number;
}

export interface InventoryProblem {
  file: string;
  line: number;
  path: string;
  message: string;
}

/** What an inventory is checked against: the config's credentials, its region and its vendor profiles. */
export interface InventoryRefs {
  snmpCredentials: ReadonlySet<string>;
  onvifCredentials: ReadonlySet<string>;
  /** Names under `credentials.http`; absent: http check credentials are not checked. */
  httpCredentials?: ReadonlySet<string>;
  /** Kecamatan names and the coordinate box; absent: kecamatan are not checked, coordinates against Indonesia. */
  region?: Pick<Region, 'shortName' | 'kecamatan' | 'bounds'>;
  /** Vendor names the profiles folder defines; absent: vendors are not checked. */
  vendors?: ReadonlySet<string>;
}

/** "Baturaja Timur, Baturaja Barat, … (13)": a list an error can show without drowning the line. */
function listOf(names: readonly string[], max = 20): string {
  return names.length <= max ? names.join(', ') : `${names.slice(0, max).join(', ')}, … (${names.length})`;
}

/**
 * Cross-device rules zod cannot express on one device: unique ids and addresses, known
 * parents, no cycles, kecamatan of the region, coordinates inside its box, vendors that have a
 * profile, exactly-named credentials.
 */
export function checkInventory(
  devices: readonly Device[],
  origins: readonly DeviceOrigin[],
  known: InventoryRefs,
): InventoryProblem[] {
  const problems: InventoryProblem[] = [];
  const region = known.region;
  const box = region?.bounds ?? INDONESIA_BOUNDS;
  const where = region?.bounds ? region.shortName : 'Indonesia';
  const kecNames = region ? new Map(region.kecamatan.map((k) => [k.name.toLowerCase(), k.name])) : undefined;
  const vendorList = known.vendors ? [...known.vendors].sort() : [];
  const at = (i: number, field: string, message: string) => {
    const o = origins[i]!;
    problems.push({ file: o.file, line: o.lineOf(field), path: `devices[${o.index}].${field}`, message });
  };

  const firstId = new Map<string, number>();
  const firstAddr = new Map<string, number>();
  devices.forEach((d, i) => {
    const prevId = firstId.get(d.id);
    if (prevId !== undefined)
      at(i, 'id', `duplicate id "${d.id}" (first at ${origins[prevId]!.file}:${origins[prevId]!.lineOf('id')})`);
    else firstId.set(d.id, i);
    // Several applications may live on one server (virtual hosts): services may share an address.
    const prevAddr = firstAddr.get(d.address);
    if (prevAddr !== undefined && !(d.type === 'service' && devices[prevAddr]!.type === 'service'))
      at(i, 'address', `duplicate address ${d.address} (also "${devices[prevAddr]!.id}")`);
    else if (prevAddr === undefined) firstAddr.set(d.address, i);

    if (d.lat < box.minLat || d.lat > box.maxLat)
      at(i, 'lat', `latitude ${d.lat} is outside ${where} (${box.minLat}..${box.maxLat})`);
    if (d.lon < box.minLon || d.lon > box.maxLon)
      at(i, 'lon', `longitude ${d.lon} is outside ${where} (${box.minLon}..${box.maxLon})`);
    if (kecNames) {
      const exact = kecNames.get(d.kecamatan.toLowerCase());
      if (exact === undefined)
        at(
          i,
          'kecamatan',
          `unknown kecamatan "${d.kecamatan}" in ${region!.shortName} (one of: ${listOf([...kecNames.values()])})`,
        );
      else if (exact !== d.kecamatan)
        at(i, 'kecamatan', `kecamatan "${d.kecamatan}" is spelled "${exact}" in the region`);
    }
    if (known.vendors && !known.vendors.has(d.vendor))
      at(
        i,
        'vendor',
        `unknown vendor "${d.vendor}": no profile defines it (available: ${listOf(vendorList)}; add a profile file to the profiles folder)`,
      );

    const snmp = d.probes.snmp;
    if (snmp && !known.snmpCredentials.has(snmp.credentials))
      at(i, 'probes', `unknown SNMP credentials "${snmp.credentials}" (not in credentials.snmp)`);
    const onvif = d.probes.onvif;
    if (onvif && !known.onvifCredentials.has(onvif.credentials))
      at(i, 'probes', `unknown ONVIF credentials "${onvif.credentials}" (not in credentials.onvif)`);
    const http = d.probes.http;
    if (http?.credentials && known.httpCredentials && !known.httpCredentials.has(http.credentials))
      at(i, 'probes', `unknown HTTP credentials "${http.credentials}" (not in credentials.http)`);
    if (d.type === 'service' && !d.probes.http && !d.probes.tcp && !d.probes.dns)
      at(i, 'probes', `service "${d.id}" needs an http, tcp or dns check (its state comes from it)`);
    if (d.probes.tls && !d.probes.tls.host && !d.probes.http?.url.startsWith('https:'))
      at(i, 'probes', `tls check of "${d.id}" needs probes.tls.host or an https:// probes.http.url`);
    if (d.parent === d.id) at(i, 'parent', `device "${d.id}" is its own parent`);
  });

  devices.forEach((d, i) => {
    if (d.parent !== null && d.parent !== d.id && !firstId.has(d.parent))
      at(i, 'parent', `unknown device "${d.parent}"`);
  });

  // Cycles: follow parents; a walk that meets itself is reported once, at its first member.
  const byId = new Map(devices.map((d, i) => [d.id, i]));
  const state = new Map<string, 'visiting' | 'done'>();
  const reported = new Set<string>();
  for (const start of devices) {
    const path: string[] = [];
    let cur: string | null = start.id;
    while (cur !== null && byId.has(cur) && state.get(cur) !== 'done') {
      if (state.get(cur) === 'visiting') {
        const cycle = path.slice(path.indexOf(cur));
        const key = [...cycle].sort().join(',');
        if (!reported.has(key)) {
          reported.add(key);
          at(byId.get(cur)!, 'parent', `cycle in topology: ${[...cycle, cur].join(' → ')}`);
        }
        break;
      }
      state.set(cur, 'visiting');
      path.push(cur);
      const parent: string | null = devices[byId.get(cur)!]!.parent;
      cur = parent === cur ? null : parent;
    }
    for (const id of path) state.set(id, 'done');
  }

  if (devices.length > 0 && !devices.some((d) => d.parent === null)) {
    problems.push({
      file: origins[0]!.file,
      line: 1,
      path: 'devices',
      message: 'no root device (one device needs parent: null)',
    });
  }
  return problems;
}
