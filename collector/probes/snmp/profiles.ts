import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PantauError } from '../../../core/errors.js';
import { zodProblems } from '../../../core/config/problems.js';
import { readYamlSource } from '../../../core/config/yaml-source.js';
import { profileFileSchema, type ProfileFile, type VendorProfile } from './profile-schema.js';

/**
 * Loads every *.yaml in the profiles folder. All problems of all files are reported together
 * as `file:line path: message`, like the main config.
 */
export function loadProfiles(dir: string): Map<string, VendorProfile> {
  const abs = resolve(dir);
  let names: string[];
  try {
    names = readdirSync(abs)
      .filter((f) => f.endsWith('.yaml') || f.endsWith('.yml'))
      .sort();
  } catch (cause) {
    throw new PantauError('PANTAU_CONFIG_READ', `${dir}: cannot read the profiles folder`, { cause });
  }
  const raw = new Map<string, { file: string; data: ProfileFile }>();
  const problems: string[] = [];
  for (const name of names) {
    const file = join(abs, name);
    try {
      const source = readYamlSource(file, file);
      const parsed = profileFileSchema.safeParse(source.data);
      if (!parsed.success) {
        problems.push(...zodProblems(source, parsed.error.issues));
        continue;
      }
      if (raw.has(parsed.data.vendor)) {
        problems.push(
          `${file}:${source.lineOf(['vendor'])} vendor: "${parsed.data.vendor}" already defined in ${raw.get(parsed.data.vendor)!.file}`,
        );
        continue;
      }
      raw.set(parsed.data.vendor, { file, data: parsed.data });
    } catch (err) {
      if (err instanceof PantauError) {
        problems.push(err.message, ...err.details);
        continue;
      }
      throw err;
    }
  }
  const out = new Map<string, VendorProfile>();
  const resolveOne = (vendor: string, seen: string[]): VendorProfile | undefined => {
    const done = out.get(vendor);
    if (done) return done;
    const r = raw.get(vendor);
    if (!r) return undefined;
    if (seen.includes(vendor)) {
      problems.push(`${r.file}: extends cycle ${[...seen, vendor].join(' → ')}`);
      return undefined;
    }
    let metrics = r.data.metrics;
    if (r.data.extends) {
      const parent = resolveOne(r.data.extends, [...seen, vendor]);
      if (!parent) {
        problems.push(`${r.file}: extends "${r.data.extends}": no such profile`);
        return undefined;
      }
      // Additive: a metric is only replaced by one with the same name AND OID. Devices answer
      // only some OIDs, so the generic source and a vendor source of one metric can coexist.
      // `replaces` names parent metrics this vendor reads from its own MIB instead.
      const own = new Set(metrics.map((m) => `${m.name}|${m.oid}`));
      const replaced = new Set(r.data.replaces);
      metrics = [...parent.metrics.filter((m) => !own.has(`${m.name}|${m.oid}`) && !replaced.has(m.name)), ...metrics];
    }
    const p = { vendor, file: r.file, metrics };
    out.set(vendor, p);
    return p;
  };
  for (const vendor of raw.keys()) resolveOne(vendor, []);
  if (problems.length > 0) {
    throw new PantauError('PANTAU_CONFIG_INVALID', `${dir}: invalid SNMP profile(s)`, { details: problems });
  }
  return out;
}

/** The profile for a device's vendor, else `generic`, else an empty one. */
export function profileFor(profiles: ReadonlyMap<string, VendorProfile>, vendor: string): VendorProfile {
  return profiles.get(vendor) ?? profiles.get('generic') ?? { vendor: 'none', file: '', metrics: [] };
}
