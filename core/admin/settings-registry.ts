import { z } from 'zod';
import type { Options } from '../db/options';

export interface SettingField {
  key: string;
  label: string;
  type: 'text' | 'number' | 'checkbox' | 'select' | 'textarea' | 'email';
  help?: string;
  choices?: Array<{ value: string; label: string }>;
}

export interface SettingsDefinition<S extends z.ZodObject = z.ZodObject> {
  title: string;
  fields: SettingField[];
  /** Every key must have a default, so a fresh install has working settings. */
  schema: S;
}

export type SettingsErrors = Record<string, string>;

/** Each owner's settings: a zod schema with defaults, stored as one option, rendered as a form in the admin. */
export class SettingsRegistry {
  /** Each owner's parts, in definition order: a plugin built in parts (gdpr) defines its settings from each. */
  private readonly parts = new Map<string, SettingsDefinition[]>();
  private readonly defs = new Map<string, SettingsDefinition>();

  constructor(private readonly options: Options) {}

  /**
   * Defines an owner's settings. A second definition by the same owner adds its fields to the same form and
   * option (the first title stays); a key defined twice throws. The disposer removes just that part.
   */
  define(owner: string, def: SettingsDefinition): () => void {
    const parts = this.parts.get(owner) ?? [];
    const taken = new Set(parts.flatMap((p) => Object.keys(p.schema.shape)));
    const clash = Object.keys(def.schema.shape).find((k) => taken.has(k));
    if (clash) throw new Error(`Setting "${clash}" of "${owner}" is already defined`);
    this.parts.set(owner, [...parts, def]);
    this.merge(owner);
    return () => {
      this.parts.set(owner, (this.parts.get(owner) ?? []).filter((p) => p !== def));
      this.merge(owner);
    };
  }

  private merge(owner: string): void {
    const parts = this.parts.get(owner) ?? [];
    if (!parts.length) {
      this.parts.delete(owner);
      this.defs.delete(owner);
      return;
    }
    if (parts.length === 1) return void this.defs.set(owner, parts[0]);
    const shape = Object.assign({}, ...parts.map((p) => p.schema.shape)) as z.ZodRawShape;
    this.defs.set(owner, { title: parts[0].title, fields: parts.flatMap((p) => p.fields), schema: z.object(shape) });
  }

  owners(): Array<{ owner: string; title: string }> {
    return [...this.defs.entries()].map(([owner, d]) => ({ owner, title: d.title })).sort((a, b) => a.title.localeCompare(b.title));
  }

  definition(owner: string): SettingsDefinition | undefined {
    return this.defs.get(owner);
  }

  /** The stored values merged over the schema's defaults; a stored value that no longer fits falls back to the default. */
  get<T = Record<string, unknown>>(owner: string): T {
    const def = this.defs.get(owner);
    if (!def) throw new Error(`No settings defined for "${owner}"`);
    const stored = this.options.get<Record<string, unknown>>(`settings.${owner}`, {});
    const parsed = def.schema.safeParse(stored);
    return (parsed.success ? parsed.data : def.schema.parse({})) as T;
  }

  /** Validates form input (strings, checkboxes absent when off) and saves it, or returns messages per field. */
  async save(owner: string, input: Record<string, unknown>): Promise<{ ok: true } | { ok: false; errors: SettingsErrors }> {
    const def = this.defs.get(owner);
    if (!def) throw new Error(`No settings defined for "${owner}"`);
    const values: Record<string, unknown> = {};
    for (const field of def.fields) {
      const raw = input[field.key];
      if (field.type === 'checkbox') values[field.key] = raw === 'on' || raw === 'true' || raw === '1';
      else if (field.type === 'number') values[field.key] = raw === '' || raw === undefined ? undefined : Number(raw);
      else values[field.key] = typeof raw === 'string' ? raw.trim() : raw;
    }
    const parsed = def.schema.safeParse(values);
    if (!parsed.success) {
      const errors: SettingsErrors = {};
      for (const issue of parsed.error.issues) errors[String(issue.path[0] ?? 'form')] ??= issue.message;
      return { ok: false, errors };
    }
    await this.options.set(`settings.${owner}`, parsed.data);
    return { ok: true };
  }
}

declare module '../hooks' {
  interface ActionMap {
    'core.settings.saved': [owner: string];
  }
}
