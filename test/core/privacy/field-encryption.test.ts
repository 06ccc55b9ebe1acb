import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { QueryTypes } from 'sequelize';
import { startTestApp, createUser, type TestApp } from '../../helpers/app';
import { shopModels } from '../../plugins/shops/shop-models';
import { ConfigError } from '../../../core/config';
import { DataKeyError, DataKeyring, dataKeyId } from '../../../core/privacy/encryption/data-keys';
import { encryptColumns } from '../../../core/privacy/encryption/column-migration';

const KEY_A = 'data-key-a-that-is-long-enough-0123456789abcdef';
const KEY_B = 'data-key-b-that-is-long-enough-0123456789abcdef';
const KEY_WRONG = 'data-key-wrong-that-is-long-enough-0123456789ab';

/** Every cell of every row of a table, read with raw SQL (never through a model), as one lower-case string. */
async function rawTable(t: TestApp, table: string): Promise<string> {
  const rows = await t.platform.sequelize.query<Record<string, unknown>>(`SELECT * FROM ${table}`, { type: QueryTypes.SELECT });
  return JSON.stringify(rows).toLowerCase();
}

let seq = 0;
/** A user, a saved address and a paid order, each personal field holding a unique canary. */
async function seedPerson() {
  const { Address, Shop, CheckoutGroup, Order, Invoice } = shopModels();
  const c = (name: string) => `cnr${++seq}${name}${Date.now() % 100000}`.toLowerCase();
  const canaries = {
    birth: `19${String(50 + (seq % 40))}-0${1 + (seq % 9)}-1${seq % 9}`,
    line1: c('street'),
    line2: c('flat'),
    city: c('town'),
    postcode: c('pc').slice(0, 20),
    phone: `+33 ${100000 + seq}${Date.now() % 1000}`,
    shipLine1: c('shipstreet'),
    shipCity: c('shiptown'),
    shipPostcode: c('shippc').slice(0, 20),
    shipPhone: `+44 ${200000 + seq}${Date.now() % 1000}`,
    billing: c('billingstreet'),
  };
  const { user } = await createUser();
  await user.update({ birth_date: canaries.birth });
  const address = await Address.create({ user_id: user.id, name: 'Canary Person', line1: canaries.line1, line2: canaries.line2, city: canaries.city, postcode: canaries.postcode, country: 'FR', phone: canaries.phone });
  const { user: seller } = await createUser({ role: 'seller' });
  const shop = await Shop.create({ owner_id: seller.id, name: `Enc shop ${seq}`, slug: `enc-shop-${seq}-${Date.now()}`, currency: 'EUR' });
  const group = await CheckoutGroup.create({ reference: `AG-ENC-${seq}-${Date.now() % 100000}`, buyer_id: user.id, email: user.email, currency: 'EUR', total: 1500, gateway: 'manual', status: 'paid' });
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
    platform_fee: 0,
    shipping_method: 'Standard',
    email: user.email,
    ship_name: 'Canary Person',
    ship_line1: canaries.shipLine1,
    ship_line2: '',
    ship_city: canaries.shipCity,
    ship_postcode: canaries.shipPostcode,
    ship_country: 'FR',
    phone: canaries.shipPhone,
  });
  // An issued invoice keeps the billing address in its data snapshot.
  const invoice = await Invoice.create({ shop_id: shop.id, order_id: order.id, refund_id: null, kind: 'invoice', sequence: seq, number: `INV-ENC-${seq}`, buyer_id: user.id, currency: 'EUR', total: 1500, data: JSON.stringify({ buyer: { name: 'Canary Person', address: [canaries.billing] } }), issued_at: new Date() });
  return { user, address, order, invoice, canaries };
}

