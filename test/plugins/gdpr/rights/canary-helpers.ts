import fs from 'node:fs';
import path from 'node:path';
import { QueryTypes } from 'sequelize';
import type { TestApp } from '../../../helpers/app';
import { createUser } from '../../../helpers/app';
import { shopModels } from '../../shops/shop-models';
import { consentServiceOf } from '../../../../plugins/gdpr/consent/setup';

let seq = 0;

/** A person with a unique canary in every personal field this test reaches, across core, shops and gdpr. */
export interface CanaryPerson {
  email: string;
  userId: number;
  canaries: Record<string, string>;
}

/** Seeds an account, a saved address, a paid order with a note, and consent register rows, each field a canary. */
export async function seedPerson(t: TestApp, tag: string): Promise<CanaryPerson> {
  const salt = `${tag}${Date.now().toString(36)}${++seq}`;
  const c = (field: string) => `cn${salt}${field}`.slice(0, 40);
  const short = (field: string) => `${tag}${(Date.now() % 1e6).toString(36)}${field}`.slice(0, 12);
  const email = `${c('mail')}@example.test`.toLowerCase();
  const canaries: Record<string, string> = {
    'User.email': email,
    'User.username': c('user'),
    'User.first_name': c('first'),
    'User.last_name': c('last'),
    'User.display_name': c('display'),
    'Address.name': c('addrname'),
    'Address.line1': c('addrline'),
    'Address.city': c('addrcity'),
    'Address.phone': c('addrphone'),
    'Order.ship_name': c('shipname'),
    'Order.ship_line1': c('shipline'),
    'Order.ship_city': c('shipcity'),
    'Order.ship_postcode': short('pc'),
    'Order.phone': c('orderphone'),
    'OrderNote.body': c('note'),
    'ConsentIdentity.display_name': c('consentname'),
  };
  const { user } = await createUser({ email, username: canaries['User.username'], display_name: canaries['User.display_name'] });
  const { User, Address, Shop, CheckoutGroup, Order, OrderNote } = shopModels();
  await User.update({ first_name: canaries['User.first_name'], last_name: canaries['User.last_name'] }, { where: { id: user.id } });
  await Address.create({ user_id: user.id, name: canaries['Address.name'], line1: canaries['Address.line1'], line2: '', city: canaries['Address.city'], postcode: '75001', country: 'FR', phone: canaries['Address.phone'] });
  const { user: seller } = await createUser({ role: 'seller' });
  const shop = await Shop.create({ owner_id: seller.id, name: `Shop ${salt}`, slug: `shop-${salt}`.toLowerCase(), currency: 'EUR' });
  const group = await CheckoutGroup.create({ reference: `AG-${salt}`.toUpperCase().slice(0, 30), buyer_id: user.id, email, currency: 'EUR', total: 1500, gateway: 'manual', status: 'paid' });
  const order = await Order.create({
    number: `${group.reference}-1`,
    group_id: group.id,
    shop_id: shop.id,
    buyer_id: user.id,
    status: 'paid',
    currency: 'EUR',
    subtotal: 1000,
    shipping_total: 500,
    total: 1500,
    platform_fee: 50,
    shipping_method: 'Post',
    email,
    ship_name: canaries['Order.ship_name'],
    ship_line1: canaries['Order.ship_line1'],
    ship_line2: '',
    ship_city: canaries['Order.ship_city'],
    ship_postcode: canaries['Order.ship_postcode'],
    ship_country: 'FR',
    phone: canaries['Order.phone'],
    paid_at: new Date(),
  });
  await OrderNote.create({ order_id: order.id, author_id: user.id, author_side: 'buyer', body: canaries['OrderNote.body'] });
  await consentServiceOf().record(
    [{ action: 'accepted', section: 'core.register', policy: { slug: 'privacy-policy', version: 1, textHash: 'a'.repeat(64) } }],
    { userId: user.id, email, displayName: canaries['ConsentIdentity.display_name'] },
    { ip: '203.0.113.0', userAgentHash: null, consentId: null },
  );
  return { email, userId: user.id, canaries };
}

/** Every text value of every table, as `table.column` → values, to look for canaries in. */
const textColumnsOf = new WeakMap<TestApp, Promise<Array<{ table: string; text: string[] }>>>();

