import type { Request } from 'express';
import type { Transaction } from 'sequelize';
import type { z } from 'zod';
import type { FieldErrors } from '../http/validation';
import type { TrustedHtml } from '../http/html';

/**
 * Every form other plugins may extend, section name → what its extensions are told besides the typed values:
 * `render` when the form is shown (and `applies` is asked), `commit` inside the owner's transaction, once the
 * owner's own rows are written. The owner of a form declares its section by declaration merging, like hooks:
 *   declare module '../../core/forms/section-map' {
 *     interface FormSectionMap { 'shops.checkout': { render: { viewer: Express.User | null }; commit: { groupId: number } } }
 *   }
 */
export interface FormSectionMap {
  /** `/register`; commit runs after the user row is inserted (same transaction). */
  'core.register': { render: object; commit: { user: Express.User } };
  /** The profile form of `/account`; commit runs after the profile changes are saved (same transaction). */
  'core.account.profile': { render: { user: Express.User }; commit: { user: Express.User; changed: string[] } };
  /**
   * A gate shown after a successful login (`/login/continue`), before the person goes on: only extensions whose
   * `applies` says yes for this user are shown, and the gate is skipped when none does (gdpr's re-consent).
   */
  'core.login.after': { render: { user: Express.User }; commit: { user: Express.User } };
}

export type FormSectionName = keyof FormSectionMap & string;
type Entry<S extends FormSectionName> = FormSectionMap[S] extends { render: infer R; commit: infer C } ? { render: R; commit: C } : never;
export type RenderContextOf<S extends FormSectionName> = Entry<S>['render'];
export type CommitContextOf<S extends FormSectionName> = Entry<S>['commit'];

/**
 * What `render` returns: markup made by core's escaping helpers (`fragment\`...\`` from core/forms/fragment, or
 * `raw(html\`...\`)`), or a template rendered by EJS (escaping `<%= %>`) with `values`, `errors` and `data`.
 * A plain string is refused when the form is rendered: `values` are echoed from the request, and markup
 * built by hand from them is reflected XSS.
 */
export type FormFragment = TrustedHtml | { template: string; data?: Record<string, unknown> };

/** What an extension's `render` is given. */
export interface FormRenderView<S extends FormSectionName> {
  section: S;
  /** What was typed into this extension's fields (strings), or nothing when the form is first shown. */
  values: Record<string, string>;
  /** Messages for this extension's fields, by field name. */
  errors: FieldErrors;
  /** False when the form is first shown: the extension may show the stored value then. */
  submitted: boolean;
  context: RenderContextOf<S>;
  req: Request;
}

/** A plugin's part of another's form. */
export interface FormExtension<S extends FormSectionName, Schema extends z.ZodObject = z.ZodObject> {
  /**
   * The field names it accepts, each starting with `<plugin>_` (so no two plugins, and never the owner, share
   * one). Default: the keys of `schema`.
   */
  fields?: readonly string[];
  /** Validates this extension's fields only (picked from the body); its messages show beside the owner's. */
  schema: Schema;
  /** The fragment shown in the owner's form, in the one place the owner includes `core/partials/form-sections`. */
  render(view: FormRenderView<S>): FormFragment | Promise<FormFragment>;
  /**
   * Writes what the extension keeps, inside the owner's transaction (pass `tx` to every query). Throwing
   * rolls the whole form back: a `FormSectionError` is shown to the person with 422, anything else is a bug
   * (logged, error page).
   */
  commit?(tx: Transaction, data: z.infer<Schema>, req: Request, context: CommitContextOf<S>): void | Promise<void>;
  /**
   * A check the schema cannot make (it depends on stored settings or on the request): called with the parsed
   * values when they passed the schema; the messages it returns (by field) are shown with the owner's, 422.
   */
  check?(data: z.infer<Schema>, req: Request, context: RenderContextOf<S>): FieldErrors | undefined | Promise<FieldErrors | undefined>;
  /** Whether this extension takes part for this request (e.g. only users who have not consented yet). Default: yes. */
  applies?(context: RenderContextOf<S>, req: Request): boolean | Promise<boolean>;
  /** Lower renders and commits first; default 10, ties in registration order. */
  priority?: number;
}
