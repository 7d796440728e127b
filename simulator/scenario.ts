import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { PantauError } from '../core/errors.js';
import type { Inventory } from '../core/inventory/topology.js';
import { parseFault, type Fault } from './model/faults.js';

/**
 * Scenarios: YAML timelines of faults and clears, relative to the start.
 *
 * ```yaml
 * name: Putus fiber di Lengkiti
 * steps:
 *   - at: 10s
 *     target: fo-lengkiti
 *     fault: fiber-cut          # a CLI fault: kind plus args
 *   - at: 5m
 *     clear: fo-lengkiti
 *   - at: 1m
 *     target: wifi-03
 *     fault: down
 *     repeat: { every: 40s, times: 6, clearAfter: 20s }   # flapping
 *   - at: 0s
 *     kecamatan: Ulu Ogan        # every device of a kecamatan (needs the inventory)
 *     fault: down
 *   - at: 20m
 *     kecamatan: Ulu Ogan
 *     clear: true
 * ```
 */
export interface ScenarioEvent {
  atMs: number;
  target: string;
  action: { op: 'fault'; fault: Fault; subtree: boolean } | { op: 'clear' };
  /** Human description for the status line. */
  label: string;
}

export interface Scenario {
  name: string;
  description: string;
  /** Total length (last event) in ms; `loop` restarts after it. */
  durationMs: number;
  loop: boolean;
  events: ScenarioEvent[];
}

/** "90", "90s", "5m", "1h30m", "250ms" → milliseconds. */
export function parseDuration(v: unknown): number {
  if (typeof v === 'number' && Number.isFinite(v) && v >= 0) return v * 1000;
  if (typeof v !== 'string') throw new PantauError('PANTAU_LAB', `not a duration: ${String(v)}`);
  const s = v.trim();
  if (/^\d+(\.\d+)?$/.test(s)) return Number(s) * 1000;
  let total = 0;
  let rest = s;
  const re = /^(\d+(?:\.\d+)?)(ms|s|m|h)/;
  while (rest.length > 0) {
    const m = re.exec(rest);
    if (!m) throw new PantauError('PANTAU_LAB', `not a duration: ${v}`);
    const n = Number(m[1]);
    total += m[2] === 'ms' ? n : m[2] === 's' ? n * 1000 : m[2] === 'm' ? n * 60_000 : n * 3_600_000;
    rest = rest.slice(m[0].length);
  }
  return total;
}

function argsOf(step: Record<string, unknown>): string[] {
  const a = step['args'];
  if (a === undefined) return [];
  if (Array.isArray(a)) return a.map(String);
  return String(a).split(/\s+/).filter(Boolean);
}

/**
 * Parses and checks a scenario (targets must exist in the inventory when one is given).
 * Returns events sorted by time; `repeat` expands into its occurrences.
 */
