/** `pantau cluster status` as text (pure): members, then zones without a collector. */
import { orphanZones, type Member } from './assign.js';

export function formatClusterStatus(
  members: readonly Member[],
  zones: ReadonlyMap<string, string>,
  now: number,
): { text: string; problems: number } {
  const rows = [['ROLE', 'NAME', 'ZONES', 'DEVICES', 'BUFFERED', 'LAG', 'HEARTBEAT']];
  for (const m of members) {
    const s = m.stats ?? {};
    rows.push([
      m.role,
      m.name,
      m.role === 'collector' ? (m.zones.length ? m.zones.join(',') : '*') : '-',
      m.role === 'collector' ? String(s['devices'] ?? 0) : '-',
      m.role === 'collector' ? String(s['buffered'] ?? 0) : '-',
      m.role === 'core' ? String(s['lag'] ?? 0) : '-',
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
  let problems = 0;
  if (!members.some((m) => m.role === 'core')) {
    lines.push('PERINGATAN / WARNING: tidak ada inti / no core is running');
    problems++;
  }
  const orphans = orphanZones(zones, members);
  for (const z of orphans) {
    const n = [...zones.values()].filter((v) => v === z).length;
    lines.push(`PERINGATAN / WARNING: zona ${z} (${n} perangkat / devices) tanpa kolektor / has no collector`);
    problems++;
  }
  return { text: `${lines.join('\n')}\n`, problems };
}
