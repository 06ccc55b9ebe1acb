import { DataTypes, Op, type Model, type ModelStatic, type WhereOptions } from 'sequelize';
import type { PrivacyRegistry } from './registry';
import type { Platform } from '../platform';
import './personal-data';
import './encryption/encrypted-attribute';

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

/**
 * Canary values for the coverage test that checks what exporters and erasers actually do: each personal
 * column of each model gets a value found nowhere else, or the person's own key (their email) where that
 * column is how the person's rows are found.
 */
export class Canaries {
  private readonly values = new Map<string, { model: string; attribute: string; value: string }>();
  private seq = 0;

  constructor(private readonly salt = Math.random().toString(16).slice(2, 8)) {}

  /** A unique short token for `Model.attribute` (12 characters: fits a postcode column). */
  for(model: string, attribute: string): string {
    const value = `cn${this.salt}${(++this.seq).toString(36).padStart(4, '0')}`.slice(0, 12);
    return this.use(model, attribute, value);
  }

  /** A unique email address for `Model.attribute`. */
  email(model: string, attribute: string): string {
    return this.use(model, attribute, `${this.for(model, attribute)}@canary.test`);
  }

  /** A unique date (YYYY-MM-DD) for a date column. */
  date(model: string, attribute: string): string {
    const n = ++this.seq;
    return this.use(model, attribute, `19${String(10 + (n % 89)).padStart(2, '0')}-0${1 + (n % 9)}-${String(10 + (n % 18))}`);
  }

  /** Records a value that is not unique (the person's email, the key their rows are found by). */
  use(model: string, attribute: string, value: string): string {
    this.values.set(`${model}.${attribute}`, { model, attribute, value });
    return value;
  }

  entries(): Array<{ key: string; model: string; attribute: string; value: string }> {
    return [...this.values.entries()].map(([key, v]) => ({ key, ...v }));
  }
}

export interface CanaryReport {
  /** Personal columns no canary was seeded into: the test must learn to seed them. */
  unseeded: string[];
  /** Seeded values the person's export does not contain. */
  notExported: string[];
  /** Seeded values still in the database after erasure, and reported kept by no eraser (`retained.covers`). */
  notErased: string[];
  /** Seeded values kept after erasure with a reason (an invoice kept for tax). */
  keptWithReason: string[];
}

/**
 * Runs the exporters and then the erasers for one person whose rows were seeded with canaries, and says
 * which personal columns they did not really reach. `models` are the models walked (core and every
 * active plugin's); a column counts as reached by the export when its canary appears anywhere in it.
 */
export async function canaryCheck(
  registry: Pick<PrivacyRegistry, 'exportPerson' | 'erasePerson'>,
  models: Iterable<OwnedModel>,
  canaries: Canaries,
  person: { email: string; userId?: number },
): Promise<CanaryReport> {
  const byKey = new Map(canaries.entries().map((e) => [e.key, e]));
  const walked = [...models];
  const report: CanaryReport = { unseeded: [], notExported: [], notErased: [], keptWithReason: [] };
  for (const { model } of walked) {
    for (const [attribute, definition] of Object.entries(model.getAttributes())) {
      if (definition.personal && !byKey.has(`${model.name}.${attribute}`)) report.unseeded.push(`${model.name}.${attribute}`);
    }
  }
  const exported = JSON.stringify(await registry.exportPerson(person)).toLowerCase();
  for (const e of byKey.values()) if (!exported.includes(e.value.toLowerCase())) report.notExported.push(e.key);

  const erased = await registry.erasePerson(person);
  const kept = new Set<string>();
  for (const section of erased.sections) for (const r of section.retained) for (const [m, attrs] of Object.entries(r.covers ?? {})) for (const a of attrs) kept.add(`${m}.${a}`);
  const modelByName = new Map(walked.map(({ model }) => [model.name, model]));
  for (const e of byKey.values()) {
    const model = modelByName.get(e.model);
    if (!model) continue;
    const definition = model.getAttributes()[e.attribute];
    const type = definition?.type;
    if (definition?.encrypted) {
      // SQL cannot see into an encrypted column: read it back through the model, decrypted.
      const rows = await model.findAll({ attributes: [model.primaryKeyAttribute, e.attribute] });
      if (!rows.some((row) => String(row.get(e.attribute) ?? '').toLowerCase().includes(e.value.toLowerCase()))) continue;
    } else {
      const isString = type instanceof DataTypes.STRING || type instanceof DataTypes.TEXT;
      const where: WhereOptions = { [e.attribute]: isString ? { [Op.like]: `%${e.value}%` } : e.value };
      if ((await model.count({ where })) === 0) continue;
    }
    (kept.has(e.key) ? report.keptWithReason : report.notErased).push(e.key);
  }
  for (const list of [report.unseeded, report.notExported, report.notErased, report.keptWithReason]) list.sort();
  return report;
}
