import type { Request } from 'express';
import type { Transaction } from 'sequelize';
import type { z } from 'zod';
import type { Disposer } from '../hooks';
import { log as rootLog, type Logger } from '../log';
import { parseForm, type FieldErrors } from '../http/validation';
import { TrustedHtml } from '../http/html';
import type { Renderer } from '../themes/renderer';
import { FormSectionError } from './section-error';
import type { CommitContextOf, FormExtension, FormFragment, FormSectionName, RenderContextOf } from './section-map';

/** One registered extension. Its functions are typed loosely here; `extend` checked them against its section. */
interface Registered {
  owner: string;
  section: string;
  fields: readonly string[];
  schema: z.ZodObject;
  priority: number;
  seq: number;
  extension: FormExtension<FormSectionName>;
}

/** An extension's part of a form as the page shows it, in run order. */
export interface RenderedSection {
  owner: string;
  html: string;
}

/** What `parse` found valid for each extension that took part; handed back to `commit`. Opaque to owners. */
export class SectionValues {
  /** @internal */
  constructor(readonly entries: ReadonlyArray<{ registered: Registered; data: unknown }>) {}

  get size(): number {
    return this.entries.length;
  }
}

export type SectionParse<T> =
  | { ok: true; data: T; sections: SectionValues }
  | { ok: false; errors: FieldErrors };

export interface SectionScope<S extends FormSectionName> {
  req: Request;
  context: RenderContextOf<S>;
}

export interface RenderScope<S extends FormSectionName> extends SectionScope<S> {
  /** The submitted body when the form is shown again; nothing when it is first shown. */
  body?: unknown;
  errors?: FieldErrors;
}

/** A section as core knows it at run time: declared by its owner (`declare`) or seen when its owner used it. */
export interface DeclaredSection {
  name: string;
  /** The plugin (or `core`) whose form it is. */
  owner: string;
  /** What the form is, for people ("User registration"); the section name when the owner gave none. */
  label: string;
}

/** Builds one plugin's extension for a section, or nothing to leave that section alone (`extendEach`). */
export type SectionExtensionFactory = (section: DeclaredSection) => FormExtension<FormSectionName> | undefined;

/** Core's own forms, declared from the start. */
const CORE_SECTIONS: ReadonlyArray<Omit<DeclaredSection, 'owner'>> = [
  { name: 'core.register', label: 'User registration' },
  { name: 'core.account.profile', label: 'Account profile' },
  { name: 'core.login.after', label: 'After login (re-consent)' },
];

/** Longest value echoed back into a field; a form needs no more and a page should not carry megabytes. */
const ECHO_LIMIT = 2000;

/**
 * Form sections: plugins add fields to forms they do not own. The owner of a form validates its own schema
 * and every extension's together (`parse`), shows them in one place (`render`), and runs every extension's
 * `commit` inside its own transaction (`commit`), so a refused or failing extension leaves nothing written.
 */
export class FormRegistry {
  private readonly bySection = new Map<string, readonly Registered[]>();
  private seq = 0;
  /** Sections by name, each with the declarations made for it (several owners' claims; the first one shows). */
  private readonly declared = new Map<string, DeclaredSection[]>();
  private readonly factories: Array<{ owner: string; factory: SectionExtensionFactory; disposers: Map<string, Disposer> }> = [];

  constructor(
    private readonly renderer: Pick<Renderer, 'renderSync'>,
    private readonly log: Logger = rootLog.child({ component: 'forms' }),
  ) {
    for (const section of CORE_SECTIONS) this.declare('core', section.name as FormSectionName, { label: section.label });
  }

  /**
   * Says at run time that `owner` has a form with this section (the type `FormSectionMap` is erased), so that a
   * plugin extending every section (gdpr's consent boxes) and the admin find it. Removed with the owner.
   * A section an owner renders or parses without declaring it is recorded too (`observe`), named by itself.
   */
  declare(owner: string, section: FormSectionName, info: { label?: string } = {}): Disposer {
    const entry: DeclaredSection = { name: section, owner, label: info.label?.trim() || section };
    const list = this.declared.get(section) ?? [];
    const first = list.length === 0;
    this.declared.set(section, [...list, entry]);
    if (first) for (const f of [...this.factories]) this.applyFactory(f, entry);
    let disposed = false;
    return () => {
      if (disposed) return;
      disposed = true;
      const rest = (this.declared.get(section) ?? []).filter((d) => d !== entry);
      if (rest.length) {
        this.declared.set(section, rest);
        return;
      }
      this.declared.delete(section);
      // The form is gone: the extensions made for it by `extendEach` go with it (made again if it comes back).
      for (const f of this.factories) {
        f.disposers.get(section)?.();
        f.disposers.delete(section);
      }
    };
  }

