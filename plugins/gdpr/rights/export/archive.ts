import yazl from 'yazl';
import { toCsv, type ExportResult, type Person } from '@agora/core';
import { stable, slugOf } from './normalize';
import { EXPORT_SCHEMA } from './schema';
import { indexHtml } from './index-html';

export interface ExportDocument {
  format: 'agora.personal-data-export';
  version: 1;
  generated_at: string;
  store: { name: string; url: string };
  person: { email: string; user_id: number | null };
  sections: Array<{ owner: string; exporter: string; complete: boolean; error?: string; items: Array<{ group: string; id: string; data: Record<string, unknown> }> }>;
}

/** The registry's export of one person as the document written to export.json. */
export function exportDocument(result: ExportResult, person: Person, store: { name: string; url: string }): ExportDocument {
  return {
    format: 'agora.personal-data-export',
    version: 1,
    generated_at: new Date(result.generatedAt).toISOString(),
    store,
    person: { email: person.email, user_id: person.userId ?? null },
    sections: result.sections.map((s) => ({
      owner: s.owner,
      exporter: s.exporter,
      complete: s.error === undefined,
      ...(s.error === undefined ? {} : { error: s.error }),
      items: s.items.map((i) => ({ group: i.group, id: String(i.id), data: stable(i.data) as Record<string, unknown> })),
    })),
  };
}

/** The records of every section grouped by kind ("Orders", "Addresses"), for one CSV each. */
export function groupsOf(doc: ExportDocument): Map<string, Array<{ owner: string; id: string; data: Record<string, unknown> }>> {
  const groups = new Map<string, Array<{ owner: string; id: string; data: Record<string, unknown> }>>();
  for (const section of doc.sections) {
    for (const item of section.items) {
      const list = groups.get(item.group) ?? [];
      list.push({ owner: section.owner, id: item.id, data: item.data });
      groups.set(item.group, list);
    }
  }
  return groups;
}

/**
 * The portability archive (Art. 20): export.json with its JSON Schema, one CSV per kind of data, and a
 * readable index.html. Built in memory: an export is one person's data.
 */
export async function buildArchive(doc: ExportDocument): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  const mtime = new Date(doc.generated_at);
  const add = (name: string, text: string) => zip.addBuffer(Buffer.from(text, 'utf8'), name, { mtime });
  add('export.json', `${JSON.stringify(doc, null, 2)}\n`);
  add('export.schema.json', `${JSON.stringify(EXPORT_SCHEMA, null, 2)}\n`);
  const used = new Set<string>();
  const files: Array<{ group: string; file: string; count: number }> = [];
  for (const [group, rows] of groupsOf(doc)) {
    let file = `csv/${slugOf(group)}.csv`;
    for (let n = 2; used.has(file); n++) file = `csv/${slugOf(group)}-${n}.csv`;
    used.add(file);
    const columns = ['source', 'id', ...[...new Set(rows.flatMap((r) => Object.keys(r.data)))].sort()];
    add(file, toCsv(columns, rows.map((r) => ({ source: r.owner, id: r.id, ...r.data }))));
    files.push({ group, file, count: rows.length });
  }
  add('index.html', indexHtml(doc, files));
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
