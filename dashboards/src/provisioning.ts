/**
 * Our schema of Grafana's provisioning files (datasources and dashboard providers, apiVersion 1),
 * narrowed to what pantau ships: an InfluxQL datasource whose uid the dashboards refer to, and a
 * file provider. Grafana would accept more; a typo here would only show as "datasource not found".
 */
import { z } from 'zod';

/** `${NAME}` references, which Grafana fills from its environment at start. */
export const ENV_REF = /\$\{([A-Z_][A-Z0-9_]*)\}/g;

const influxJsonData = z
  .object({
    version: z.literal('InfluxQL'),
    dbName: z.string().min(1),
    httpMode: z.enum(['GET', 'POST']),
    timeInterval: z
      .string()
      .regex(/^\d+(ms|s|m|h)$/)
      .optional(),
    httpHeaderName1: z.literal('Authorization').optional(),
  })
  .strict();

export const influxDatasourceSchema = z
  .object({
    name: z.string().min(1),
    uid: z.string().regex(/^[a-zA-Z0-9_-]{1,40}$/),
    type: z.literal('influxdb'),
    access: z.literal('proxy'),
    url: z.string().min(1),
    isDefault: z.boolean(),
    editable: z.boolean(),
    user: z.string().min(1).optional(),
    jsonData: influxJsonData,
    secureJsonData: z
      .object({
        password: z.string().min(1).optional(),
        httpHeaderValue1: z
          .string()
          .regex(/^Token \S+$/, 'the InfluxDB 2.x header is "Token <token>"')
          .optional(),
      })
      .strict(),
  })
  .strict()
  .superRefine((ds, ctx) => {
    const tokenHeader = ds.jsonData.httpHeaderName1 !== undefined;
    if (tokenHeader !== (ds.secureJsonData.httpHeaderValue1 !== undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['secureJsonData'],
        message: 'httpHeaderName1 and httpHeaderValue1 go together',
      });
    }
    if (tokenHeader && (ds.user || ds.secureJsonData.password)) {
      ctx.addIssue({
        code: 'custom',
        path: ['user'],
        message: 'token auth (2.x) and user/password (1.x) are exclusive',
      });
    }
    if (!tokenHeader && !(ds.user && ds.secureJsonData.password)) {
      ctx.addIssue({
        code: 'custom',
        path: ['user'],
        message: 'InfluxDB 1.x with auth needs user and secureJsonData.password',
      });
    }
  });

export const datasourcesFileSchema = z
  .object({
    apiVersion: z.literal(1),
    datasources: z.array(influxDatasourceSchema).min(1),
  })
  .strict();

export const dashboardProvidersFileSchema = z
  .object({
    apiVersion: z.literal(1),
    providers: z
      .array(
        z
          .object({
            name: z.string().min(1),
            orgId: z.number().int().min(1),
            folder: z.string(),
            folderUid: z
              .string()
              .regex(/^[a-zA-Z0-9_-]{1,40}$/)
              .optional(),
            type: z.literal('file'),
            disableDeletion: z.boolean(),
            allowUiUpdates: z.boolean(),
            updateIntervalSeconds: z.number().int().min(10),
            options: z
              .object({
                path: z.string().startsWith('/'),
                foldersFromFilesStructure: z.boolean().optional(),
              })
              .strict(),
          })
          .strict(),
      )
      .min(1),
  })
  .strict();

export type DatasourcesFile = z.infer<typeof datasourcesFileSchema>;
export type DashboardProvidersFile = z.infer<typeof dashboardProvidersFileSchema>;

/** Every `${NAME}` a provisioning file expects in Grafana's environment. */
export function envRefs(text: string): string[] {
  return [...new Set([...text.matchAll(ENV_REF)].map((m) => m[1] as string))].sort();
}