/** Every table with its text columns, read once per app (the schema does not change during a test). */
function textColumns(t: TestApp): Promise<Array<{ table: string; text: string[] }>> {
  let found = textColumnsOf.get(t);
  if (!found) {
    found = (async () => {
      const qi = t.platform.sequelize.getQueryInterface();
      const tables = ((await qi.showAllTables()) as Array<string | { tableName: string }>).map((x) => (typeof x === 'string' ? x : x.tableName)).filter((n) => !n.startsWith('sqlite_'));
      const out: Array<{ table: string; text: string[] }> = [];
      for (const table of tables.sort()) {
        const text = (await columnsOf(t, table)).filter((d) => /char|text|json|clob/i.test(d.type)).map((d) => d.name);
        if (text.length) out.push({ table, text });
      }
      return out;
    })();
    textColumnsOf.set(t, found);
  }
  return found;
}

/**
 * A table's columns and their types, from the database's own catalogue (describeTable trips over some indexes
 * on SQLite, and the scan must not depend on how a table's indexes are declared).
 */
async function columnsOf(t: TestApp, table: string): Promise<Array<{ name: string; type: string }>> {
  const sequelize = t.platform.sequelize;
  if (sequelize.getDialect() === 'sqlite') {
    const rows = await sequelize.query<{ name: string; type: string }>(`PRAGMA table_info(${sequelize.getQueryInterface().quoteIdentifier(table)})`, { type: QueryTypes.SELECT });
    return rows.map((r) => ({ name: r.name, type: r.type }));
  }
  const rows = await sequelize.query<{ name: string; type: string }>("SELECT column_name AS name, data_type AS type FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ?", {
    replacements: [table],
    type: QueryTypes.SELECT,
  });
  return rows;
}

export async function textDump(t: TestApp): Promise<Array<{ where: string; value: string }>> {
  const qi = t.platform.sequelize.getQueryInterface();
  const out: Array<{ where: string; value: string }> = [];
  for (const { table, text } of await textColumns(t)) {
    const rows = await t.platform.sequelize.query<Record<string, unknown>>(`SELECT ${text.map((c) => qi.quoteIdentifier(c)).join(', ')} FROM ${qi.quoteIdentifier(table)}`, { type: QueryTypes.SELECT });
    for (const row of rows) for (const col of text) if (row[col] !== null && row[col] !== undefined) out.push({ where: `${table}.${col}`, value: String(row[col]).toLowerCase() });
  }
  // Encrypted columns hold ciphertext (docs/security.md): what they say is read through their models.
  const present = new Set(out.map((d) => d.where.split('.')[0]));
  for (const field of t.platform.encryption.fields()) {
    const model = t.platform.sequelize.models[field.model];
    if (!model || !present.has(field.table)) continue;
    for (const row of await model.findAll({ attributes: [model.primaryKeyAttribute, field.attribute] })) {
      const value = row.get(field.attribute) as unknown;
      if (value !== null && value !== undefined && value !== '') out.push({ where: `${field.table}.${field.column} (encrypted)`, value: String(value).toLowerCase() });
    }
  }
  return out;
}

/** Where each canary still appears: in the database's text columns, and in the files under DATA_DIR (uploads, private files). */
export async function findCanaries(t: TestApp, person: CanaryPerson): Promise<Record<string, string[]>> {
  const dump = await textDump(t);
  const files: Array<{ where: string; value: string }> = [];
  const walk = (dir: string) => {
    for (const entry of fs.existsSync(dir) ? fs.readdirSync(dir, { withFileTypes: true }) : []) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (!/\.sqlite/.test(entry.name)) files.push({ where: `file:${path.relative(t.dataDir, full)}`, value: fs.readFileSync(full).toString('latin1').toLowerCase() });
    }
  };
  walk(t.dataDir);
  const found: Record<string, string[]> = {};
  for (const [field, value] of Object.entries(person.canaries)) {
    const v = value.toLowerCase();
    const at = [...new Set([...dump, ...files].filter((d) => d.value.includes(v)).map((d) => d.where))].sort();
    if (at.length) found[field] = at;
  }
  return found;
}
