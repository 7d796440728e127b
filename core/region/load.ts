import { PantauError } from '../errors.js';
import { readYamlSource, type PathSegment, type YamlSource } from '../config/yaml-source.js';
import { formatPath } from '../config/yaml-source.js';
import { regionSchema, type Region } from './schema.js';
import { packagePath } from '../paths.js';

/** The region pantau ships (OKU): used when pantau.yaml names none, so nothing changes for OKU. */
export const DEFAULT_REGION_FILE = packagePath('config', 'regions', 'oku.yaml');

/** Validates a parsed region (from a file or pantau.yaml's `region:` section); problems as `file:line path: message`. */
export function parseRegion(
  data: unknown,
  source: Pick<YamlSource, 'file' | 'lineOf'>,
  prefix: PathSegment[] = [],
): { region?: Region; problems: string[] } {
  const parsed = regionSchema.safeParse(data);
  if (parsed.success) return { region: parsed.data, problems: [] };
  return {
    problems: parsed.error.issues.map((issue) => {
      const path = [...prefix, ...(issue.path as PathSegment[])];
      return `${source.file}:${source.lineOf(path)} ${formatPath(path)}: ${issue.message}`;
    }),
  };
}

/** Reads and validates a region file; throws one PantauError listing every problem. */
export function loadRegionFile(file: string, displayName = file): Region {
  const source = readYamlSource(file, displayName);
  const { region, problems } = parseRegion(source.data, source);
  if (!region) throw new PantauError('PANTAU_CONFIG_INVALID', `${displayName}: invalid region`, { details: problems });
  return region;
}

let defaultRegion: Region | undefined;
/** OKU's region (config/regions/oku.yaml), read once. */
export function loadDefaultRegion(): Region {
  return (defaultRegion ??= loadRegionFile(DEFAULT_REGION_FILE));
}

/** What the page gets in its snapshot: everything but the (possibly large) boundaries. */
export function regionView(r: Region): {
  name: string;
  shortName: string;
  timeZone: Region['timeZone'];
  bounds?: Region['bounds'];
  home?: Region['home'];
  kecamatan: { id: string; name: string; centroid?: { lat: number; lon: number } }[];
} {
  return {
    name: r.name,
    shortName: r.shortName,
    timeZone: r.timeZone,
    ...(r.bounds ? { bounds: r.bounds } : {}),
    ...(r.home ? { home: r.home } : {}),
    kecamatan: r.kecamatan.map((k) => ({ id: k.id, name: k.name, ...(k.centroid ? { centroid: k.centroid } : {}) })),
  };
}
