import express, { type Request, type Router } from 'express';
import type { Sequelize } from 'sequelize';
import type { z } from 'zod';
import type { Config } from '../config';
import { log as rootLog, type Logger } from '../log';
import type { ActionListener, ActionName, Disposer, FilterListener, FilterName, ListenerOptions, ActionMap, FilterExtra, FilterValue } from '../hooks';
import type { SlotContext, SlotFill, SlotFilters, SlotFragment, SlotName } from '../themes/slots';
import type { DashboardWidget, MenuItem } from '../admin/menu';
import type { SettingsDefinition } from '../admin/settings-registry';
import type { Actor, ObjectRule, Role } from '../auth/capabilities';
import type { Eraser, Exporter } from '../privacy/registry';
import type { AccountHoldDeclaration, ProcessingDeclaration, RetentionDeclaration } from '../privacy/declarations';
import type { FieldEncryption } from '../privacy/encryption/field-encryption';
import type { CookieDeclaration, ScriptDeclaration } from '../http/assets';
import { createPluginJobs, type PluginJobs } from '../jobs/plugin-jobs';
import type { MailMessage } from '../mail/mailer';
import { attributeMailListener } from '../mail/message';
import type { Platform } from '../platform';
import type { PluginManifest } from './manifest';
import type { ServiceMap, ServiceName } from './services';
import type { RoleChange } from '../auth/privilege';
import { pluginForms, type PluginForms } from '../forms/plugin-forms';
import { pluginHttp, type PluginHttp } from '../http/plugin-http';
import type { PluginFiles } from '../files/file-service';

type Owned<T> = Omit<T, 'owner'>;

/** Everything a plugin may touch. Whatever it registers here is removed when it is deactivated. */
export interface PluginContext {
  readonly name: string;
  readonly dir: string;
  readonly manifest: PluginManifest;
  readonly config: Config;
  readonly log: Logger;
  readonly sequelize: Sequelize;
  /** Routes of this plugin, mounted at `/` behind the plugin gate. */
  readonly router: Router;
  readonly hooks: {
    on<N extends ActionName>(name: N, fn: ActionListener<N>, options?: ListenerOptions): Disposer;
    filter<N extends FilterName>(name: N, fn: FilterListener<N>, options?: ListenerOptions): Disposer;
    do<N extends ActionName>(name: N, ...args: ActionMap[N] extends unknown[] ? ActionMap[N] : never): Promise<void>;
    apply<N extends FilterName>(name: N, value: FilterValue<N>, ...args: FilterExtra<N>): Promise<FilterValue<N>>;
    has(name: ActionName | FilterName): boolean;
  };
  /** Adds to a slot that some template calls with `slot('<name>')`; the name and its context are typed by `SlotMap`. */
  slot<N extends SlotName>(name: N, fill: SlotFill<N>, options?: ListenerOptions): Disposer;
  readonly admin: {
    menu(item: Owned<MenuItem>): Disposer;
    widget(widget: Owned<DashboardWidget>): Disposer;
  };
  readonly settings: {
    define<S extends z.ZodObject>(definition: SettingsDefinition<S>): Disposer;
    get<T = Record<string, unknown>>(): T;
  };
  /** Role changes that fire their hooks and give the person's own session a new id (see core/auth/privilege). */
  readonly roles: {
    /** Raises a person to at least `role`, never lowers: `await ctx.roles.grant(req, req.user, 'seller')`. */
    grant(req: Request | undefined, user: { id: number }, role: Role): Promise<RoleChange | undefined>;
  };
  readonly capabilities: {
    register(capability: string, label: string, roles: Role[]): Disposer;
    rule(capability: string, rule: ObjectRule): Disposer;
    can(actor: Actor | undefined | null, capability: string, object?: unknown): Promise<boolean>;
  };
  readonly privacy: {
    exporter(exporter: Owned<Exporter>): Disposer;
    eraser(eraser: Owned<Eraser>): Disposer;
    /** How long data of one kind is kept; `kind` is prefixed with the plugin's name unless it already is. */
    retention(kind: string, declaration: Omit<RetentionDeclaration, 'owner' | 'kind'>): Disposer;
    /** One entry of the record of processing (Art. 30). */
    processing(declaration: Owned<ProcessingDeclaration>): Disposer;
    /** This plugin's records that keep an unverified account from core's retention rule (`AccountHoldDeclaration`). */
    accountHold(label: string, heldAmong: AccountHoldDeclaration['heldAmong']): Disposer;
    /** The store's encrypted personal fields: which, with which keys, and re-encryption with the current key. */
    readonly encryption: FieldEncryption;
  };
  readonly assets: {
    script(script: Owned<ScriptDeclaration>): Disposer;
    cookie(cookie: Owned<CookieDeclaration>): Disposer;
    /** Every script and cookie declared now, by every plugin (the cookie banner and the cookie page list them). */
    declared(): { scripts: readonly ScriptDeclaration[]; cookies: readonly CookieDeclaration[] };
  };
  /** Jobs typed by the JobMap: define, enqueue (with a transaction, a dedupe key), schedule (cron). */
  readonly jobs: PluginJobs;
  readonly mail: { send(message: MailMessage): Promise<number> };
  /** Form sections: add fields to another plugin's (or core's) form, committed in its transaction. */
  readonly forms: PluginForms;
  /** Raw-body paths (webhooks) and early/late middleware; see docs/plugins.md "HTTP". */
  readonly http: PluginHttp;
  /** Public files (under /uploads), private files (served only by the plugin's own route), image processing. */
  readonly files: PluginFiles;
  /** Renders a template (for mail bodies, fragments) through the theme resolver. */
  render(template: string, locals: Record<string, unknown>): Promise<string>;
  /** Publishes this plugin's service for the plugins that declare it as a dependency. */
  provide<N extends ServiceName>(service: ServiceMap[N]): void;
  /**
   * Another plugin's service, typed by `ServiceMap` (which that plugin extends by declaration merging);
   * the plugin must be listed in this plugin's `requires.plugins`.
   */
  service<N extends ServiceName>(plugin: N): ServiceMap[N];
  /** Runs on deactivation, for anything not registered through `ctx`. */
  onDispose(fn: () => void | Promise<void>): void;
  readonly platform: Pick<Platform, 'options' | 'privacy' | 'mailer'>;
}

