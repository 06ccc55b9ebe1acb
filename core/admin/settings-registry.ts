import { z } from 'zod';
import type { Options } from '../db/options';
import { minorPerMajor, parseMoney } from '../http/money';
import { SecretBox, maskSecret } from './secret-box';

export interface SettingField {
  key: string;
  label: string;
  /**
   * `money`: typed in the currency ("0.30"), stored as an integer of minor units (30). `secret` (an API key):
   * stored encrypted, shown masked, never sent back to the browser; left blank it keeps the stored value.
   */
  type: 'text' | 'number' | 'checkbox' | 'select' | 'textarea' | 'email' | 'money' | 'secret';
  help?: string;
  choices?: Array<{ value: string; label: string }>;
  /** A money field's currency (ISO 4217): its decimals decide how the amount is typed and read. */
  currency?: string;
}

/** The decimals of a currency: 2 for EUR, 0 for JPY. */
function decimalsOf(currency: string): number {
  return Math.round(Math.log10(minorPerMajor(currency)));
}

/** A stored money setting (minor units) as the admin types it: 30 → "0.30"; anything else unchanged. */
export function moneyInput(value: unknown, currency: string): unknown {
  return typeof value === 'number' && Number.isInteger(value) ? (value / minorPerMajor(currency)).toFixed(decimalsOf(currency)) : value;
}

/** What a money field's message shows as an example: "0.30" in EUR, "30" in JPY. */
function moneyExample(currency: string): string {
  const digits = decimalsOf(currency);
  return digits ? `0.${'3'.padEnd(digits, '0')}` : '30';
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

  constructor(
    private readonly options: Options,
    /** Seals `secret` fields; without it, defining one throws. */
    private readonly box?: SecretBox,
  ) {}

  /**
   * Defines an owner's settings. A second definition by the same owner adds its fields to the same form and
   * option (the first title stays); a key defined twice throws. The disposer removes just that part.
   */
  define(owner: string, def: SettingsDefinition): () => void {
    const unpriced = def.fields.find((f) => f.type === 'money' && !f.currency);
    if (unpriced) throw new Error(`Setting "${unpriced.key}" of "${owner}" is a money field with no currency`);
    if (!this.box && def.fields.some((f) => f.type === 'secret')) throw new Error(`Settings of "${owner}" have a secret field, and this registry has no key to seal it`);
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
    // Pages read settings many times per request: the parse is kept per stored value (Options hands out the same
    // object until the value changes) and per definition, and each caller gets its own shallow copy.
    const stored = this.options.get<Record<string, unknown> | undefined>(`settings.${owner}`, undefined);
    const key: object = stored ?? def;
    const hit = this.parsed.get(key);
    if (hit && hit.def === def) return { ...hit.value } as T;
    const parsed = def.schema.safeParse(this.opened(def, stored ?? {}));
    const value = (parsed.success ? parsed.data : def.schema.parse({})) as Record<string, unknown>;
    this.parsed.set(key, { def, value });
    return { ...value } as T;
  }

  private readonly parsed = new WeakMap<object, { def: SettingsDefinition; value: Record<string, unknown> }>();

  /** Stored values with the secret fields opened; a secret that does not open (another key) is left out, so its default applies. */
  private opened(def: SettingsDefinition, stored: Record<string, unknown>): Record<string, unknown> {
    const out = { ...stored };
    for (const field of def.fields) {
      if (field.type !== 'secret' || !(field.key in out)) continue;
      const value = out[field.key];
      const plain = SecretBox.isSealed(value) ? this.box?.open(value) : undefined;
      if (plain === undefined) delete out[field.key];
      else out[field.key] = plain;
    }
    return out;
  }

  /** What the form shows for each secret field: its masked value ('' when none is stored). */
  masked(owner: string): Record<string, string> {
    const def = this.defs.get(owner);
    if (!def) return {};
    const values = this.get<Record<string, unknown>>(owner);
    return Object.fromEntries(def.fields.filter((f) => f.type === 'secret').map((f) => [f.key, maskSecret(values[f.key])]));
  }

  /** Validates form input (strings, checkboxes absent when off) and saves it, or returns messages per field. */
  async save(owner: string, input: Record<string, unknown>): Promise<{ ok: true } | { ok: false; errors: SettingsErrors }> {
    const def = this.defs.get(owner);
    if (!def) throw new Error(`No settings defined for "${owner}"`);
    const values: Record<string, unknown> = {};
    const errors: SettingsErrors = {};
    const current = this.get<Record<string, unknown>>(owner);
    for (const field of def.fields) {
      const raw = input[field.key];
      if (field.type === 'secret') {
        // Blank keeps what is stored (the form never holds it); "<key>_clear" removes it.
        const text = typeof raw === 'string' ? raw.trim() : '';
        const clear = input[`${field.key}_clear`] === 'on';
        values[field.key] = clear ? '' : text === '' ? current[field.key] : text;
      } else if (field.type === 'checkbox') values[field.key] = raw === 'on' || raw === 'true' || raw === '1';
      else if (field.type === 'number') values[field.key] = raw === '' || raw === undefined ? undefined : Number(raw);
      else if (field.type === 'money') {
        const currency = field.currency!;
        const text = typeof raw === 'string' ? raw.trim() : '';
        const minor = text === '' ? undefined : parseMoney(text, currency);
        if (text !== '' && minor === undefined) errors[field.key] = `Enter an amount in ${currency}, such as ${moneyExample(currency)}`;
        values[field.key] = minor;
      } else values[field.key] = typeof raw === 'string' ? raw.trim() : raw;
    }
    const parsed = def.schema.safeParse(values);
    if (!parsed.success || Object.keys(errors).length) {
      if (parsed.success) return { ok: false, errors };
      for (const issue of parsed.error.issues) errors[String(issue.path[0] ?? 'form')] ??= issue.message;
      return { ok: false, errors };
    }
    const sealed: Record<string, unknown> = { ...parsed.data };
    for (const field of def.fields) {
      const plain = sealed[field.key];
      if (field.type === 'secret' && typeof plain === 'string' && plain !== '') sealed[field.key] = this.box!.seal(plain);
    }
    await this.options.set(`settings.${owner}`, sealed);
    return { ok: true };
  }
}

declare module '../hooks' {
  interface ActionMap {
    'core.settings.saved': [owner: string];
  }
}
