import type { Model, ModelStatic } from 'sequelize';
import type { PrivacyRegistry } from './registry';
import type { Platform } from '../platform';
import './personal-data';

/** A model together with the part (core or a plugin) that defined it. */
export interface OwnedModel {
  owner: string;
  model: ModelStatic<Model>;
}

/** A column marked `personal: true` that no exporter, or no eraser, says it covers. */
export interface CoverageGap {
  owner: string;
  model: string;
  attribute: string;
  missing: Array<'exporter' | 'eraser'>;
}

/**
 * Walks every attribute marked `personal: true` on the given models and reports those that the registry's
 * exporters or erasers do not list in their `covers`. An empty result means every person's data can be
 * exported and erased.
 */
export function personalDataGaps(models: Iterable<OwnedModel>, registry: PrivacyRegistry): CoverageGap[] {
  const exported = registry.covered('export');
  const erased = registry.covered('erase');
  const gaps: CoverageGap[] = [];
  for (const { owner, model } of models) {
    for (const [attribute, definition] of Object.entries(model.getAttributes())) {
      if (!definition.personal) continue;
      const key = `${model.name}.${attribute}`;
      const missing: CoverageGap['missing'] = [];
      if (!exported.has(key)) missing.push('exporter');
      if (!erased.has(key)) missing.push('eraser');
      if (missing.length) gaps.push({ owner, model: model.name, attribute, missing });
    }
  }
  return gaps.sort((a, b) => a.owner.localeCompare(b.owner) || a.model.localeCompare(b.model) || a.attribute.localeCompare(b.attribute));
}

/** One line per gap, for a test failure or the admin: `shops: Order.phone is covered by no eraser`. */
export function describeGaps(gaps: readonly CoverageGap[]): string {
  return gaps.map((g) => `${g.owner}: ${g.model}.${g.attribute} is personal but covered by no ${g.missing.join(' and no ')}`).join('\n');
}

/**
 * The models of core and of every active plugin, from the Sequelize instance, each with its owner.
 * `ownerOf` names the plugin that defined a model (undefined for core's own).
 */
export function activeModels(
  sequelizeModels: Record<string, ModelStatic<Model>>,
  ownerOf: (modelName: string) => string | undefined,
  isActive: (plugin: string) => boolean,
): OwnedModel[] {
  const out: OwnedModel[] = [];
  for (const model of Object.values(sequelizeModels)) {
    const owner = ownerOf(model.name) ?? 'core';
    if (owner === 'core' || isActive(owner)) out.push({ owner, model });
  }
  return out;
}

/** The whole check over a running platform: core's models and those of every active plugin. */
export function platformGaps(platform: Pick<Platform, 'sequelize' | 'plugins' | 'privacy'>): CoverageGap[] {
  const models = activeModels(platform.sequelize.models as Record<string, ModelStatic<Model>>, (m) => platform.plugins.modelOwner(m), (p) => platform.plugins.isActive(p));
  return personalDataGaps(models, platform.privacy);
}
