import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument, isNode, type Document } from 'yaml';
import { PantauError } from '../errors.js';

export type PathSegment = string | number;

/** A parsed YAML file that can say on which line any path of it lives. */
export interface YamlSource {
  file: string;
  data: unknown;
  lineOf(path: readonly PathSegment[]): number;
}

export function readYamlSource(file: string, displayName = file): YamlSource {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new PantauError('PANTAU_CONFIG_READ', `${displayName}: cannot read file (${(cause as NodeJS.ErrnoException).code ?? 'error'})`, { cause });
  }
  return parseYamlSource(text, displayName);
}

export function parseYamlSource(text: string, file: string): YamlSource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const details = doc.errors.map((e) => {
      const line = e.linePos?.[0]?.line ?? 1;
      return `${file}:${line} ${e.message.split('\n')[0]}`;
    });
    throw new PantauError('PANTAU_CONFIG_INVALID', `${file}: invalid YAML`, { details });
  }
  return {
    file,
    data: doc.toJS() as unknown,
    lineOf: (path) => lineOfPath(doc, lineCounter, path),
  };
}

function lineOfPath(doc: Document, lc: LineCounter, path: readonly PathSegment[]): number {
  // Walk up until a node exists: a missing key reports the line of the object that lacks it.
  for (let n = path.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
    if (isNode(node) && node.range) return lc.linePos(node.range[0]).line;
  }
  return 1;
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
