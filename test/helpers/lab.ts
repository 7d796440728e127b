import { execFile } from 'node:child_process';
import { loadConfig } from '../../core/config/load.js';
import type { Inventory } from '../../core/inventory/topology.js';
import { buildInventory } from '../../core/inventory/topology.js';
import type { Device } from '../../core/inventory/schema.js';
import { startLab, type Lab, type LabOptions } from '../../simulator/lab.js';

/** The OKU inventory from config/pantau.yaml. */
export function okuInventory(): Inventory {
  return loadConfig('config/pantau.yaml', {}).inventory;
}

/** A sub-inventory: the given devices, their ancestors (so the tree stays valid) and optionally their subtrees. */
export function subInventory(full: Inventory, ids: string[], opts: { withDescendants?: boolean } = {}): Inventory {
  const keep = new Set<string>();
  for (const id of ids) {
    keep.add(id);
    for (const a of full.ancestors(id)) keep.add(a.id);
    if (opts.withDescendants) for (const d of full.descendants(id)) keep.add(d.id);
  }
  return buildInventory(full.devices.filter((d) => keep.has(d.id)) as Device[]);
}

/** Starts a lab in the current namespace (tests run inside `unshare -n`) on the standard ports. */
export function startTestLab(opts: Partial<LabOptions> & { inventory: Inventory }): Promise<Lab> {
  return startLab({ netns: 'none', workers: 1, ...opts });
}

/** Runs a command; resolves with exit code and output, never rejects. */
export function sh(
  cmd: string,
  args: string[],
  timeoutMs = 20_000,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { timeout: timeoutMs, encoding: 'utf8' }, (err, stdout, stderr) => {
      const code = err
        ? typeof (err as NodeJS.ErrnoException).code === 'number'
          ? Number((err as NodeJS.ErrnoException).code)
          : 1
        : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** fping one address once: true if it answered. */
export async function pingable(address: string): Promise<boolean> {
  const r = await sh('fping', ['-c1', '-t300', '-q', address]);
  return r.code === 0;
}

export const V3_ARGS = [
  '-v3',
  '-l',
  'authPriv',
  '-u',
  'pantau',
  '-a',
  'SHA',
  '-A',
  'pantau-lab-auth',
  '-x',
  'AES',
  '-X',
  'pantau-lab-priv',
];
export const V2C_ARGS = ['-v2c', '-c', 'public'];

/** snmpget of one OID with numeric output; returns the value part or null on timeout. */
export async function snmpGet(address: string, oid: string, auth = V2C_ARGS, port = 161): Promise<string | null> {
  const r = await sh('snmpget', [...auth, '-On', '-t', '0.5', '-r', '0', `${address}:${port}`, oid]);
  if (r.code !== 0) return null;
  const m = /= (.*)$/m.exec(r.stdout.trim());
  return m ? m[1]! : null;
}
