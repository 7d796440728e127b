import { z } from 'zod';

/** The monthly availability report (docs/adr/0802): letterhead, and who gets it by email on the 1st. */
export const reportsSection = z
  .object({
    /** Kop surat: the lines at the top of the PDF/HTML report, first line largest. */
    letterhead: z
      .object({
        lines: z
          .array(z.string().min(1).max(120))
          .min(1)
          .max(6)
          .default([
            'PEMERINTAH KABUPATEN OGAN KOMERING ULU',
            'DINAS KOMUNIKASI, INFORMATIKA, STATISTIK DAN PERSANDIAN',
            'Jl. Jenderal Ahmad Yani, Baturaja, Sumatera Selatan',
          ]),
        /** Signature block under the report (city, role, name); omitted when empty. */
        signature: z
          .object({
            city: z.string().max(60).default('Baturaja'),
            role: z.string().max(120).default('Kepala Bidang Infrastruktur TIK'),
            name: z.string().max(120).default(''),
          })
          .strict()
          .default({ city: 'Baturaja', role: 'Kepala Bidang Infrastruktur TIK', name: '' }),
      })
      .strict()
      .default({
        lines: [
          'PEMERINTAH KABUPATEN OGAN KOMERING ULU',
          'DINAS KOMUNIKASI, INFORMATIKA, STATISTIK DAN PERSANDIAN',
          'Jl. Jenderal Ahmad Yani, Baturaja, Sumatera Selatan',
        ],
        signature: { city: 'Baturaja', role: 'Kepala Bidang Infrastruktur TIK', name: '' },
      }),
    /** Time zone of the report's months and times; default: the region's (region.timeZone). */
    zone: z.enum(['WIB', 'WITA', 'WIT']).optional(),
    language: z.enum(['id', 'en']).default('id'),
    /** Email last month's PDF report on the 1st to the email channel of this notification group. */
    monthly: z
      .object({
        group: z.string().min(1),
        /** Local hour (in `zone`) on the 1st at which it is sent. */
        hour: z.number().int().min(0).max(23).default(7),
      })
      .strict()
      .optional(),
  })
  .strict();

export type ReportsConfig = z.infer<typeof reportsSection>;

/** Grafana, when deployed: the drawer links to the device's dashboard there. */
export const grafanaSection = z
  .object({
    /** Base URL the operators' browsers reach Grafana at, e.g. https://grafana.okukab.go.id */
    url: z.url().optional(),
  })
  .strict();
