import { watch, type FSWatcher } from 'node:fs';
import { dirname, basename } from 'node:path';
import type { Inventory } from '../core/inventory/topology.js';
import type { Logger } from '../core/logger.js';

/**
 * Reloads the inventory when one of its files changes or on SIGHUP. An invalid file keeps the
 * old inventory (logged with every problem), so a typo never empties the schedule.
 * Watches the folders, not the files: editors replace files by rename.
 */
export function watchInventory(deps: {
  files: readonly string[];
  reload: () => Inventory;
  apply: (inv: Inventory) => void;
  logger: Logger;
  debounceMs?: number;
}): () => void {
  const log = deps.logger.child({ module: 'collector/inventory-watch' });
  let timer: NodeJS.Timeout | undefined;
  const reload = (why: string) => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      try {
        deps.apply(deps.reload());
        log.info({ why }, 'inventory reloaded');
      } catch (err) {
        log.error(
          { err, details: (err as { details?: unknown }).details, why },
          'inventory reload failed; keeping the previous inventory',
        );
      }
    }, deps.debounceMs ?? 300);
  };
  const watchers: FSWatcher[] = [];
  const names = new Map<string, Set<string>>();
  for (const f of deps.files) {
    const set = names.get(dirname(f)) ?? new Set<string>();
    set.add(basename(f));
    names.set(dirname(f), set);
  }
  for (const [dir, set] of names) {
    try {
      const w = watch(dir, (_event, name) => {
        if (name && set.has(String(name))) reload(`file ${name}`);
      });
      w.on('error', (err) => log.warn({ err, dir }, 'inventory watch error'));
      watchers.push(w);
    } catch (err) {
      log.warn({ err, dir }, 'cannot watch inventory folder; SIGHUP still reloads');
    }
  }
  const onHup = () => reload('SIGHUP');
  process.on('SIGHUP', onHup);
  return () => {
    if (timer) clearTimeout(timer);
    for (const w of watchers) w.close();
    process.off('SIGHUP', onHup);
  };
}
