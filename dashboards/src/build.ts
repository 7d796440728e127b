/**
 * Renders every dashboard to its committed JSON file, and checks the committed files are current.
 * `pantau dashboards build [--check]` is the shell around this.
 */
import { readFile, readdir, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { DASHBOARDS } from './index.js';

export const GENERATED_DIR = 'dashboards/generated';

/** Stable text: two-space JSON and a final newline, so diffs and the check are byte-exact. */
export function renderDashboards(): Map<string, string> {
  const out = new Map<string, string>();
  for (const d of DASHBOARDS) out.set(`${d.file}`, `${JSON.stringify(d.build(), null, 2)}\n`);
  return out;
}

export interface CheckResult {
  stale: string[];
  missing: string[];
  /** JSON files in the folder that no dashboard produces any more. */
  extra: string[];
}

export async function checkDashboards(dir = GENERATED_DIR): Promise<CheckResult> {
  const rendered = renderDashboards();
  const result: CheckResult = { stale: [], missing: [], extra: [] };
  for (const [file, text] of rendered) {
    const current = await readFile(join(dir, file), 'utf8').catch(() => undefined);
    if (current === undefined) result.missing.push(file);
    else if (current !== text) result.stale.push(file);
  }
  const present = await readdir(dir).catch(() => [] as string[]);
  for (const f of present) if (f.endsWith('.json') && !rendered.has(f)) result.extra.push(f);
  return result;
}

export async function writeDashboards(dir = GENERATED_DIR): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  for (const [file, text] of renderDashboards()) {
    await writeFile(join(dir, file), text);
    written.push(join(dir, file));
  }
  return written;
}
