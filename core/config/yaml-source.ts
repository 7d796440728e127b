import { readFileSync, statSync } from 'node:fs';
import { LineCounter, parseDocument, isMap, isNode, isPair, isScalar, isSeq, type Document, type Node } from 'yaml';
import { PantauError } from '../errors.js';

export type PathSegment = string | number;

/** A parsed YAML file that can say on which line any path of it lives. */
export interface YamlSource {
  file: string;
  data: unknown;
  lineOf(path: readonly PathSegment[]): number;
}

/**
 * Config files larger than this are refused before parsing: a 10,000-device inventory is ~4 MB,
 * so 32 MB is room to grow, and a wrong file (a log, a dump) is named instead of eating memory.
 */
export const MAX_YAML_BYTES = 32 * 1024 * 1024;
/** Aliases beyond this are an alias bomb ("billion laughs"), not a config. */
export const MAX_YAML_ALIASES = 200;

export function readYamlSource(file: string, displayName = file, limits: { maxBytes?: number } = {}): YamlSource {
  const maxBytes = limits.maxBytes ?? MAX_YAML_BYTES;
  let text: string;
  try {
    const size = statSync(file).size;
    if (size > maxBytes) {
      throw new PantauError(
        'PANTAU_CONFIG_INVALID',
        `${displayName}: file is ${(size / 1048576).toFixed(1)} MB, larger than the ${(maxBytes / 1048576).toFixed(0)} MB limit for a config file (is it the right file?)`,
      );
    }
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    if (cause instanceof PantauError) throw cause;
    throw new PantauError(
      'PANTAU_CONFIG_READ',
      `${displayName}: cannot read file (${(cause as NodeJS.ErrnoException).code ?? 'error'})`,
      { cause },
    );
  }
  return parseYamlSource(text, displayName);
}

export function parseYamlSource(text: string, file: string): YamlSource {
  const lineCounter = new LineCounter();
  // prettyErrors fills linePos, so a syntax error is reported at its own line and column.
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const details = doc.errors.map((e) => {
      const pos = e.linePos?.[0];
      const msg = (e.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
      return `${file}:${pos?.line ?? 1}:${pos?.col ?? 1} ${msg}`;
    });
    throw new PantauError('PANTAU_CONFIG_INVALID', `${file}: invalid YAML`, { details });
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_YAML_ALIASES }) as unknown;
  } catch (cause) {
    // yaml throws a bare ReferenceError for an alias bomb: name the file and say what it is.
    throw new PantauError(
      'PANTAU_CONFIG_INVALID',
      `${file}: too many YAML aliases (more than ${MAX_YAML_ALIASES} expansions): refused as a possible alias bomb`,
      { cause },
    );
  }
  return {
    file,
    data,
    lineOf: (path) => lineOfPath(doc, lineCounter, path),
  };
}

/**
 * The line of a path: the line of its KEY when the key exists (an unknown or wrong key is shown
 * where it is written), else of the deepest existing parent (a missing key: the object that lacks it).
 */
function lineOfPath(doc: Document, lc: LineCounter, path: readonly PathSegment[]): number {
  let node: unknown = doc.contents;
  let line = isNode(node) && node.range ? lc.linePos(node.range[0]).line : 1;
  for (const seg of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && (isScalar(p.key) ? p.key.value : p.key) === seg);
      if (!pair) return line;
      const key = pair.key as Node | null;
      if (isNode(key) && key.range) line = lc.linePos(key.range[0]).line;
      node = pair.value;
    } else if (isSeq(node) && typeof seg === 'number') {
      const item = node.items[seg];
      if (!item) return line;
      node = item;
      if (isNode(item) && item.range) line = lc.linePos(item.range[0]).line;
    } else {
      return line;
    }
  }
  return line;
}

/** `devices[57].parent` from ['devices', 57, 'parent']. */
export function formatPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out === '' ? seg : `.${seg}`;
  }
  return out || '(root)';
}
