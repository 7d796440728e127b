import { resolve } from 'node:path';
import { PantauError } from '../../core/errors.js';
import {
  readYamlSource,
  parseYamlSource,
  formatPath,
  type PathSegment,
  type YamlSource,
} from '../../core/config/yaml-source.js';
import { compileRules, rulesFileSchema } from './schema.js';
import type { CompiledRule } from './types.js';
import { packagePath } from '../../core/paths.js';

/** The shipped defaults: config/rules/default.yaml in the repository. */
export const DEFAULT_RULES_FILE = packagePath('config', 'rules', 'default.yaml');

function fromSource(source: YamlSource): CompiledRule[] {
  const parsed = rulesFileSchema.safeParse(source.data);
  if (!parsed.success) {
    const details = parsed.error.issues.map((i) => {
      const path = i.path as PathSegment[];
      return `${source.file}:${source.lineOf(path)} ${formatPath(path)}: ${i.message}`;
    });
    throw new PantauError('PANTAU_CONFIG_INVALID', `${source.file}: invalid alert rules`, { details });
  }
  return compileRules(parsed.data);
}

/** Loads a rules file (relative to configDir) or the shipped defaults; errors carry file:line. */
export function loadRules(
  opts: { rulesFile?: string | undefined; configDir?: string | undefined } = {},
): CompiledRule[] {
  const file = opts.rulesFile ? resolve(opts.configDir ?? process.cwd(), opts.rulesFile) : DEFAULT_RULES_FILE;
  return fromSource(readYamlSource(file));
}

export function parseRules(text: string, file = 'rules.yaml'): CompiledRule[] {
  return fromSource(parseYamlSource(text, file));
}
