import { buildInventory, type Inventory } from '../../../core/inventory/topology.js';
import { configSchema, type Config } from '../../../core/config/schema.js';
import type { Device } from '../../../core/types.js';

/** A device for integration tests; probes as given. */
export function testDevice(id: string, address: string, probes: Device['probes'], extra: Partial<Device> = {}): Device {
  return {
    id,
    name: id,
    type: 'fiber',
    role: 'access',
    kecamatan: 'Lengkiti',
    lat: -4.1,
    lon: 104.1,
    address,
    parent: null,
    vendor: 'generic',
    tags: [],
    probes,
    ...extra,
  };
}

export function testInventory(devices: Device[]): Inventory {
  return buildInventory(devices);
}

/** A parsed config (defaults filled) from a partial object. */
export function testConfig(raw: Record<string, unknown>): Config {
  return configSchema.parse({ inventory: ['unused.yaml'], ...raw });
}
