/**
 * The incidents of the status page as an Atom 1.0 feed (RFC 4287): current incidents and those
 * resolved within `incidentDays`. Pure; every text is XML-escaped and stripped of characters XML 1.0
 * cannot hold.
 */
import { createHash } from 'node:crypto';
import type { PublicIncident, PublicStatus } from './model.js';
import { WORDS, fill, formatTime, pick, type Lang } from './text.js';

// eslint-disable-next-line no-control-regex -- the characters XML 1.0 forbids
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;
const XML: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
export const xml = (s: string): string => s.replace(NOT_XML, '').replace(/[&<>"']/g, (c) => XML[c]!);

/** A stable urn:uuid from a seed (RFC 4122 layout, version 5-like bits over sha256). */
export function uuidOf(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex');
  const v = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `urn:uuid:${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${v}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const iso = (ms: number) => new Date(ms).toISOString();

export interface AtomOptions {
  lang: Lang;
  zone: { name: string; offsetMs: number };
  /** Path of the page and the feed (relative links; Atom resolves them against the feed's URL). */
  path: string;
  feedPath: string;
}

function entry(i: PublicIncident, o: AtomOptions): string {
  const w = WORDS[o.lang];
  const names =
    i.names.map((n) => pick(n, o.lang)).join(', ') + (i.more > 0 ? ` ${fill(w.andMore, { n: i.more })}` : '');
  const lines = [
    `${w.incidentStatus[i.status]}.`,
    `${w.affects}: ${names}.`,
    `${w.started}: ${formatTime(i.startedAt, o.zone, o.lang)}.`,
    ...(i.resolvedAt !== undefined ? [`${w.resolved}: ${formatTime(i.resolvedAt, o.zone, o.lang)}.`] : []),
    ...(i.message ? [`${w.message}: ${i.message}`] : []),
  ];
  return (
    '<entry>' +
    `<id>${uuidOf(`pantau-incident:${i.ref}`)}</id>` +
    `<title type="text">${xml(`${w.kind[i.kind]}: ${names} — ${w.incidentStatus[i.status]}`)}</title>` +
    `<updated>${iso(i.updatedAt)}</updated>` +
    `<published>${iso(i.startedAt)}</published>` +
    `<link rel="alternate" type="text/html" href="${xml(`${o.path}?lang=${o.lang}#i-${i.ref}`)}"/>` +
    `<content type="text">${xml(lines.join('\n'))}</content>` +
    '</entry>'
  );
}

export function renderStatusAtom(s: PublicStatus, o: AtomOptions): string {
  const w = WORDS[o.lang];
  const title = pick(s.title, o.lang);
  const incidents = [...s.current, ...s.recent];
  // The feed changes when an incident does, not every time the page is rendered.
  const updated = incidents.reduce((m, i) => Math.max(m, i.updatedAt), 0) || s.generatedAt;
  return (
    '<?xml version="1.0" encoding="utf-8"?>\n' +
    `<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${o.lang}">` +
    `<id>${uuidOf(`pantau-status-feed:${s.title.id}:${o.lang}`)}</id>` +
    `<title type="text">${xml(`${title} — ${w.feedTitle}`)}</title>` +
    `<updated>${iso(updated)}</updated>` +
    `<author><name>${xml(title)}</name></author>` +
    `<link rel="self" type="application/atom+xml" href="${xml(`${o.feedPath}?lang=${o.lang}`)}"/>` +
    `<link rel="alternate" type="text/html" href="${xml(`${o.path}?lang=${o.lang}`)}"/>` +
    '<generator>pantau</generator>' +
    incidents.map((i) => entry(i, o)).join('') +
    '</feed>\n'
  );
}
