import { escapeHtml } from '@agora/core';
import type { ExportDocument } from './archive';
import { groupsOf } from './archive';
import { slugOf } from './normalize';

/**
 * Kinds of data in the order the person reads them (issue 14's list); a kind not named here (a plugin's own)
 * follows in the order the registry returned it.
 */
const READING_ORDER = [
  'Account',
  'Saved addresses',
  'Orders',
  'Checkouts',
  'Invoices',
  'Credit notes',
  'Coupons used',
  'Downloads bought',
  'Downloads made',
  'Cart',
  'Reviews',
  'Shops I follow',
  'Favourites',
  'Notification settings',
  'Notifications',
  'Newsletter subscription',
  'Newsletter subscription history',
  'Conversations',
  'Messages you wrote',
  'Consent history',
  'Your privacy requests',
];

function rank(group: string): number {
  const i = READING_ORDER.indexOf(group);
  return i < 0 ? READING_ORDER.length : i;
}

/** A value as readable markup: nested records as lists, a file's bytes named rather than dumped (they are in export.json). */
function cell(value: unknown, key = ''): string {
  if (value === null || value === undefined || value === '') return '<span class="none">—</span>';
  if (key.endsWith('_base64') && typeof value === 'string') return `<span class="none">file content, ${Math.floor((value.length * 3) / 4)} bytes (in export.json)</span>`;
  if (Array.isArray(value)) return value.length ? `<ol>${value.map((v) => `<li>${cell(v)}</li>`).join('')}</ol>` : '<span class="none">none</span>';
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    return `<dl>${entries.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${cell(v, k)}</dd>`).join('')}</dl>`;
  }
  return escapeHtml(String(value));
}

/**
 * The readable page of the archive: a contents list, then every kind of data, each record as a card of
 * labelled values (a table of many columns would not fit a phone). Self-contained: no script, no request.
 */
export function indexHtml(doc: ExportDocument, files: Array<{ group: string; file: string; count: number }>): string {
  const groups = [...groupsOf(doc).entries()].map(([group, rows], i) => ({ group, rows, i })).sort((a, b) => rank(a.group) - rank(b.group) || a.i - b.i);
  const ids = new Map<string, string>();
  for (const { group } of groups) {
    let id = `kind-${slugOf(group)}`;
    for (let n = 2; [...ids.values()].includes(id); n++) id = `kind-${slugOf(group)}-${n}`;
    ids.set(group, id);
  }
  const contents = groups.map(({ group, rows }) => `<li><a href="#${ids.get(group)}">${escapeHtml(group)}</a> <small>(${rows.length})</small></li>`).join('');
  const sections = groups.map(({ group, rows }) => {
    const file = files.find((f) => f.group === group)?.file ?? '';
    const records = rows
      .map((r) => `<article class="record"><h3>${escapeHtml(r.id)} <small>from ${escapeHtml(r.owner)}</small></h3><dl>${Object.entries(r.data).map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${cell(v, k)}</dd>`).join('')}</dl></article>`)
      .join('\n');
    return `<section id="${ids.get(group)}"><h2>${escapeHtml(group)} <small>(${rows.length})</small></h2><p class="file">Also in <code>${escapeHtml(file)}</code></p>${records}</section>`;
  });
  const failed = doc.sections.filter((s) => !s.complete);
  const warning = failed.length
    ? `<p class="warning" role="alert">Some data could not be exported: ${failed.map((s) => `${escapeHtml(s.owner)}/${escapeHtml(s.exporter)} (${escapeHtml(s.error ?? '')})`).join(', ')}. Contact the store.</p>`
    : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Your data at ${escapeHtml(doc.store.name)}</title>
<style>
body{font:16px/1.5 system-ui,sans-serif;margin:1rem auto;max-width:60rem;padding:0 1rem;color:#1a1a1a;overflow-wrap:anywhere}
h2{margin-top:2rem;border-bottom:2px solid #ccc}h3{font-size:1rem;margin:0 0 .25rem}
.record{border:1px solid #ccc;border-radius:4px;padding:.5rem .75rem;margin:.5rem 0}
dl{display:grid;grid-template-columns:minmax(6rem,max-content) minmax(0,1fr);gap:.1rem .75rem;margin:0}
dt{font-weight:600;color:#444}dd{margin:0;min-width:0}dd dl{grid-template-columns:minmax(5rem,max-content) minmax(0,1fr);border-left:3px solid #ddd;padding-left:.5rem}
ol{margin:0;padding-left:1.25rem}code{font-size:.9em}
.none,small{color:#595959;font-weight:normal}.warning{background:#fee;padding:.5rem}
@media (max-width:30rem){dl,dd dl{grid-template-columns:minmax(0,1fr)}dd{margin-bottom:.35rem}}
</style>
</head><body>
<main>
<h1>Your data at ${escapeHtml(doc.store.name)}</h1>
<p>Everything the store holds about <strong>${escapeHtml(doc.person.email)}</strong>, exported on ${escapeHtml(doc.generated_at)} (UTC).
The same data is in <code>export.json</code> (described by <code>export.schema.json</code>) and in one CSV file per kind of data, in the <code>csv</code> folder.</p>
${warning}
${groups.length ? `<nav aria-label="Contents"><h2>Contents</h2><ul>${contents}</ul></nav>\n${sections.join('\n')}` : '<p>The store holds no data about you.</p>'}
</main>
</body></html>
`;
}
