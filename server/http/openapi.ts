import { z } from 'zod';
import type { RouteDef } from './route.js';

const schemaOf = (s: z.ZodType) =>
  z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;

const errorSchema = {
  type: 'object',
  properties: {
    error: {
      type: 'object',
      properties: { code: { type: 'string' }, message: { type: 'string' }, issues: { type: 'array' } },
      required: ['code', 'message'],
    },
  },
};

/** The OpenAPI 3.1 document, generated from the same route table that validates requests. */
export function buildOpenApi(routes: readonly RouteDef[], version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const p = r.path.replace(/:([A-Za-z]+)/g, '{$1}');
    const parameters: unknown[] = [];
    for (const [where, s] of [
      ['path', r.params],
      ['query', r.query],
    ] as const) {
      if (!s) continue;
      const js = schemaOf(s);
      const props = (js['properties'] ?? {}) as Record<string, unknown>;
      const required = new Set((js['required'] ?? []) as string[]);
      for (const [name, schema] of Object.entries(props)) {
        parameters.push({
          name,
          in: where,
          required: where === 'path' || required.has(name),
          schema,
          ...(where === 'query' ? { style: 'form', explode: false } : {}),
        });
      }
    }
    const responses: Record<string, unknown> = {
      [String(r.status ?? 200)]: { description: 'OK', content: { 'application/json': { schema: { type: 'object' } } } },
      400: { description: 'Invalid input', content: { 'application/json': { schema: errorSchema } } },
    };
    if (r.access !== 'public')
      responses['401'] = { description: 'No valid session', content: { 'application/json': { schema: errorSchema } } };
    if (r.access !== 'public' && r.access !== 'session')
      responses['403'] = {
        description: `Role lacks "${r.access}"`,
        content: { 'application/json': { schema: errorSchema } },
      };
    (paths[p] ??= {})[r.method] = {
      summary: r.summary,
      tags: [r.tag],
      'x-pantau-permission': r.access,
      ...(parameters.length ? { parameters } : {}),
      ...(r.body
        ? { requestBody: { required: true, content: { 'application/json': { schema: schemaOf(r.body) } } } }
        : {}),
      responses,
      ...(r.access === 'public' ? { security: [] } : {}),
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'pantau API',
      version,
      description:
        'Monitoring API of pantau (OKU smart-city NOC). Commands go over REST; live updates over socket.io (see docs/api.md).',
    },
    components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'pantau_sid' } } },
    security: [{ session: [] }],
    paths,
  };
}
