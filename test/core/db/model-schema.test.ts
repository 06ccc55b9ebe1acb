import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { rootDir } from '../../../core/config';
import { fixturesDir, startTestApp, type TestApp } from '../../helpers/app';
import { usePostgres } from '../../helpers/database';
import { schemaDrift } from './model-schema-compare';

/**
 * Columns only the database keeps, on purpose: the model never reads or writes them.
 * - products.search_vector (PostgreSQL): the full-text document, a generated column of the search migration.
 */
const DATABASE_ONLY = new Set(['Product: column products.search_vector is not in the model']);

/**
 * Encrypted columns (core's encryptedAttribute) hold TEXT ciphertext. On PostgreSQL their migrations widen
 * them to TEXT; on SQLite they keep their declared type, which SQLite does not enforce (no length limit, and a
 * non-numeric string stays TEXT under DATE's affinity), because changing it would rebuild whole tables.
 */
const ENCRYPTED_ON_SQLITE = /^\w+\.\w+ \((users\.birth_date|addresses\.(line1|line2|city|postcode|phone)|orders\.(ship_line1|ship_line2|ship_city|ship_postcode|phone))\): model type text, database (DATE|VARCHAR\(\d+\))$/;

/** Plugins that define models: every bundled plugin, and the fixtures that can be activated. */
function pluginsWithModels(): string[] {
  const bundled = fs.readdirSync(path.join(rootDir, 'plugins')).filter((n) => fs.existsSync(path.join(rootDir, 'plugins', n, 'plugin.json')));
  return [...bundled, 'hello', 'hello-friend', 'leaky'];
}

describe('every model matches its migrated table (columns, types, nullability, indexes)', function () {
  this.timeout(120_000);
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ fixtures: true, plugins: pluginsWithModels() });
  });
  after(async () => t.close());

  it('activated every plugin that defines models', () => {
    for (const name of pluginsWithModels()) expect(t.platform.plugins.isActive(name), `${name} is active`).to.equal(true);
    expect(fs.existsSync(fixturesDir)).to.equal(true);
  });

  it(`has no drift between a model and its table on ${usePostgres ? 'PostgreSQL' : 'SQLite'}`, async () => {
    const { sequelize } = t.platform;
    const queryInterface = sequelize.getQueryInterface();
    const models = Object.values(sequelize.models);
    expect(models.length, 'core, shops and the fixtures define models').to.be.above(20);
    const problems: string[] = [];
    for (const model of models) problems.push(...(await schemaDrift(model, queryInterface, usePostgres ? 'postgres' : 'sqlite')).filter((p) => !DATABASE_ONLY.has(p) && (usePostgres || !ENCRYPTED_ON_SQLITE.test(p))));
    expect(problems, problems.join('\n')).to.deep.equal([]);
  });
});
