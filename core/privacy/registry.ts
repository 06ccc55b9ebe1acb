import { log } from '../log';
import './hooks';
import { PrivacyDeclarations, type ProcessingDeclaration, type RetentionDeclaration } from './declarations';

/** Whom a request concerns: the email is the key; the user id when the person has an account. */
export interface Person {
  email: string;
  userId?: number;
}

export interface ExportItem {
  /** What kind of record this is, shown as a heading in the export ("Orders", "Addresses"). */
  group: string;
  id: string | number;
  data: Record<string, unknown>;
}

export interface ExportPage {
  items: ExportItem[];
  done: boolean;
}

export interface Retained {
  what: string;
  reason: string;
  until?: string;
  /** The personal columns still held because of this (`{ Order: ['ship_name'] }`), so the coverage test can tell a kept value from a forgotten one. */
  covers?: Coverage;
}

export interface ErasePage {
  removed: string[];
  anonymized: string[];
  retained: Retained[];
  done: boolean;
}

/** Which personal attributes a piece reaches: `{ ModelName: ['attr', ...] }`. */
export type Coverage = Record<string, string[]>;

export interface Exporter {
  owner: string;
  name: string;
  covers: Coverage;
  /** Page numbers start at 1; return done: true on the last page. */
  exportPage(person: Person, page: number): Promise<ExportPage>;
}

export interface Eraser {
  owner: string;
  name: string;
  covers: Coverage;
  erasePage(person: Person, page: number): Promise<ErasePage>;
}

export interface ExportResult {
  email: string;
  generatedAt: string;
  /** A section whose exporter failed carries the error: an incomplete export must say so, never look complete. */
  sections: Array<{ owner: string; exporter: string; items: ExportItem[]; error?: string }>;
}

export interface EraseResult {
  email: string;
  erasedAt: string;
  sections: Array<{ owner: string; eraser: string; removed: string[]; anonymized: string[]; retained: Retained[]; error?: string }>;
}

const MAX_PAGES = 10_000;

/** The personal-data registry: every plugin's exporters and erasers, run together for one person. */
export class PrivacyRegistry {
  private readonly exporters: Exporter[] = [];
  private readonly erasers: Eraser[] = [];
  /** Retention rules and the record of processing, declared beside the exporters and erasers. */
  readonly declarations = new PrivacyDeclarations();

  addRetention(declaration: RetentionDeclaration): () => void {
    return this.declarations.addRetention(declaration);
  }

  addProcessing(declaration: ProcessingDeclaration): () => void {
    return this.declarations.addProcessing(declaration);
  }

  /** Every declared retention rule (the gdpr plugin's sweep runs them). */
  retentions(): readonly RetentionDeclaration[] {
    return this.declarations.retentions();
  }

  /** Every declared processing activity (the gdpr plugin's Art. 30 record). */
  processings(): readonly ProcessingDeclaration[] {
    return this.declarations.processings();
  }

  addExporter(exporter: Exporter): () => void {
    this.exporters.push(exporter);
    return () => remove(this.exporters, exporter);
  }

  addEraser(eraser: Eraser): () => void {
    this.erasers.push(eraser);
    return () => remove(this.erasers, eraser);
  }

  listExporters(): readonly Exporter[] {
    return this.exporters;
  }

  listErasers(): readonly Eraser[] {
    return this.erasers;
  }

  /** Attributes that exporters (or erasers) declare they reach, as `Model.attr`. */
  covered(kind: 'export' | 'erase'): Set<string> {
    const pieces = kind === 'export' ? this.exporters : this.erasers;
    const out = new Set<string>();
    for (const p of pieces) for (const [model, attrs] of Object.entries(p.covers)) for (const a of attrs) out.add(`${model}.${a}`);
    return out;
  }

  async exportPerson(person: Person | string): Promise<ExportResult> {
    const who = typeof person === 'string' ? { email: person } : person;
    const result: ExportResult = { email: who.email, generatedAt: new Date().toISOString(), sections: [] };
    for (const exporter of [...this.exporters]) {
      const items: ExportItem[] = [];
      let error: string | undefined;
      try {
        for (let page = 1; page <= MAX_PAGES; page++) {
          const out = await exporter.exportPage(who, page);
          items.push(...out.items);
          if (out.done) break;
        }
      } catch (failure) {
        error = failure instanceof Error ? failure.message : String(failure);
        log.error({ plugin: exporter.owner, exporter: exporter.name, err: failure }, 'exporter failed');
      }
      result.sections.push({ owner: exporter.owner, exporter: exporter.name, items, ...(error === undefined ? {} : { error }) });
    }
    return result;
  }

  /**
   * Runs every eraser for one person. Erasers run in reverse registration order so that a plugin's data
   * goes before the data of the plugins it depends on (the core account last). One failing eraser is
   * reported and the rest still run: a partial erasure must say so, not stop silently.
   */
  async erasePerson(person: Person | string): Promise<EraseResult> {
    const who = typeof person === 'string' ? { email: person } : person;
    const result: EraseResult = { email: who.email, erasedAt: new Date().toISOString(), sections: [] };
    for (const eraser of [...this.erasers].reverse()) {
      const section = { owner: eraser.owner, eraser: eraser.name, removed: [] as string[], anonymized: [] as string[], retained: [] as Retained[], error: undefined as string | undefined };
      try {
        for (let page = 1; page <= MAX_PAGES; page++) {
          const out = await eraser.erasePage(who, page);
          section.removed.push(...out.removed);
          section.anonymized.push(...out.anonymized);
          section.retained.push(...out.retained);
          if (out.done) break;
        }
      } catch (error) {
        section.error = error instanceof Error ? error.message : String(error);
        log.error({ plugin: eraser.owner, eraser: eraser.name, err: error }, 'eraser failed');
      }
      result.sections.push(section);
    }
    return result;
  }
}

function remove<T>(list: T[], item: T): void {
  const i = list.indexOf(item);
  if (i >= 0) list.splice(i, 1);
}
