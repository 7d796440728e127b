/**
 * How this process runs pantau's code, as bin/pantau.mjs decided (ADR 0011): the prebuilt JavaScript
 * in dist/, or the TypeScript sources through tsx (and why). `pantau start` logs it once.
 */
export interface Runtime {
  code: 'dist' | 'tsx' | 'unknown';
  reason?: string;
}

export function currentRuntime(): Runtime {
  const r = (globalThis as Record<symbol, unknown>)[Symbol.for('pantau.runtime')] as Runtime | undefined;
  return r && (r.code === 'dist' || r.code === 'tsx') ? r : { code: 'unknown' };
}

/** The start-up log line (pino object and message) for a runtime. */
export function runtimeLogLine(r: Runtime): { fields: Record<string, string>; msg: string } {
  if (r.code === 'tsx')
    return {
      fields: { code: 'tsx', reason: r.reason ?? '' },
      msg: `berjalan dari sumber TypeScript (tsx, ~30 MB lebih): ${r.reason ?? ''} / running the TypeScript sources through tsx (~30 MB more memory)`,
    };
  if (r.code === 'dist')
    return { fields: { code: 'dist' }, msg: 'berjalan dari dist/ / running the prebuilt JavaScript in dist/' };
  return { fields: { code: 'unknown' }, msg: 'berjalan tanpa bin/pantau.mjs / not started through bin/pantau.mjs' };
}