describe('encryption at rest of sensitive personal fields', function () {
  this.timeout(60_000);

  describe('the keyring', () => {
    it('encrypts with a random IV under the current key id and reads back; an altered value or an unknown key is an error, never garbage', () => {
      const ring = new DataKeyring([KEY_A]);
      const one = ring.encrypt('12 Rue des Lilas');
      const two = ring.encrypt('12 Rue des Lilas');
      expect(one).to.match(new RegExp(`^enc:v1:${dataKeyId(KEY_A)}:[\\w-]+:[\\w-]+:[\\w-]+$`));
      expect(one).to.not.equal(two);
      expect(ring.decrypt(one)).to.equal('12 Rue des Lilas');
      expect(ring.decrypt('plain before migration')).to.equal('plain before migration');
      const parts = one.split(':');
      parts[5] = Buffer.from('something else').toString('base64url');
      expect(() => ring.decrypt(parts.join(':'))).to.throw(DataKeyError, /altered/);
      expect(() => new DataKeyring([KEY_B]).decrypt(one)).to.throw(DataKeyError, new RegExp(`data key ${dataKeyId(KEY_A)}, which is not configured`));
      expect(() => new DataKeyring(['short'])).to.throw(DataKeyError, /at least 32/);
    });

    it('reads values of every key it knows and writes with the first', () => {
      const old = new DataKeyring([KEY_A]).encrypt('+33 4 72 00 00 00');
      const rotated = new DataKeyring([KEY_B, KEY_A]);
      expect(rotated.decrypt(old)).to.equal('+33 4 72 00 00 00');
      expect(DataKeyring.keyIdOf(rotated.encrypt('x'))).to.equal(dataKeyId(KEY_B));
    });
  });

  describe('in the database', () => {
    let t: TestApp;
    before(async () => {
      t = await startTestApp({ plugins: ['shops'] });
    });
    after(async () => {
      await t?.close();
    });

    it('stores no plaintext of dates of birth, saved addresses, order delivery snapshots or invoice data, and reads them back through the models', async () => {
      const { user, address, order, invoice, canaries } = await seedPerson();
      const raw = (await rawTable(t, 'users')) + (await rawTable(t, 'addresses')) + (await rawTable(t, 'orders')) + (await rawTable(t, 'invoices'));
      for (const [name, value] of Object.entries(canaries)) expect(raw, `${name} in plaintext`).to.not.include(value.toLowerCase());
      expect(raw).to.include('enc:v1:');

      const { User, Address, Order } = shopModels();
      expect((await User.findByPk(user.id))!.birth_date).to.equal(canaries.birth);
      const a = (await Address.findByPk(address.id))!;
      expect([a.line1, a.line2, a.city, a.postcode, a.phone]).to.deep.equal([canaries.line1, canaries.line2, canaries.city, canaries.postcode, canaries.phone]);
      const o = (await Order.findByPk(order.id))!;
      expect([o.ship_line1, o.ship_city, o.ship_postcode, o.phone]).to.deep.equal([canaries.shipLine1, canaries.shipCity, canaries.shipPostcode, canaries.shipPhone]);
      expect(o.toJSON().ship_city).to.equal(canaries.shipCity);
      expect(JSON.parse((await shopModels().Invoice.findByPk(invoice.id))!.data).buyer.address).to.deep.equal([canaries.billing]);
      // Names and countries stay plain: orders are searched by the buyer's name, countries are in queries.
      expect(raw).to.include('canary person');
    });

    it('static Model.update and instance.update write ciphertext too; setting the same value again changes nothing', async () => {
      const { address, user } = await seedPerson();
      const { Address, User } = shopModels();
      await Address.update({ city: 'staticupdatedtown' }, { where: { id: address.id } });
      await User.update({ birth_date: '1977-07-07' }, { where: { id: user.id } });
      const fresh = (await Address.findByPk(address.id))!;
      expect(fresh.city).to.equal('staticupdatedtown');
      fresh.set('city', 'staticupdatedtown');
      expect(fresh.changed('city')).to.equal(false);
      expect((await User.findByPk(user.id))!.birth_date).to.equal('1977-07-07');
      const raw = (await rawTable(t, 'addresses')) + (await rawTable(t, 'users'));
      expect(raw).to.not.include('staticupdatedtown');
      expect(raw).to.not.include('1977-07-07');
    });

    it('lists the encrypted fields of core and shops, with the rows per key', async () => {
      const fields = t.platform.encryption.fields().map((f) => `${f.owner}:${f.model}.${f.attribute}`);
      expect(fields).to.include.members([
        'core:User.birth_date',
        'shops:Address.line1',
        'shops:Address.line2',
        'shops:Address.city',
        'shops:Address.postcode',
        'shops:Address.phone',
        'shops:Order.ship_line1',
        'shops:Order.ship_line2',
        'shops:Order.ship_city',
        'shops:Order.ship_postcode',
        'shops:Order.phone',
        'shops:Invoice.data',
      ]);
      const status = await t.platform.encryption.status();
      const city = status.find((s) => s.model === 'Address' && s.attribute === 'city')!;
      expect(city.byKey[t.platform.encryption.keyring.currentId]).to.be.at.least(2);
      expect(city.stale).to.equal(0);
    });

    it('the migration helper encrypts rows written in plaintext before, and running it again changes nothing', async () => {
      const { address } = await seedPerson();
      await t.platform.sequelize.query('UPDATE addresses SET city = ?, phone = ? WHERE id = ?', { replacements: ['plaintexttown', '+1 555 0100', address.id] });
      const before = (await t.platform.encryption.status()).find((s) => s.model === 'Address' && s.attribute === 'city')!;
      expect(before.plain).to.equal(1);
      expect(await encryptColumns(t.platform.sequelize, 'addresses', ['city', 'phone'])).to.equal(2);
      expect(await encryptColumns(t.platform.sequelize, 'addresses', ['city', 'phone'])).to.equal(0);
      expect(await rawTable(t, 'addresses')).to.not.include('plaintexttown');
      const { Address } = shopModels();
      expect((await Address.findByPk(address.id))!.city).to.equal('plaintexttown');
    });
  });

  describe('keys at start-up and rotation', () => {
    let t: TestApp | undefined;
    let kept: { dataDir: string; db: TestApp['db'] } | undefined;
    after(async () => {
      await t?.close();
    });

    it('refuses to start with a wrong key or a lost key file, naming the key the data needs', async () => {
      t = await startTestApp({ plugins: ['shops'] });
      await seedPerson();
      const needed = t.platform.encryption.keyring.currentId;
      await t.stop();
      kept = { dataDir: t.dataDir, db: t.db };
      const keyFile = path.join(kept.dataDir, 'data-keys');
      const original = fs.readFileSync(keyFile, 'utf8');

      let error: unknown;
      try {
        await startTestApp({ plugins: ['shops'], reuse: kept, env: { DATA_KEY: KEY_WRONG } });
      } catch (e) {
        error = e;
      }
      expect(error).to.be.instanceOf(ConfigError);
      expect((error as Error).message).to.match(new RegExp(`encrypted with data key ${needed}, which is not configured`));

      fs.rmSync(keyFile);
      error = undefined;
      try {
        await startTestApp({ plugins: ['shops'], reuse: kept });
      } catch (e) {
        error = e;
      }
      expect(error).to.be.instanceOf(ConfigError);
      expect((error as Error).message).to.include(needed).and.include('data-keys');

      fs.writeFileSync(keyFile, original);
      t = await startTestApp({ plugins: ['shops'], reuse: kept });
      expect(t.platform.encryption.keyring.currentId).to.equal(needed);
      await t.stop();
    });

    it('rotates: a new key reads old values, re-encryption moves every row to it in batches, and the old key can then go', async () => {
      const oldId = dataKeyId(fs.readFileSync(path.join(kept!.dataDir, 'data-keys'), 'utf8').trim());
      t = await startTestApp({ plugins: ['shops'], reuse: kept!, env: { DATA_KEY: KEY_B, DATA_KEYS_PREVIOUS: fs.readFileSync(path.join(kept!.dataDir, 'data-keys'), 'utf8').trim() } });
      const enc = t.platform.encryption;
      expect(enc.keyring.currentId).to.equal(dataKeyId(KEY_B));
      expect(enc.usedKeyIds()).to.include.members([oldId, dataKeyId(KEY_B)]);
      const seeded = await seedPerson();
      const { Address, User } = shopModels();
      const birthDates = (await User.findAll({ order: [['id', 'ASC']] })).map((u) => u.birth_date);
      expect(birthDates.filter(Boolean)).to.have.length.greaterThan(1);

      const before = await enc.status();
      const stale = before.reduce((n, s) => n + s.stale, 0);
      expect(stale).to.be.greaterThan(0);
      expect(before.find((s) => s.model === 'Address' && s.attribute === 'city')!.byKey[oldId]).to.equal(1);

      const outcome = await enc.reencrypt(1);
      expect(outcome.total).to.equal(stale);
      expect(outcome.retired).to.deep.equal([oldId]);
      expect((await enc.status()).every((s) => s.stale === 0 && Object.keys(s.byKey).every((k) => k === enc.keyring.currentId))).to.equal(true);
      expect((await enc.reencrypt()).total).to.equal(0);
      expect((await Address.findByPk(seeded.address.id))!.city).to.equal(seeded.canaries.city);
      await t.stop();

      // The old key is no longer needed: the store starts with the new one alone and reads everything.
      t = await startTestApp({ plugins: ['shops'], reuse: kept!, env: { DATA_KEY: KEY_B } });
      const users = await shopModels().User.findAll({ order: [['id', 'ASC']] });
      expect(users.map((u) => u.birth_date)).to.deep.equal(birthDates);
    });
  });
});