export interface ContextHandle {
  ctx: PluginContext;
  router: Router;
  dispose(): Promise<void>;
}

export function createPluginContext(
  platform: Platform,
  manifest: PluginManifest,
  dir: string,
  services: Map<string, object>,
): ContextHandle {
  const owner = manifest.name;
  const disposers: Array<() => void | Promise<void>> = [];
  const track = (d: Disposer): Disposer => {
    disposers.push(d);
    return d;
  };
  const router = express.Router();

  const ctx: PluginContext = {
    name: owner,
    dir,
    manifest,
    config: platform.config,
    log: rootLog.child({ plugin: owner }),
    sequelize: platform.sequelize,
    router,
    hooks: {
      on: (name, fn, options) => track(platform.hooks.on(owner, name, fn, options)),
      // A cancelled mail is recorded with the plugin that registered the listener (see attributeMailListener).
      filter: (name, fn, options) => track(platform.hooks.filter(owner, name, attributeMailListener(owner, name, fn), options)),
      do: (name, ...args) => platform.hooks.do(name, ...args),
      apply: (name, value, ...args) => platform.hooks.apply(name, value, ...args),
      has: (name) => platform.hooks.has(name),
    },
    slot: <N extends SlotName>(name: N, fill: SlotFill<N>, options?: ListenerOptions) => {
      // Slot N is the filter `view.N`; TypeScript cannot follow a generic template-literal key, so the listener is cast.
      const hook = `view.${name}` as keyof SlotFilters;
      const listener = async (fragments: SlotFragment[], context: SlotContext<N>): Promise<SlotFragment[]> => {
        const added = await fill(context);
        if (!added) return fragments;
        const list = Array.isArray(added) ? added : [added];
        return [...fragments, ...list.map((f) => ({ owner, ...f }))];
      };
      return track(platform.hooks.filter(owner, hook, listener as unknown as FilterListener<typeof hook>, options));
    },
    admin: {
      menu: (item) => track(platform.admin.addMenuItem({ ...item, owner })),
      widget: (widget) => track(platform.admin.addWidget({ ...widget, owner })),
    },
    settings: {
      define: (definition) => track(platform.settings.define(owner, definition as unknown as SettingsDefinition)),
      get: <T>() => platform.settings.get<T>(owner),
    },
    roles: { grant: (req, user, role) => platform.roles.grantRole(req, user, role) },
    capabilities: {
      register: (capability, label, roles) => track(platform.capabilities.register(owner, capability, label, roles)),
      rule: (capability, rule) => track(platform.capabilities.rule(capability, rule)),
      can: (actor, capability, object) => platform.capabilities.can(actor, capability, object),
    },
    privacy: {
      exporter: (exporter) => track(platform.privacy.addExporter({ ...exporter, owner })),
      eraser: (eraser) => track(platform.privacy.addEraser({ ...eraser, owner })),
      retention: (kind, declaration) => track(platform.privacy.addRetention({ ...declaration, owner, kind: kind.startsWith(`${owner}.`) ? kind : `${owner}.${kind}` })),
      processing: (declaration) => track(platform.privacy.addProcessing({ ...declaration, owner })),
      accountHold: (label, heldAmong) => track(platform.privacy.declarations.addAccountHold({ owner, label, heldAmong })),
      encryption: platform.encryption,
    },
    assets: {
      script: (script) => track(platform.assets.addScript({ ...script, owner })),
      cookie: (cookie) => track(platform.assets.declareCookie({ ...cookie, owner })),
      declared: () => ({ scripts: platform.assets.allScripts(), cookies: platform.assets.allCookies() }),
    },
    jobs: createPluginJobs(platform.jobs, owner, track, (fn) => {
      disposers.push(fn);
    }),
    mail: { send: (message) => platform.mailer.send(message) },
    forms: pluginForms(platform.forms, owner, track),
    http: pluginHttp(platform.http, owner, track, platform.rateLimits),
    files: platform.files.forOwner(owner),
    render: (template, locals) => platform.renderer.render(template, locals, { layout: false }),
    provide: (service) => {
      services.set(owner, service);
      disposers.push(() => {
        services.delete(owner);
      });
    },
    service: <N extends ServiceName>(plugin: N): ServiceMap[N] => {
      if (!(plugin in manifest.requires.plugins)) {
        throw new Error(`Plugin "${owner}" uses the service of "${plugin}" without declaring it in requires.plugins`);
      }
      const service = services.get(plugin);
      if (!service) throw new Error(`Plugin "${plugin}" is not active or provides no service`);
      return service as ServiceMap[N];
    },
    onDispose: (fn) => {
      disposers.push(fn);
    },
    platform: { options: platform.options, privacy: platform.privacy, mailer: platform.mailer },
  };

  return {
    ctx,
    router,
    async dispose() {
      for (const d of disposers.reverse()) await d();
      disposers.length = 0;
    },
  };
}
