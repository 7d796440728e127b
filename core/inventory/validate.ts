import { OKU_BOUNDS, type Device } from './schema.js';

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

/**
 * Cross-device rules zod cannot express on one device: unique ids and addresses, known
 * parents, no cycles, coordinates inside the regency, exactly-named credentials.
 */
export function checkInventory(
  devices: readonly Device[],
  origins: readonly DeviceOrigin[],
  known: { snmpCredentials: ReadonlySet<string>; onvifCredentials: ReadonlySet<string> },
): InventoryProblem[] {
  const problems: InventoryProblem[] = [];
  const at = (i: number, field: string, message: string) => {
    const o = origins[i]!;
    problems.push({ file: o.file, line: o.lineOf(field), path: `devices[${o.index}].${field}`, message });
  };

  const firstId = new Map<string, number>();
  const firstAddr = new Map<string, number>();
  devices.forEach((d, i) => {
    const prevId = firstId.get(d.id);
    if (prevId !== undefined) at(i, 'id', `duplicate id "${d.id}" (first at ${origins[prevId]!.file}:${origins[prevId]!.lineOf('id')})`);
    else firstId.set(d.id, i);
    const prevAddr = firstAddr.get(d.address);
    if (prevAddr !== undefined) at(i, 'address', `duplicate address ${d.address} (also "${devices[prevAddr]!.id}")`);
    else firstAddr.set(d.address, i);

    if (d.lat < OKU_BOUNDS.minLat || d.lat > OKU_BOUNDS.maxLat) at(i, 'lat', `latitude ${d.lat} is outside OKU (${OKU_BOUNDS.minLat}..${OKU_BOUNDS.maxLat})`);
    if (d.lon < OKU_BOUNDS.minLon || d.lon > OKU_BOUNDS.maxLon) at(i, 'lon', `longitude ${d.lon} is outside OKU (${OKU_BOUNDS.minLon}..${OKU_BOUNDS.maxLon})`);

    const snmp = d.probes.snmp;
    if (snmp && !known.snmpCredentials.has(snmp.credentials)) at(i, 'probes', `unknown SNMP credentials "${snmp.credentials}" (not in credentials.snmp)`);
    const onvif = d.probes.onvif;
    if (onvif && !known.onvifCredentials.has(onvif.credentials)) at(i, 'probes', `unknown ONVIF credentials "${onvif.credentials}" (not in credentials.onvif)`);
    if (d.parent === d.id) at(i, 'parent', `device "${d.id}" is its own parent`);
  });

  devices.forEach((d, i) => {
    if (d.parent !== null && d.parent !== d.id && !firstId.has(d.parent)) at(i, 'parent', `unknown device "${d.parent}"`);
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
    problems.push({ file: origins[0]!.file, line: 1, path: 'devices', message: 'no root device (one device needs parent: null)' });
  }
  return problems;
}