  /** Every section core knows now, by name: core's own, declared by an active plugin, or seen in use. */
  sections(): DeclaredSection[] {
    return [...this.declared.values()].map((list) => list[0]).sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Whether the section is known now (declared or seen). */
  isDeclared(section: string): boolean {
    return this.declared.has(section);
  }

  /**
   * Extends every section, those known now and any declared later (a plugin activated afterwards): `factory`
   * is asked once per section and returns the extension, or nothing. The disposer removes them all.
   */
  extendEach(owner: string, factory: SectionExtensionFactory): Disposer {
    const entry = { owner, factory, disposers: new Map<string, Disposer>() };
    this.factories.push(entry);
    for (const section of this.sections()) this.applyFactory(entry, section);
    let disposed = false;
    return () => {
      if (disposed) return;
      disposed = true;
      this.factories.splice(this.factories.indexOf(entry) >>> 0, 1);
      for (const d of entry.disposers.values()) d();
      entry.disposers.clear();
    };
  }

  private applyFactory(entry: { owner: string; factory: SectionExtensionFactory; disposers: Map<string, Disposer> }, section: DeclaredSection): void {
    if (entry.disposers.has(section.name)) return;
    let extension: FormExtension<FormSectionName> | undefined;
    try {
      extension = entry.factory(section);
    } catch (error) {
      this.log.error({ plugin: entry.owner, section: section.name, err: error }, 'extending a declared form section failed');
      return;
    }
    if (extension) entry.disposers.set(section.name, this.extend(entry.owner, section.name as FormSectionName, extension));
  }

  extend<S extends FormSectionName, Schema extends z.ZodObject>(owner: string, section: S, extension: FormExtension<S, Schema>): Disposer {
    const priority = extension.priority ?? 10;
    if (!Number.isFinite(priority)) throw new RangeError(`Form section priority must be a finite number (${owner} on ${section})`);
    const fields = extension.fields ?? Object.keys(extension.schema.shape);
    const current = this.bySection.get(section) ?? [];
    const prefix = fieldPrefix(owner);
    for (const field of fields) {
      // The plugin's prefix keeps every extension's fields apart from the owner's and from each other's.
      if (!field.startsWith(prefix) || !/^[a-z0-9_]+$/.test(field)) {
        throw new Error(`Form field "${field}" of ${owner} on ${section} must be lower case and start with "${prefix}"`);
      }
      const clash = current.find((r) => r.fields.includes(field));
      if (clash) throw new Error(`Form field "${field}" on ${section} is already declared by ${clash.owner}`);
    }
    const registered: Registered = {
      owner,
      section,
      fields,
      schema: extension.schema,
      priority,
      seq: this.seq++,
      extension: extension as unknown as FormExtension<FormSectionName>,
    };
    this.bySection.set(section, [...current, registered].sort((a, b) => a.priority - b.priority || a.seq - b.seq));
    let disposed = false;
    return () => {
      if (disposed) return;
      disposed = true;
      const list = (this.bySection.get(section) ?? []).filter((r) => r !== registered);
      if (list.length) this.bySection.set(section, list);
      else this.bySection.delete(section);
    };
  }

  /** Whether an active extension of this section declared the field: the owner accepts it instead of refusing it. */
  accepts(section: FormSectionName, field: string): boolean {
    return (this.bySection.get(section) ?? []).some((r) => r.fields.includes(field));
  }

  /** The extensions of a section in run order (for the admin and for tests). */
  list(section: FormSectionName): Array<{ owner: string; fields: readonly string[]; priority: number }> {
    return (this.bySection.get(section) ?? []).map((r) => ({ owner: r.owner, fields: r.fields, priority: r.priority }));
  }

  /** Whether any extension takes part for this request (the login gate is shown only then). */
  async applies<S extends FormSectionName>(section: S, scope: SectionScope<S>): Promise<boolean> {
    return (await this.taking(section, scope)).length > 0;
  }

  /**
   * Validates the owner's schema and every taking part extension's together: all messages at once, keyed by
   * field. Each extension sees only its own fields.
   */
  async parse<S extends FormSectionName, O extends z.ZodType>(section: S, ownerSchema: O, body: unknown, scope: SectionScope<S>): Promise<SectionParse<z.infer<O>>> {
    const source = asRecord(body);
    const owner = parseForm(ownerSchema, source);
    const errors: FieldErrors = owner.ok ? {} : { ...owner.errors };
    const entries: Array<{ registered: Registered; data: unknown }> = [];
    for (const registered of await this.taking(section, scope)) {
      const picked = Object.fromEntries(registered.fields.filter((f) => f in source).map((f) => [f, source[f]]));
      const result = registered.schema.safeParse(picked);
      if (result.success) {
        const refused = await registered.extension.check?.(result.data, scope.req, scope.context as RenderContextOf<FormSectionName>);
        if (refused && Object.keys(refused).length) {
          for (const [key, message] of Object.entries(refused)) errors[key] ??= message;
          continue;
        }
        entries.push({ registered, data: result.data });
        continue;
      }
      for (const issue of result.error.issues) {
        // An issue about the whole object (a refine) goes to the extension's first field, beside its fragment.
        const key = issue.path.length ? issue.path.map(String).join('.') : (registered.fields[0] ?? 'form');
        errors[key] ??= issue.message;
      }
    }
    if (!owner.ok || Object.keys(errors).length) return { ok: false, errors };
    return { ok: true, data: owner.data, sections: new SectionValues(entries) };
  }

  /** The fragments of every taking part extension, for the owner's template (`formSections`). */
  async render<S extends FormSectionName>(section: S, scope: RenderScope<S>): Promise<RenderedSection[]> {
    const body = scope.body === undefined ? undefined : asRecord(scope.body);
    const errors = scope.errors ?? {};
    const out: RenderedSection[] = [];
    for (const registered of await this.taking(section, scope)) {
      const values = body ? echo(body, registered.fields) : {};
      const own = Object.fromEntries(Object.entries(errors).filter(([k]) => registered.fields.includes(k.split('.')[0])));
      const fragment = await registered.extension.render({ section, values, errors: own, submitted: body !== undefined, context: scope.context as RenderContextOf<FormSectionName>, req: scope.req });
      out.push({ owner: registered.owner, html: this.htmlOf(registered, fragment, values, own) });
    }
    return out;
  }

  /**
   * Runs each extension's commit in order, inside the owner's transaction. A throw propagates so the owner's
   * transaction rolls back; `refusal` tells the owner whether to answer 422 or let the error page show.
   */
  async commit<S extends FormSectionName>(section: S, tx: Transaction, sections: SectionValues, req: Request, context: CommitContextOf<S>): Promise<void> {
    for (const { registered, data } of sections.entries) {
      if (registered.section !== section) throw new Error(`Values parsed for ${registered.section} were committed to ${section}`);
      if (!registered.extension.commit) continue;
      try {
        await registered.extension.commit(tx, data as z.infer<z.ZodObject>, req, context as CommitContextOf<FormSectionName>);
      } catch (error) {
        if (!(error instanceof FormSectionError)) this.log.error({ plugin: registered.owner, section, err: error }, 'form section commit failed');
        throw error;
      }
    }
  }

  /** The messages to show when `error` is an extension's refusal; undefined when it is a bug to let through. */
  refusal(error: unknown): FieldErrors | undefined {
    return error instanceof FormSectionError ? error.errors : undefined;
  }

  private async taking<S extends FormSectionName>(section: S, scope: SectionScope<S>): Promise<Registered[]> {
    const out: Registered[] = [];
    // A snapshot: a plugin deactivated meanwhile changes the next request, not this one half-way.
    for (const registered of this.bySection.get(section) ?? []) {
      const applies = registered.extension.applies;
      if (!applies || (await applies(scope.context as RenderContextOf<FormSectionName>, scope.req))) out.push(registered);
    }
    return out;
  }

  private htmlOf(registered: Registered, fragment: FormFragment, values: Record<string, string>, errors: FieldErrors): string {
    if (fragment instanceof TrustedHtml) return fragment.markup;
    // Checked at run time too: a plugin in plain JavaScript (or one cast past the types) may still return a string.
    const candidate: unknown = fragment;
    if (candidate && typeof candidate === 'object' && 'template' in candidate && typeof candidate.template === 'string') {
      return this.renderer.renderSync(fragment.template, { values, errors, ...fragment.data });
    }
    throw new TypeError(
      `Form section of ${registered.owner} on ${registered.section} returned ${typeof candidate === 'string' ? 'a plain string' : 'an unknown value'}: ` +
        'return fragment`...` (core\'s escaping html helper) or { template, data } so typed values are escaped',
    );
  }
}

/** `hello` → `hello_`, `hello-friend` → `hello_friend_`: what every field of the plugin's extensions starts with. */
export function fieldPrefix(owner: string): string {
  return `${owner.toLowerCase().replace(/[^a-z0-9]+/g, '_')}_`;
}

function asRecord(body: unknown): Record<string, unknown> {
  return typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
}

/** What was typed into these fields, to show again; never anything but strings. */
function echo(body: Record<string, unknown>, fields: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of fields) if (typeof body[f] === 'string') out[f] = (body[f] as string).slice(0, ECHO_LIMIT);
  return out;
}
