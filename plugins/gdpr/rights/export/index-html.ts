import { escapeHtml } from '@agora/core';
import type { ExportDocument } from './archive';
import { groupsOf } from './archive';

function cell(value: unknown): string {
  if (value === null || value === undefined || value === '') return '<span class="none">—</span>';
  if (typeof value === 'object') return `<code>${escapeHtml(JSON.stringify(value))}</code>`;
  return escapeHtml(String(value));
}

/** The readable page of the archive: every kind of data as a table. Self-contained, no script. */
export function indexHtml(doc: ExportDocument, files: Array<{ group: string; file: string; count: number }>): string {
  const groups = groupsOf(doc);
  const sections = [...groups.entries()].map(([group, rows]) => {
    const columns = [...new Set(rows.flatMap((r) => Object.keys(r.data)))].sort();
    const head = columns.map((c) => `<th scope="col">${escapeHtml(c)}</th>`).join('');
    const body = rows.map((r) => `<tr><td>${escapeHtml(r.id)}</td>${columns.map((c) => `<td>${cell(r.data[c])}</td>`).join('')}</tr>`).join('\n');
    const file = files.find((f) => f.group === group)?.file ?? '';
    return `<section><h2>${escapeHtml(group)} <small>(${rows.length})</small></h2><p class="file">Also in <code>${escapeHtml(file)}</code></p><div class="scroll"><table><thead><tr><th scope="col">id</th>${head}</tr></thead><tbody>${body}</tbody></table></div></section>`;
  });
  const failed = doc.sections.filter((s) => !s.complete);
  const warning = failed.length
    ? `<p class="warning">Some data could not be exported: ${failed.map((s) => `${escapeHtml(s.owner)}/${escapeHtml(s.exporter)} (${escapeHtml(s.error ?? '')})`).join(', ')}. Contact the store.</p>`
    : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Your data at ${escapeHtml(doc.store.name)}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;margin:1rem auto;max-width:72rem;padding:0 1rem;color:#222}table{border-collapse:collapse;font-size:.9rem}th,td{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}.scroll{overflow-x:auto}.none{color:#888}.warning{background:#fee;padding:.5rem}small{color:#666;font-weight:normal}</style>
</head><body>
<h1>Your data at ${escapeHtml(doc.store.name)}</h1>
<p>Everything the store holds about <strong>${escapeHtml(doc.person.email)}</strong>, exported on ${escapeHtml(doc.generated_at)} (UTC).
The same data is in <code>export.json</code> (described by <code>export.schema.json</code>) and in one CSV file per kind of data.</p>
${warning}
${sections.length ? sections.join('\n') : '<p>The store holds no data about you.</p>'}
</body></html>
`;
}
