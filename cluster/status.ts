/**
 * `pantau cluster status` as text (pure): members, then what is wrong: no core, collectors seen
 * before and gone now (the NOC header's warning, same rule: cluster/health-view.ts), zones without a
 * collector, members whose inventory is not the core's (issue 16, ADR 0902).
 */
import type { Member } from './assign.js';
import { clusterView } from './health-view.js';

/** A member's inventory version (heartbeat stats `inventory`) as short hex; '-' when it reports none. */
const invText = (m: Member) => {
  const v = m.stats?.['inventory'];
  return typeof v === 'number' && v > 0 ? v.toString(16).padStart(12, '0').slice(0, 8) : '-';
};

export function formatClusterStatus(
  members: readonly Member[],
  zones: ReadonlyMap<string, string>,
  now: number,
  /** Collectors seen before (name → last heartbeat), as the web servers keep them in Redis. */
  seen: ReadonlyMap<string, number> = new Map(),
): { text: string; problems: number } {
  const rows = [['ROLE', 'NAME', 'ZONES', 'DEVICES', 'BUFFERED', 'LAG', 'SEQ', 'INVENTORY', 'HEARTBEAT']];
  for (const m of members) {
    const s = m.stats ?? {};
    rows.push([
      m.role,
      m.name,
      m.role === 'collector' ? (m.zones.length ? m.zones.join(',') : '*') : '-',
      m.role === 'collector' ? String(s['devices'] ?? 0) : '-',
      m.role === 'collector' ? String(s['buffered'] ?? 0) : '-',
      m.role === 'core' ? String(s['lag'] ?? 0) : '-',
      m.role === 'core' || m.role === 'web' ? String(s['seq'] ?? 0) : '-',
      invText(m),
      `${((now - m.at) / 1000).toFixed(1)} s`,
    ]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const lines = rows.map((r) =>
    r
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd(),
  );
  const view = clusterView(members, zones, seen, now);
  let problems = 0;
  const warn = (text: string) => {
    lines.push(`PERINGATAN / WARNING: ${text}`);
    problems++;
  };
  if (!view.core) warn('tidak ada inti / no core is running');
  for (const c of view.missingCollectors)
    warn(
      `kolektor ${c.name} hilang sejak ${((now - c.lastSeen) / 1000).toFixed(0)} s / collector ${c.name} missing for ${((now - c.lastSeen) / 1000).toFixed(0)} s`,
    );
  for (const z of view.zonesWithoutCollector)
    warn(`zona ${z.zone} (${z.devices} perangkat / devices) tanpa kolektor / has no collector`);
  const core = members.find((m) => m.role === 'core');
  const coreInv = core ? invText(core) : '-';
  if (coreInv !== '-')
    for (const m of members)
      if (m !== core && invText(m) !== '-' && invText(m) !== coreInv)
        warn(
          `${m.role} ${m.name}: inventaris ${invText(m)} belum sama dengan inti (${coreInv}) / inventory is not the core's yet`,
        );
  return { text: `${lines.join('\n')}\n`, problems };
}
