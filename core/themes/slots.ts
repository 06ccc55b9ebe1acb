import fs from 'node:fs';
import type { TemplateResolver } from './template-resolver';

/** What a plugin puts into a slot: ready HTML (already escaped by its maker) or a template to render. */
export interface SlotFragment {
  owner?: string;
  html?: string;
  template?: string;
  data?: Record<string, unknown>;
}

/** What slot listeners are told about the page being rendered. */
export interface SlotContext {
  template: string;
  locals: Record<string, unknown>;
}

const SLOT_CALL = /slot\(\s*['"]([a-z0-9_.-]+)['"]/g;
const INCLUDE_CALL = /include\(\s*['"]([a-z0-9_\-/]+)['"]/g;

/**
 * The slots a template (with everything it includes) calls, found by reading its source once.
 * Slot data is gathered before the synchronous render, so the renderer must know them in advance.
 */
export class SlotScanner {
  private readonly cache = new Map<string, string[]>();

  constructor(private readonly resolver: TemplateResolver) {}

  slotsOf(template: string): string[] {
    const file = this.resolver.resolve(template).file;
    const hit = this.cache.get(file);
    if (hit) return hit;
    const found = new Set<string>();
    this.scan(template, found, new Set());
    const list = [...found];
    this.cache.set(file, list);
    return list;
  }

  clear(): void {
    this.cache.clear();
  }

  private scan(template: string, found: Set<string>, seen: Set<string>): void {
    if (seen.has(template)) return;
    seen.add(template);
    let source: string;
    try {
      source = fs.readFileSync(this.resolver.resolve(template).file, 'utf8');
    } catch {
      return;
    }
    for (const m of source.matchAll(SLOT_CALL)) found.add(m[1]);
    for (const m of source.matchAll(INCLUDE_CALL)) this.scan(m[1], found, seen);
  }
}
