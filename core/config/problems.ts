import type { z } from 'zod';
import { formatPath, type PathSegment, type YamlSource } from './yaml-source.js';

/** Formats zod issues as `file:line path: message` (the line of the key itself where it exists). */
export function zodProblems(
  source: Pick<YamlSource, 'file' | 'lineOf'>,
  issues: readonly z.core.$ZodIssue[],
  prefix: PathSegment[] = [],
): string[] {
  return issues.flatMap((issue) => {
    const path = [...prefix, ...(issue.path as PathSegment[])];
    // An unknown key is reported at the key, not at its parent (issue 13).
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map(
        (k) => `${source.file}:${source.lineOf([...path, k])} ${formatPath([...path, k])}: unknown key "${k}"`,
      );
    }
    return [`${source.file}:${source.lineOf(path)} ${formatPath(path)}: ${issue.message}`];
  });
}
