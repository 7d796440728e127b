/**
 * The core's inventory, followed by the other members (ADR 0902). The core is the one that loads
 * and reloads the inventory files (file change or SIGHUP); it writes what it runs on to
 * `<prefix>inventory` ({ version, devices }) and publishes `inventory.changed` with the version.
 * A web server (and a collector) takes the copy when the version differs from its own: on the
 * event at once, and on every heartbeat as well (an event missed while Redis was away, a member
 * started before the core). The copy is input: checked like an inventory file before it is used;
 * a bad one is logged and the member keeps the inventory it has.
 */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { PantauError } from '../core/errors.js';
import { inventoryFileSchema, type Device } from '../core/inventory/schema.js';
import { buildInventory, type Inventory } from '../core/inventory/topology.js';
import { checkInventory, type InventoryRefs } from '../core/inventory/validate.js';
import type { Logger } from '../core/logger.js';

export const inventoryKey = (prefix: string) => `${prefix}inventory`;
/** The version alone: what every member reads each heartbeat (the copy itself only when it changed). */
export const inventoryVersionKey = (prefix: string) => `${prefix}inventory:version`;

/** A short content hash: equal devices, equal version, whoever loaded them. */
export function inventoryVersion(devices: readonly Device[]): string {
  return createHash('sha1').update(JSON.stringify(devices)).digest('hex').slice(0, 16);
}

/** The version as a number for a member's heartbeat stats (numbers only): its first 48 bits. */
export const versionNumber = (version: string): number => Number.parseInt(version.slice(0, 12), 16) || 0;

const wireShape = z.object({ version: z.string().min(1).max(64), devices: z.array(z.unknown()) }).strict();

/** Encodes what the core runs on. */
export function encodeInventory(inv: Inventory): { version: string; text: string } {
  const version = inventoryVersion(inv.devices);
  return { version, text: JSON.stringify({ version, devices: inv.devices }) };
}

/** Decodes and checks a copy (pure): the same schema and tree checks as an inventory file. */
export function decodeInventory(text: string, refs: InventoryRefs): { version: string; inventory: Inventory } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new PantauError('PANTAU_INVENTORY_INVALID', 'inventory copy: not JSON');
  }
  const wire = wireShape.safeParse(raw);
  if (!wire.success) throw new PantauError('PANTAU_INVENTORY_INVALID', 'inventory copy: bad shape');
  const file = inventoryFileSchema.safeParse({ devices: wire.data.devices });
  if (!file.success)
    throw new PantauError('PANTAU_INVENTORY_INVALID', 'inventory copy: invalid devices', {
      details: file.error.issues.slice(0, 10).map((i) => `${i.path.join('.')}: ${i.message}`),
    });
  const devices = file.data.devices;
  const problems = checkInventory(
    devices,
    devices.map((_, index) => ({ file: 'redis', index, lineOf: () => 0 })),
    refs,
  );
  if (problems.length > 0)
    throw new PantauError('PANTAU_INVENTORY_INVALID', `inventory copy: ${problems.length} problem(s)`, {
      details: problems.slice(0, 10).map((p) => `${p.path}: ${p.message}`),
    });
  return { version: wire.data.version, inventory: buildInventory(devices) };
}

/** The core's side: stores the copy (then the caller publishes `inventory.changed`). */
export async function shareInventory(redis: Redis, prefix: string, inv: Inventory): Promise<string> {
  const { version, text } = encodeInventory(inv);
  await redis.multi().set(inventoryKey(prefix), text).set(inventoryVersionKey(prefix), version).exec();
  return version;
}

export interface InventoryFollower {
  readonly version: string;
  /** Takes the core's copy if it is another version than ours; resolves when done (never rejects). */
  check(): Promise<void>;
}

/** A member's side: follows the core's copy; `apply` gets each new inventory once. */
export function followInventory(deps: {
  redis: Redis;
  prefix: string;
  refs: InventoryRefs;
  initial: Inventory;
  apply(inv: Inventory, version: string): void;
  logger: Logger;
}): InventoryFollower {
  const log = deps.logger.child({ module: 'inventory-follow' });
  let version = inventoryVersion(deps.initial.devices);
  let rejected = '';
  let running: Promise<void> | null = null;
  let again = false;
  const once = async () => {
    try {
      // The small key first: a copy we have (or refused) is neither read nor parsed again.
      const current = await deps.redis.get(inventoryVersionKey(deps.prefix));
      if (current === null || current === version || current === rejected) return;
      const text = await deps.redis.get(inventoryKey(deps.prefix));
      if (text === null) return;
      const head = /^\{"version":"([^"]{1,64})"/.exec(text)?.[1];
      if (head === version || head === rejected) return;
      let got: { version: string; inventory: Inventory };
      try {
        got = decodeInventory(text, deps.refs);
      } catch (err) {
        rejected = head ?? '';
        log.error(
          { err: (err as Error).message, details: (err as { details?: unknown }).details },
          "salinan inventaris inti ditolak / the core's inventory copy was refused; keeping ours",
        );
        return;
      }
      deps.apply(got.inventory, got.version);
      version = got.version;
      log.info(
        { version, devices: got.inventory.devices.length },
        "inventaris mengikuti inti / inventory follows the core's",
      );
    } catch (err) {
      log.debug({ err: (err as Error).message }, 'inventory copy not read');
    }
  };
  return {
    get version() {
      return version;
    },
    check() {
      // A check asked for while one runs may concern a newer copy: run once more after it.
      if (running) {
        again = true;
        return running;
      }
      running = (async () => {
        do {
          again = false;
          await once();
        } while (again);
      })().finally(() => {
        running = null;
      });
      return running;
    },
  };
}
