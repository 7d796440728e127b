import type { z } from 'zod';
import { formatPath, type PathSegment, type YamlSource } from './yaml-source.js';

/**
 * Formats zod issues as `file:line path: message`. Its own file so probe folders (SNMP profiles)
 * can use it without importing the config schema, which imports the probe list.
 */
export function zodProblems(source: YamlSource, issues: readonly z.core.$ZodIssue[], prefix: PathSegment[] = []): string[] {
  return issues.map((issue) => {
    const path = [...prefix, ...(issue.path as PathSegment[])];
    return `${source.file}:${source.lineOf(path)} ${formatPath(path)}: ${issue.message}`;
  });
}

