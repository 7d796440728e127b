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

interface JsonPanel { type?: string; title?: string; targets?: Array<{ refId?: string; query?: string; hide?: boolean }>; panels?: JsonPanel[] }
interface JsonDashboard {
  panels?: JsonPanel[];
  templating?: { list?: Array<{ name: string; type: string; query?: unknown; multi?: boolean; includeAll?: boolean; current?: { value?: string | string[] } }> };
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
      out.push({ where: `panel "${p.title ?? '?'}" target ${t.refId ?? '?'}`, kind: 'panel', query: t.query, title: p.title ?? '?' });
    }
  }
  return out;
}
