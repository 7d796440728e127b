/**
 * What Grafana's InfluxDB (InfluxQL) datasource does to a query before sending it: time-range
 * macros and template variables. Used by the tests that run every panel query against a real
 * InfluxDB, so the substitution must follow Grafana's rules closely:
 * - `$timeFilter` / `$__timeFilter` → `time >= <from>ms and time <= <to>ms`
 * - `$__interval`, `$interval` → the auto interval (`1m`); `$__interval_ms` → milliseconds
 * - `$var`, `${var}`, `[[var]]` → the variable's value; a multi-value or "All" selection becomes
 *   a regex alternation `(a|b)` with each value regex-escaped (Grafana's `interpolateQueryExpr`).
 */
export interface VariableValue {
  values: readonly string[];
  /** Multi-value or include-All variables are formatted as a regex group. */
  multi: boolean;
}

export interface MacroContext {
  from: number;
  to: number;
  intervalMs: number;
  variables: Record<string, VariableValue>;
}

export function formatInterval(ms: number): string {
  if (ms % 86_400_000 === 0) return `${ms / 86_400_000}d`;
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

const escapeRegex = (v: string) => v.replace(/[\\^$*+?.()|[\]{}/]/g, '\\$&');

function formatVariable(v: VariableValue): string {
  if (!v.multi && v.values.length === 1) return v.values[0] ?? '';
  const escaped = v.values.map(escapeRegex);
  return escaped.length === 1 ? (escaped[0] ?? '') : `(${escaped.join('|')})`;
}

export function interpolate(query: string, ctx: MacroContext): string {
  const timeFilter = `time >= ${ctx.from}ms and time <= ${ctx.to}ms`;
  let out = query
    .replaceAll('$__timeFilter', timeFilter)
    .replaceAll('$timeFilter', timeFilter)
    .replaceAll('$__interval_ms', String(ctx.intervalMs))
    .replaceAll('$__interval', formatInterval(ctx.intervalMs))
    .replaceAll('$interval', formatInterval(ctx.intervalMs));
  // Longest names first so `$device` never eats the start of `$device_type`.
  const names = Object.keys(ctx.variables).sort((a, b) => b.length - a.length);
  for (const name of names) {
    const value = formatVariable(ctx.variables[name] as VariableValue);
    out = out
      .replaceAll(`\${${name}}`, value)
      .replaceAll(`[[${name}]]`, value)
      .replace(new RegExp(`\\$${name}(?![A-Za-z0-9_])`, 'g'), () => value);
  }
  const left = /\$(?!tag_)[A-Za-z_][A-Za-z0-9_]*|\[\[[^\]]+\]\]/.exec(out);
  if (left) throw new Error(`unsubstituted Grafana variable ${left[0]} in: ${out}`);
  return out;
}
