import { SEVERITIES, SEVERITY_RANK } from '../../core/vocabulary/severities.js';
import { z } from 'zod';
import type { CompiledRule, Op } from './types.js';

const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/;
const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** '5m' → 300000. */
export function parseDuration(s: string): number {
  const m = DURATION.exec(s.trim());
  if (!m) throw new Error(`bad duration "${s}"`);
  return Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS];
}

const duration = z.string().regex(DURATION, 'duration like 30s, 5m, 24h').transform(parseDuration);
const CONDITION = /^(<=|>=|==|!=|<|>)\s*(-?\d+(?:\.\d+)?)$/;
const condition = z
  .string()
  .regex(CONDITION, 'condition like "> 20", "< -25" or "== 0"')
  .transform((s) => {
    const m = CONDITION.exec(s.trim())!;
    return { op: m[1] as Op, threshold: Number(m[2]) };
  });
const severity = z.enum(SEVERITIES);

const ruleSchema = z
  .object({
    name: z.string().regex(/^[a-z0-9_]+$/, 'rule name: lowercase letters, digits and "_"'),
    metric: z.string().min(1),
    condition: condition.optional(),
    severity: severity.optional(),
    levels: z.array(z.object({ condition, severity }).strict()).min(1).optional(),
    drop: z.object({ by: z.number().positive(), within: duration }).strict().optional(),
    for: duration.default(0),
    clearFor: duration.default(0),
    during: z.literal('openingHours').optional(),
    select: z
      .object({
        type: z.array(z.string()).optional(),
        tags: z.array(z.string()).optional(),
        kecamatan: z.array(z.string()).optional(),
        role: z.array(z.string()).optional(),
        devices: z.array(z.string()).optional(),
      })
      .strict()
      .default({}),
    message: z.object({ id: z.string().optional(), en: z.string().optional() }).strict().optional(),
  })
  .strict()
  .superRefine((r, ctx) => {
    const kinds = [r.condition, r.levels, r.drop].filter((x) => x !== undefined).length;
    if (kinds !== 1) ctx.addIssue({ code: 'custom', message: 'give exactly one of condition, levels or drop' });
    if ((r.condition || r.drop) && !r.severity)
      ctx.addIssue({ code: 'custom', path: ['severity'], message: 'severity is required with condition or drop' });
  });

export const rulesFileSchema = z
  .object({ rules: z.array(ruleSchema) })
  .strict()
  .superRefine((f, ctx) => {
    const seen = new Set<string>();
    f.rules.forEach((r, i) => {
      if (seen.has(r.name))
        ctx.addIssue({ code: 'custom', path: ['rules', i, 'name'], message: `duplicate rule name "${r.name}"` });
      seen.add(r.name);
    });
  });

export type RulesFile = z.infer<typeof rulesFileSchema>;

export function compileRules(file: RulesFile): CompiledRule[] {
  return file.rules.map((r) => {
    const levels = r.levels
      ? r.levels
          .map((l) => ({ severity: l.severity, ...l.condition }))
          .sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity])
      : r.condition
        ? [{ severity: r.severity!, ...r.condition }]
        : [];
    const out: CompiledRule = {
      name: r.name,
      metric: r.metric,
      levels,
      forMs: r.for,
      clearForMs: r.clearFor,
      select: r.select,
    };
    if (r.drop) out.drop = { by: r.drop.by, withinMs: r.drop.within, severity: r.severity! };
    if (r.during) out.during = r.during;
    if (r.message) out.message = r.message;
    return out;
  });
}
