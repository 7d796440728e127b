/**
 * The public status page as one small HTML document holding the current state: readable without
 * JavaScript (there is none), by search engines and on cheap phones. Pure: model in, string out.
 * Every text goes through `esc`; colours come from classes in status.css (the CSP allows no inline style).
 */
import type { DayBar, PublicEntry, PublicGroup, PublicIncident, PublicStatus } from './model.js';
import { WORDS, fill, formatDate, formatPct, formatTime, pick, type Lang } from './text.js';

export interface RenderOptions {
  lang: Lang;
  zone: { name: string; offsetMs: number };
  /** URL of the stylesheet (versioned, cached long). */
  cssHref: string;
  /** Path of the page and of the feed, e.g. /status and /status/feed.atom. */
  path: string;
  feedPath: string;
}

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => ESC[c]!);

function bar(days: readonly DayBar[], o: RenderOptions): string {
  const w = WORDS[o.lang];
  const cells = days
    .map(
      (d) =>
        `<i class="d-${d.level}" title="${esc(`${formatDate(d.date, o.lang)}: ${d.availabilityPct === null ? w.level[d.level] : formatPct(d.availabilityPct, o.lang)}`)}"></i>`,
    )
    .join('');
  return `<div class="bar" aria-hidden="true">${cells}</div>`;
}

function barFoot(days: readonly DayBar[], pct: number | null | undefined, o: RenderOptions): string {
  const w = WORDS[o.lang];
  return (
    `<p class="foot"><span>${esc(fill(w.daysAgo, { days: days.length }))}</span>` +
    `<span class="pct">${esc(formatPct(pct, o.lang))} ${esc(fill(w.availability, { days: days.length }))}</span>` +
    `<span>${esc(w.today)}</span></p>`
  );
}

function entry(e: PublicEntry, o: RenderOptions): string {
  const w = WORDS[o.lang];
  const since =
    e.since !== undefined && e.state !== 'up'
      ? ` <small>${esc(w.since)} ${esc(formatTime(e.since, o.zone, o.lang))}</small>`
      : '';
  return (
    `<li class="e st-${e.state}"><p class="row"><span class="name">${esc(pick(e.name, o.lang))}</span>` +
    `<span class="st">${esc(w.state[e.state])}${since}</span></p>` +
    (e.days ? bar(e.days, o) + barFoot(e.days, e.availabilityPct, o) : '') +
    '</li>'
  );
}

function group(g: PublicGroup, o: RenderOptions): string {
  const w = WORDS[o.lang];
  const total = g.entries.length;
  return (
    `<section class="group"><h2>${esc(pick(g.name, o.lang))}</h2>` +
    `<p class="sum">${esc(fill(w.upCount, { up: g.counts.up, total }))}</p>` +
    (g.days ? bar(g.days, o) + barFoot(g.days, g.availabilityPct, o) : '') +
    `<ul class="entries${g.days ? ' compact' : ''}">${g.entries.map((e) => entry(e, o)).join('')}</ul></section>`
  );
}

function incident(i: PublicIncident, o: RenderOptions): string {
  const w = WORDS[o.lang];
  const names =
    i.names.map((n) => pick(n, o.lang)).join(', ') + (i.more > 0 ? ` ${fill(w.andMore, { n: i.more })}` : '');
  const times =
    `${w.started} ${formatTime(i.startedAt, o.zone, o.lang)}` +
    (i.resolvedAt !== undefined ? ` · ${w.resolved} ${formatTime(i.resolvedAt, o.zone, o.lang)}` : '');
  return (
    `<article class="inc k-${i.kind} is-${i.status}" id="i-${esc(i.ref)}">` +
    `<h3>${esc(w.kind[i.kind])}: ${esc(names)}</h3>` +
    `<p class="meta"><strong>${esc(w.incidentStatus[i.status])}</strong> · ${esc(times)}</p>` +
    (i.message ? `<p class="msg"><span class="lbl">${esc(w.message)}:</span> ${esc(i.message)}</p>` : '') +
    '</article>'
  );
}

/** The whole page. */
export function renderStatusHtml(s: PublicStatus, o: RenderOptions): string {
  const w = WORDS[o.lang];
  const title = pick(s.title, o.lang);
  const other = w.switchLang as Lang;
  const recent =
    s.recent.length > 0
      ? `<section class="incidents past"><h2>${esc(w.recentIncidents)}</h2>${s.recent.map((i) => incident(i, o)).join('')}</section>`
      : '';
  const legend = (['ok', 'minor', 'major', 'outage', 'maint', 'none'] as const)
    .map((l) => `<li><i class="d-${l}"></i> ${esc(w.level[l])}</li>`)
    .join('');
  return (
    '<!doctype html>' +
    `<html lang="${o.lang}"><head><meta charset="utf-8">` +
    '<meta name="viewport" content="width=device-width,initial-scale=1">' +
    // Without JavaScript a wall screen or an open tab still follows the state.
    '<meta http-equiv="refresh" content="60">' +
    `<title>${esc(title)}</title>` +
    `<meta name="description" content="${esc(w.overall[s.overall])}">` +
    `<link rel="stylesheet" href="${esc(o.cssHref)}">` +
    `<link rel="alternate" type="application/atom+xml" title="${esc(`${title} — ${w.feedTitle}`)}" href="${esc(`${o.feedPath}?lang=${o.lang}`)}">` +
    `<link rel="alternate" hreflang="${other}" href="${esc(`${o.path}?lang=${other}`)}">` +
    '</head><body>' +
    `<header><h1>${esc(title)}</h1>` +
    (s.description ? `<p class="desc">${esc(pick(s.description, o.lang))}</p>` : '') +
    `<a class="lang" href="${esc(`${o.path}?lang=${other}`)}" hreflang="${other}" lang="${other}">${esc(w.switchLabel)}</a></header>` +
    '<main>' +
    `<p class="overall o-${s.overall}" role="status">${esc(w.overall[s.overall])}</p>` +
    `<section class="incidents"><h2>${esc(w.currentIncidents)}</h2>` +
    (s.current.length > 0
      ? s.current.map((i) => incident(i, o)).join('')
      : `<p class="none">${esc(w.noIncidents)}</p>`) +
    '</section>' +
    s.groups.map((g) => group(g, o)).join('') +
    recent +
    `<section class="legend"><h2>${esc(w.legend)}</h2><ul>${legend}</ul></section>` +
    '</main>' +
    `<footer><p>${esc(fill(w.generated, { time: formatTime(s.generatedAt, o.zone, o.lang) }))}` +
    ` · <a href="${esc(`${o.feedPath}?lang=${o.lang}`)}">${esc(w.feed)}</a></p></footer>` +
    '</body></html>'
  );
}
