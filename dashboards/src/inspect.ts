/**
 * Walks a dashboard's JSON for every InfluxQL statement Grafana would send: panel targets,
 * query variables and annotations. Used by the tests (each must run and return series).
 */
export interface FoundQuery {
  /** Human-readable location, e.g. `panel "Latensi (ms)" target A`. */
  where: string;
  kind: 'panel' | 'variable' | 'annotation';
  query: string;
  /** Panel title, for the "no data" report. */
  title: string;
  /** The panel's minimum interval (`interval`, e.g. `5m`): Grafana never groups finer. */
  minInterval?: string;
}

export interface VariableInfo {
  name: string;
  type: string;
  query: string;
  multi: boolean;
  includeAll: boolean;
  /** The saved default selection ('$__all' for "All"). */
  current: string[];
}

interface JsonPanel {
  type?: string;
  title?: string;
  interval?: string;
  targets?: Array<{ refId?: string; query?: string; hide?: boolean }>;
  panels?: JsonPanel[];
}
interface JsonDashboard {
  time?: { from?: string; to?: string };
  panels?: JsonPanel[];
  templating?: {
    list?: Array<{
      name: string;
      type: string;
      query?: unknown;
      multi?: boolean;
      includeAll?: boolean;
      current?: { value?: string | string[] };
    }>;
  };
  annotations?: { list?: Array<{ name: string; query?: string; target?: { query?: string } }> };
}

export function panelsOf(dashboard: unknown): JsonPanel[] {
  const out: JsonPanel[] = [];
  const walk = (panels: JsonPanel[] | undefined) => {
    for (const p of panels ?? []) {
      if (p.type === 'row') walk(p.panels);
      else out.push(p);
    }
  };
  walk((dashboard as JsonDashboard).panels);
  return out;
}

export function variablesOf(dashboard: unknown): VariableInfo[] {
  return ((dashboard as JsonDashboard).templating?.list ?? []).map((v) => {
    const cur = v.current?.value;
    return {
      name: v.name,
      type: v.type,
      query: typeof v.query === 'string' ? v.query : '',
      multi: v.multi ?? false,
      includeAll: v.includeAll ?? false,
      current: cur === undefined ? [] : Array.isArray(cur) ? cur : [cur],
    };
  });
}

export function queriesOf(dashboard: unknown): FoundQuery[] {
  const d = dashboard as JsonDashboard;
  const out: FoundQuery[] = [];
  for (const v of variablesOf(d)) {
    if (v.type === 'query') out.push({ where: `variable $${v.name}`, kind: 'variable', query: v.query, title: v.name });
  }
  for (const a of d.annotations?.list ?? []) {
    const q = a.target?.query ?? a.query;
    if (q) out.push({ where: `annotation "${a.name}"`, kind: 'annotation', query: q, title: a.name });
  }
  for (const p of panelsOf(d)) {
    for (const t of p.targets ?? []) {
      if (t.hide || !t.query) continue;
      out.push({
        where: `panel "${p.title ?? '?'}" target ${t.refId ?? '?'}`,
        kind: 'panel',
        query: t.query,
        title: p.title ?? '?',
        ...(p.interval ? { minInterval: p.interval } : {}),
      });
    }
  }
  return out;
}

/** `now-6h` → milliseconds before now (only the relative forms pantau's dashboards use). */
export function relativeMs(expr: string): number {
  if (expr === 'now') return 0;
  const m = /^now-(\d+)([smhdw])$/.exec(expr);
  if (!m) throw new Error(`unsupported time expression ${expr}`);
  const unit = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }[m[2] as 's' | 'm' | 'h' | 'd' | 'w'];
  return Number(m[1]) * unit;
}

/** The dashboard's default time range, resolved against `now`. */
export function defaultRange(dashboard: unknown, now: number): { from: number; to: number } {
  const t = (dashboard as JsonDashboard).time ?? {};
  return { from: now - relativeMs(t.from ?? 'now-6h'), to: now - relativeMs(t.to ?? 'now') };
}

const NICE = [
  10_000, 20_000, 30_000, 60_000, 300_000, 600_000, 1_800_000, 3_600_000, 7_200_000, 10_800_000, 21_600_000, 43_200_000,
  86_400_000,
];

/** Grafana's `$__interval`: about range / max data points (~1,000), rounded up to a nice step, at least `minMs`. */
export function autoIntervalMs(rangeMs: number, minMs = 0): number {
  const raw = Math.max(rangeMs / 1000, minMs);
  return NICE.find((n) => n >= raw) ?? (NICE[NICE.length - 1] as number);
}