export function parseScenario(text: string, inventory?: Inventory): Scenario {
  const doc = parse(text) as Record<string, unknown> | null;
  if (!doc || typeof doc !== 'object' || !Array.isArray(doc['steps']))
    throw new PantauError('PANTAU_LAB', 'scenario: needs a steps: list');
  const problems: string[] = [];
  const events: ScenarioEvent[] = [];
  (doc['steps'] as unknown[]).forEach((raw, i) => {
    const step = raw as Record<string, unknown>;
    try {
      const at = parseDuration(step['at'] ?? 0);
      const clear = step['clear'];
      const kec = step['kecamatan'];
      let targets: string[];
      if (kec !== undefined) {
        // A whole kecamatan (a power outage does not follow the fiber tree).
        if (!inventory) throw new PantauError('PANTAU_LAB', 'kecamatan: needs the inventory');
        targets = inventory.devices.filter((d) => d.kecamatan === kec).map((d) => d.id);
        if (targets.length === 0) throw new PantauError('PANTAU_LAB', `no device in kecamatan ${String(kec)}`);
      } else {
        const target = String((clear === true ? undefined : clear) ?? step['target'] ?? '');
        if (!target) throw new PantauError('PANTAU_LAB', 'target missing');
        if (inventory && target !== 'all' && !inventory.byId.has(target))
          throw new PantauError('PANTAU_LAB', `unknown device ${target}`);
        targets = [target];
      }
      const base: Omit<ScenarioEvent, 'atMs'>[] = [];
      for (const target of targets) {
        if (clear !== undefined) {
          base.push({ target, action: { op: 'clear' }, label: `clear ${target}` });
        } else {
          const kind = String(step['fault'] ?? '');
          const { fault, subtree } = parseFault(kind, argsOf(step));
          base.push({
            target,
            action: { op: 'fault', fault, subtree: subtree || step['subtree'] === true },
            label: `${kind} ${target}`,
          });
        }
      }
      const rep = step['repeat'] as Record<string, unknown> | undefined;
      const times = rep ? Math.max(1, Number(rep['times'] ?? 1)) : 1;
      const every = rep ? parseDuration(rep['every'] ?? 60) : 0;
      const clearAfter = rep?.['clearAfter'] !== undefined ? parseDuration(rep['clearAfter']) : null;
      for (let k = 0; k < times; k++) {
        const t = at + k * every;
        for (const b of base) events.push({ ...b, atMs: t });
        if (clearAfter !== null)
          for (const target of targets)
            events.push({ target, action: { op: 'clear' }, label: `clear ${target}`, atMs: t + clearAfter });
      }
    } catch (err) {
      problems.push(`steps[${i}]: ${(err as Error).message}`);
    }
  });
  if (problems.length) throw new PantauError('PANTAU_LAB', 'scenario invalid', { details: problems });
  events.sort((a, b) => a.atMs - b.atMs);
  return {
    name: String(doc['name'] ?? 'scenario'),
    description: String(doc['description'] ?? ''),
    loop: doc['loop'] === true,
    durationMs: Math.max(parseDuration(doc['duration'] ?? 0), events.at(-1)?.atMs ?? 0),
    events,
  };
}

export function loadScenario(file: string, inventory?: Inventory): Scenario {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new PantauError('PANTAU_LAB', `cannot read scenario ${file}`, { cause: err });
  }
  return parseScenario(text, inventory);
}

export interface ScenarioTarget {
  fault(target: string, fault: Fault, opts: { subtree: boolean }): Promise<unknown>;
  clear(target: string): Promise<void>;
}

/**
 * Plays a scenario against a lab. Timers are injected (`schedule`) so tests run it on fake time.
 * Returns a stop function. `onEvent` reports each step as it happens.
 */
export function runScenario(
  s: Scenario,
  lab: ScenarioTarget,
  opts: {
    schedule?: (fn: () => void, ms: number) => { cancel(): void };
    onEvent?: (e: ScenarioEvent, round: number) => void;
    onError?: (err: Error) => void;
  } = {},
): { stop(): void } {
  const schedule =
    opts.schedule ??
    ((fn, ms) => {
      const t = setTimeout(fn, ms);
      return { cancel: () => clearTimeout(t) };
    });
  const pending: Array<{ cancel(): void }> = [];
  let stopped = false;
  let chain = Promise.resolve();
  const round = (r: number, offset: number) => {
    for (const e of s.events) {
      pending.push(
        schedule(() => {
          if (stopped) return;
          // Steps run one after another, in order, even when two share an instant.
          chain = chain
            .then(async () => {
              opts.onEvent?.(e, r);
              if (e.action.op === 'clear') await lab.clear(e.target);
              else await lab.fault(e.target, e.action.fault, { subtree: e.action.subtree });
            })
            .catch((err) => opts.onError?.(err as Error));
        }, offset + e.atMs),
      );
    }
    if (s.loop && s.durationMs > 0)
      pending.push(
        schedule(
          () => {
            if (!stopped) round(r + 1, 0);
          },
          offset + s.durationMs + 1000,
        ),
      );
  };
  round(0, 0);
  return {
    stop: () => {
      stopped = true;
      for (const p of pending) p.cancel();
    },
  };
}
