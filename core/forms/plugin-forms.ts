import type { z } from 'zod';
import type { Disposer } from '../hooks';
import type { FormRegistry } from './registry';
import type { FormExtension, FormSectionName } from './section-map';

/**
 * `ctx.forms`: extend another's form (removed when the plugin is deactivated), and, for a plugin that owns a
 * form, the helpers to parse, render and commit its section.
 */
export interface PluginForms {
  extend<S extends FormSectionName, Schema extends z.ZodObject>(section: S, extension: FormExtension<S, Schema>): Disposer;
  accepts: FormRegistry['accepts'];
  applies: FormRegistry['applies'];
  parse: FormRegistry['parse'];
  render: FormRegistry['render'];
  commit: FormRegistry['commit'];
  refusal: FormRegistry['refusal'];
}

export function pluginForms(registry: FormRegistry, owner: string, track: (d: Disposer) => Disposer): PluginForms {
  return {
    extend: (section, extension) => track(registry.extend(owner, section, extension)),
    accepts: (section, field) => registry.accepts(section, field),
    applies: (section, scope) => registry.applies(section, scope),
    parse: (section, schema, body, scope) => registry.parse(section, schema, body, scope),
    render: (section, scope) => registry.render(section, scope),
    commit: (section, tx, sections, req, context) => registry.commit(section, tx, sections, req, context),
    refusal: (error) => registry.refusal(error),
  };
}
