import { readFileSync } from 'node:fs';
import type { PathSegment } from './yaml-source.js';

export interface EnvProblem {
  path: PathSegment[];
  message: string;
}

const REF = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/**
 * Replaces `${VAR}` and `${VAR:-default}` in every string of a parsed YAML tree. When VAR is
 * unset but VAR_FILE names a file (Docker/Kubernetes secrets), the file's content is used.
 * `$${` escapes a literal `${`. Returns the new tree and one problem per unset variable.
 */
export function substituteEnv(
  value: unknown,
  env: NodeJS.ProcessEnv,
  path: PathSegment[] = [],
): { value: unknown; problems: EnvProblem[] } {
  const problems: EnvProblem[] = [];
  const walk = (v: unknown, p: PathSegment[]): unknown => {
    if (typeof v === 'string') return substituteString(v, env, p, problems);
    if (Array.isArray(v)) return v.map((item, i) => walk(item, [...p, i]));
    if (v !== null && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, item] of Object.entries(v)) out[k] = walk(item, [...p, k]);
      return out;
    }
    return v;
  };
  return { value: walk(value, path), problems };
}

function substituteString(s: string, env: NodeJS.ProcessEnv, path: PathSegment[], problems: EnvProblem[]): string {
  if (!s.includes('${')) return s;
  const ESC = '\u0000';
  const replaced = s.replaceAll('$${', ESC).replace(REF, (_m, name: string, fallback: string | undefined) => {
    const direct = env[name];
    if (direct !== undefined && direct !== '') return direct;
    const fileVar = env[`${name}_FILE`];
    if (fileVar) {
      try {
        return readFileSync(fileVar, 'utf8').replace(/\r?\n$/, '');
      } catch {
        problems.push({ path, message: `cannot read secret file ${name}_FILE=${fileVar}` });
        return '';
      }
    }
    if (fallback !== undefined) return fallback;
    problems.push({ path, message: `environment variable ${name} is not set (nor ${name}_FILE)` });
    return '';
  });
  return replaced.replaceAll(ESC, '${');
}
