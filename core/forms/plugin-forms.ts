import type { z } from 'zod';
import type { Disposer } from '../hooks';
import type { DeclaredSection, FormRegistry, SectionExtensionFactory } from './registry';
import type { FormExtension, FormSectionName } from './section-map';

/**
 * `ctx.forms`: extend another's form (removed when the plugin is deactivated), and, for a plugin that owns a
 * form, the helpers to parse, render and commit its section.
 */
export interface PluginForms {
  extend<S extends FormSectionName, Schema extends z.ZodObject>(section: S, extension: FormExtension<S, Schema>): Disposer;
  /** Extends every section known now and any declared later; `factory` may return nothing to skip one. */
  extendEach(factory: SectionExtensionFactory): Disposer;
  /** Declares a section of a form this plugin owns, with a label for people (removed on deactivation). */
  declare(section: FormSectionName, info?: { label?: string }): Disposer;
  /** Every section core knows now (core's, declared, or seen in use). */
  sections(): DeclaredSection[];
  accepts: FormRegistry['accepts'];
  applies: FormRegistry['applies'];
  parse: FormRegistry['parse'];
  render: FormRegistry['render'];
  commit: FormRegistry['commit'];
  refusal: FormRegistry['refusal'];
}

export function pluginForms(registry: FormRegistry, owner: string, track: (d: Disposer) => Disposer): PluginForms {
  // A section the plugin uses as an owner without declaring it is still made known (once), so extensions of
  // every section reach it; it is forgotten when the plugin is deactivated.
  const seen = new Set<string>();
  const observe = (section: FormSectionName) => {
    if (seen.has(section)) return;
    seen.add(section);
    if (!registry.isDeclared(section)) track(registry.declare(owner, section));
  };
  return {
    extend: (section, extension) => track(registry.extend(owner, section, extension)),
    extendEach: (factory) => track(registry.extendEach(owner, factory)),
    declare: (section, info) => {
      seen.add(section);
      return track(registry.declare(owner, section, info));
    },
    sections: () => registry.sections(),
    accepts: (section, field) => registry.accepts(section, field),
    applies: (section, scope) => (observe(section), registry.applies(section, scope)),
    parse: (section, schema, body, scope) => (observe(section), registry.parse(section, schema, body, scope)),
    render: (section, scope) => (observe(section), registry.render(section, scope)),
    commit: (section, tx, sections, req, context) => registry.commit(section, tx, sections, req, context),
    refusal: (error) => registry.refusal(error),
  };
}
