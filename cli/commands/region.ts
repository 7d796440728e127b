import { readFile, writeFile } from 'node:fs/promises';
import type { CommandModule } from '../context.js';

export const command: CommandModule = {
  name: 'region',
  register(program, ctx) {
    const region = program
      .command('region')
      .description('wilayah (kabupaten/kota) yang dipantau / the regency pantau watches');
    region
      .command('init <code>')
      .description(
        'start a region file from a Kemendagri regency code (e.g. 16.01 = OKU, 73.71 = Kota Makassar): name, kecamatan and time zone from the official list (npm idn-area-data)',
      )
      .option(
        '-i, --inventory <file>',
        'an inventory whose devices give the map bounds, home view and kecamatan centroids',
      )
      .option('-o, --out <file>', 'write the YAML here (default: standard output); never overwrites')
      .action(async (code: string, opts: { inventory?: string; out?: string }) => {
        const { PantauError } = await import('../../core/errors.js');
        const { getRegencies, getDistricts } = await import('idn-area-data');
        const { regionFromKemendagri } = await import('../../core/region/init.js');
        const { regionSchema } = await import('../../core/region/schema.js');
        const { stringify, parse } = await import('yaml');
        if (!/^\d{2}\.\d{2}$/.test(code))
          throw new PantauError(
            'PANTAU_INVALID_INPUT',
            `"${code}" is not a Kemendagri regency code (two digits, dot, two digits: 16.01)`,
          );
        let devices: { kecamatan: string; lat: number; lon: number }[] = [];
        if (opts.inventory) {
          const text = await readFile(opts.inventory, 'utf8').catch((cause: unknown) => {
            throw new PantauError('PANTAU_CONFIG_READ', `${opts.inventory}: cannot read file`, { cause });
          });
          const data = parse(text) as { devices?: { kecamatan?: unknown; lat?: unknown; lon?: unknown }[] } | null;
          devices = (data?.devices ?? []).filter(
            (d) => typeof d.kecamatan === 'string' && typeof d.lat === 'number' && typeof d.lon === 'number',
          ) as typeof devices;
        }
        let r;
        try {
          r = regionFromKemendagri(code, await getRegencies(), await getDistricts(), devices);
        } catch (err) {
          throw new PantauError('PANTAU_INVALID_INPUT', (err as Error).message);
        }
        regionSchema.parse(r);
        const unknown = [...new Set(devices.map((d) => d.kecamatan))].filter(
          (k) => !r.kecamatan.some((x) => x.name.toLowerCase() === k.toLowerCase()),
        );
        const header = [
          `# Wilayah / region: ${r.name} (Kemendagri ${code}), ${r.kecamatan.length} kecamatan, ${r.timeZone}.`,
          '# Names and codes from the official list (npm idn-area-data). Coordinates are not in that list:',
          opts.inventory
            ? `# bounds, home and centroids were computed from ${devices.length} devices of ${opts.inventory}; check them.`
            : '# add bounds (a generous box around the regency) and home (where the map opens).',
          '# Reference it from pantau.yaml: `region: <this file>`.',
          '',
        ].join('\n');
        const yaml = header + stringify(r, { lineWidth: 0 });
        if (opts.out) {
          await writeFile(opts.out, yaml, { flag: 'wx' }).catch((cause: unknown) => {
            throw new PantauError('PANTAU_CONFIG_READ', `${opts.out}: cannot write (exists already?)`, { cause });
          });
          ctx.stderr.write(`${r.name}: ${r.kecamatan.length} kecamatan, ${r.timeZone} → ${opts.out}\n`);
        } else {
          ctx.stdout.write(yaml);
        }
        if (unknown.length > 0)
          ctx.stderr.write(`warning: inventory kecamatan not in the official list: ${unknown.join(', ')}\n`);
      });
  },
};
